#include "commands/text.hpp"

#include <algorithm>
#include <numeric>

namespace sitrep::commands::text {

namespace {

// Long enough to recognise what was typed, short enough to keep the error on one line.
constexpr std::size_t max_echo_bytes = 40;

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

bool is_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20U || byte == 0x7FU;
}

}  // namespace

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string ascii_lower(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), to_lower);
    return lower;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return to_lower(x) == to_lower(y);
           });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string echo(std::string_view typed) {
    if (typed.empty()) {
        return "\"\"";
    }

    // Cut back to the start of a UTF-8 sequence so the echo never ends in half a character.
    // The walk stops after three bytes: invalid input has no boundary to find.
    auto length = typed.size();
    const bool cut = length > max_echo_bytes;
    if (cut) {
        length = max_echo_bytes;
        for (int step = 0; step < 3 && length > 0 && is_continuation_byte(typed[length]); ++step) {
            --length;
        }
    }

    std::string shown(typed.substr(0, length));
    std::replace_if(shown.begin(), shown.end(), is_control, '?');
    if (cut) {
        shown += "\u2026";
    }
    return shown;
}

std::string join_choices(const std::vector<std::string>& choices) {
    std::string joined;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (i > 0) {
            joined += (i + 1 == choices.size()) ? " or " : ", ";
        }
        joined += choices[i];
    }
    return joined;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Two rows of the classic dynamic programme: previous[j] is the distance between the
    // first i-1 bytes of a and the first j bytes of b.
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});

    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

}  // namespace sitrep::commands::text
