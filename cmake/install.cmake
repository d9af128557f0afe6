# `cmake --install build [--prefix P]`: the tool, its man page, bash/zsh/fish
# completions, the JSON Schema and the format's description (component "runtime");
# the library digestx::core with its headers and CMake package (component "dev").
# CPack makes one .deb of each: digestx and digestx-dev.
include(CMakePackageConfigHelpers)


install(TARGETS digestx RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(FILES ${DIGESTX_GENERATED}/digestx.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${DIGESTX_GENERATED}/digestx.bash DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME digestx COMPONENT runtime)
# zsh on Debian reads /usr/share/zsh/vendor-completions for packages and
# /usr/local/share/zsh/site-functions for local installs: chosen by the prefix at
# install time (cmake --install --prefix, or the .deb's /usr).
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(zsh_dir vendor-completions)
  else()
    set(zsh_dir site-functions)
  endif()
  file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATAROOTDIR}/zsh/\${zsh_dir}\"
       TYPE FILE FILES \"${DIGESTX_GENERATED}/_digestx\")" COMPONENT runtime)
install(FILES ${DIGESTX_GENERATED}/digestx.fish DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d
        COMPONENT runtime)
install(FILES ${DIGESTX_SCHEMA} ${CMAKE_CURRENT_SOURCE_DIR}/schema/panel.schema.json DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/digestx
        COMPONENT runtime)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/docs/format.md ${CMAKE_CURRENT_SOURCE_DIR}/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)

install(TARGETS digestx_core EXPORT digestxTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/digestx DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
set(DIGESTX_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/digestx)
install(EXPORT digestxTargets NAMESPACE digestx:: DESTINATION ${DIGESTX_CMAKE_DIR} COMPONENT dev)
configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/digestxConfig.cmake.in
                              ${CMAKE_CURRENT_BINARY_DIR}/digestxConfig.cmake INSTALL_DESTINATION ${DIGESTX_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/digestxConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/digestxConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/digestxConfigVersion.cmake
        DESTINATION ${DIGESTX_CMAKE_DIR} COMPONENT dev)

# .deb packages (cpack -G DEB in the build folder): Depends from dpkg-shlibdeps, i.e.
# libc6 for the tool with ICU and libstdc++ linked in (DIGESTX_STATIC_ICU), else also
# Debian's libicu72, libstdc++6...
set(CPACK_PACKAGE_NAME digestx)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Chinese work-report digests to JSON facts")
set(CPACK_PACKAGE_CONTACT "digestx maintainers <digestx@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME digestx)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "man-db, bash-completion, jq")
set(CPACK_DEBIAN_DEV_PACKAGE_NAME digestx-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "digestx (= ${PROJECT_VERSION}), libicu-dev, nlohmann-json3-dev")
include(CPack)
