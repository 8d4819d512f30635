#include "bot/text_limit.hpp"

namespace sitrep::bot {

namespace {

constexpr std::string_view ellipsis = "…";

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

}  // namespace

std::string cut_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string{text};
    }
    if (max_bytes < ellipsis.size()) {
        return {};
    }

    // Step back from the cut to the start of a character, so none is split.
    auto end = max_bytes - ellipsis.size();
    while (end > 0 && is_continuation_byte(text[end])) {
        --end;
    }
    return std::string{text.substr(0, end)} + std::string{ellipsis};
}

}  // namespace sitrep::bot
