// The style sheet and script of the review page (render/review.css, render/review.js),
// embedded at build time by cmake/embed_render.cmake with their SHA-256, which the
// page's Content-Security-Policy names so that only they may run.
#pragma once

#include <string>
#include <string_view>

namespace digestx {

struct RenderAsset {
  std::string_view text;
  std::string_view sha256_hex;
};

const RenderAsset& render_style();
const RenderAsset& render_script();

// "9f86d0…" (hex digits of a digest) -> its standard base64, as CSP hashes want it.
std::string base64_of_hex(std::string_view hex);

}  // namespace digestx
