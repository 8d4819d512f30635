#include "connectors/console/terminal_safe.hpp"

#include <cstddef>
#include <cstdint>

#include <boost/locale/utf.hpp>
#include <fmt/format.h>

namespace sitrep::connectors {

namespace {

/// The length of the valid UTF-8 sequence that starts `text`, and its code point; 0 when it is
/// not valid UTF-8 (overlong, a surrogate, past U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view text, std::uint32_t& code_point) {
    namespace utf = boost::locale::utf;
    auto next = text.begin();
    const auto decoded = utf::utf_traits<char>::decode(next, text.end());
    if (decoded == utf::illegal || decoded == utf::incomplete) {
        return 0;
    }
    code_point = decoded;
    return static_cast<std::size_t>(next - text.begin());
}

/// Characters shown as an escape rather than printed: C1 controls, and the bidirectional
/// embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069), which make the
/// text after them display in another order than it was written ("Trojan Source").
bool is_hidden_control(std::uint32_t code_point) {
    return code_point <= 0x9FU || (code_point >= 0x202AU && code_point <= 0x202EU) ||
           (code_point >= 0x2066U && code_point <= 0x2069U);
}

}  // namespace

std::string terminal_safe(std::string_view text) {
    std::string safe;
    safe.reserve(text.size());

    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text[0]);

        // ASCII: controls other than line feed and tab, and DEL, become visible.
        if (byte < 0x80U) {
            const bool control = (byte < 0x20U && byte != '\n' && byte != '\t') || byte == 0x7FU;
            if (control) {
                safe += fmt::format("\\x{:02x}", byte);
            } else {
                safe += text[0];
            }
            text.remove_prefix(1);
            continue;
        }

        // A whole UTF-8 character passes unless it is a control.
        std::uint32_t code_point = 0;
        if (const auto length = utf8_sequence(text, code_point)) {
            if (is_hidden_control(code_point)) {
                safe += fmt::format("\\u{:04x}", code_point);
            } else {
                safe += text.substr(0, length);
            }
            text.remove_prefix(length);
            continue;
        }

        // A byte that is not part of valid UTF-8: a terminal in an 8-bit mode could take
        // 0x80-0x9F for a C1 control, so none of them is printed raw.
        safe += fmt::format("\\x{:02x}", byte);
        text.remove_prefix(1);
    }
    return safe;
}

}  // namespace sitrep::connectors
