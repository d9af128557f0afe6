# After digestx is linked: has it dump its compiled built-in rules (two compiles, see
# src/cli/rules_snapshot.cpp), packs the dumps (src/gen/rules_snapshot_pack.cpp) and
# writes the result into the binary's section .digestx.rules. Inputs: DIGESTX, PACK,
# OBJCOPY, WORK (a scratch directory), STATUS (a file saying whether the snapshot is in,
# and if not why). No snapshot is no failure: the binary then compiles the rules at each
# start, and the build says so.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(reason "")
execute_process(COMMAND ${DIGESTX} __rules-snapshot ${WORK}/first.dump ${WORK}/second.dump RESULT_VARIABLE status
                ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  set(reason "the dump failed: ${err}")
else()
  execute_process(COMMAND ${PACK} ${WORK}/first.dump ${WORK}/second.dump ${WORK}/section.bin RESULT_VARIABLE status
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    set(reason "the packer refused: ${err}")
  else()
    execute_process(COMMAND ${OBJCOPY} --update-section .digestx.rules=${WORK}/section.bin ${DIGESTX}
                    RESULT_VARIABLE status ERROR_VARIABLE err)
    if(NOT status EQUAL 0)
      set(reason "objcopy failed: ${err}")
    endif()
  endif()
endif()
if(reason)
  message(WARNING "digestx: no snapshot of the built-in rules; it will compile them at each start. ${reason}")
  file(WRITE ${STATUS} "not embedded: ${reason}\n")
else()
  string(STRIP "${out}" out)
  message(STATUS "digestx: ${out}")
  file(WRITE ${STATUS} "embedded: ${out}\n")
endif()
