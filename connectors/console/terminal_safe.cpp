#include "connectors/console/terminal_safe.hpp"

#include <cstddef>
#include <cstdint>

#include <fmt/format.h>

namespace sitrep::connectors {

namespace {

bool is_continuation(unsigned char byte) {
    return (byte & 0xC0U) == 0x80U;
}

/// The length of the valid UTF-8 sequence at the start of `text` (a non-ASCII lead byte), and
/// its code point; 0 when it is not valid UTF-8 (overlong, surrogate, past U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view text, std::uint32_t& code_point) {
    const auto lead = static_cast<unsigned char>(text[0]);
    std::size_t length = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
        minimum = 0x80;
        code_point = lead & 0x1FU;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        minimum = 0x800;
        code_point = lead & 0x0FU;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        minimum = 0x10000;
        code_point = lead & 0x07U;
    } else {
        return 0;
    }
    if (text.size() < length) {
        return 0;
    }

    for (std::size_t i = 1; i < length; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (!is_continuation(byte)) {
            return 0;
        }
        code_point = (code_point << 6U) | (byte & 0x3FU);
    }
    const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
    if (code_point < minimum || code_point > 0x10FFFF || surrogate) {
        return 0;
    }
    return length;
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
