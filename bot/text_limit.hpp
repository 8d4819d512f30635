#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sitrep::bot {

/// The text if it fits in `max_bytes`, else its start cut on a UTF-8 character boundary and
/// marked with "…", the whole still within `max_bytes`.
[[nodiscard]] std::string cut_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace sitrep::bot
