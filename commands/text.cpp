#include "commands/text.hpp"

#include <algorithm>
#include <array>
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

// The UTF-8 spellings of the blank characters trim() removes besides ASCII white space. Chat
// clients insert some of them (a no-break space after a quote, a zero-width space from a paste),
// and none of them is visible on its own.
constexpr std::array<std::string_view, 24> unicode_blanks{
    "\xC2\x85",      // U+0085 next line
    "\xC2\xA0",      // U+00A0 no-break space
    "\xE1\x9A\x80",  // U+1680 ogham space mark
    "\xE2\x80\x80",  // U+2000 en quad, through ...
    "\xE2\x80\x81", "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85",
    "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89",
    "\xE2\x80\x8A",  // ... U+200A hair space
    "\xE2\x80\x8B",  // U+200B zero-width space
    "\xE2\x80\x8C",  // U+200C zero-width non-joiner
    "\xE2\x80\x8D",  // U+200D zero-width joiner
    "\xE2\x80\xA8",  // U+2028 line separator
    "\xE2\x80\xA9",  // U+2029 paragraph separator
    "\xE2\x80\xAF",  // U+202F narrow no-break space
    "\xE2\x81\x9F",  // U+205F medium mathematical space
    "\xE2\x81\xA0",  // U+2060 word joiner
    "\xE3\x80\x80",  // U+3000 ideographic space
    "\xEF\xBB\xBF",  // U+FEFF zero-width no-break space (byte order mark)
};

// The length of the blank character `text` starts (or, with `at_end`, ends) with; 0 if none.
std::size_t blank_length(std::string_view text, bool at_end) {
    if (text.empty()) {
        return 0;
    }
    if (is_space(at_end ? text.back() : text.front())) {
        return 1;
    }
    const auto matches = [&](std::string_view blank) {
        return at_end ? text.ends_with(blank) : text.starts_with(blank);
    };
    for (const auto blank : unicode_blanks) {
        if (matches(blank)) {
            return blank.size();
        }
    }
    return 0;
}

}  // namespace

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view text) {
    while (const auto length = blank_length(text, false)) {
        text.remove_prefix(length);
    }
    while (const auto length = blank_length(text, true)) {
        text.remove_suffix(length);
    }
    return text;
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

std::string cut_utf8(std::string_view text, std::size_t max_bytes) {
    constexpr std::string_view ellipsis = "\u2026";
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

std::string echo(std::string_view typed) {
    if (typed.empty()) {
        return "\"\"";
    }

    // At most max_echo_bytes of the value, then the mark of the cut.
    auto shown = cut_utf8(typed, max_echo_bytes + std::string_view{"\u2026"}.size());
    std::replace_if(shown.begin(), shown.end(), is_control, '?');
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
