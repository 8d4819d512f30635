#include "templates/markdown_escape.hpp"

#include <array>
#include <cstddef>

// CommonMark lets a backslash stand before any ASCII punctuation and then shows the character
// itself. So the escape puts one before every character that could start or close markup, and
// leaves alone the punctuation that cannot (such as '.', ',', ':', '-' inside the text), so that
// the document still reads well as plain text.
namespace sitrep::templates {

namespace {

constexpr std::size_t none = std::string_view::npos;

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

/// Length of the line break that starts at `at`, or 0. CommonMark only knows CR and LF, but a
/// vertical tab, form feed, NEL or Unicode line/paragraph separator would still break the line
/// where the document is shown.
std::size_t line_break_length(std::string_view text, std::size_t at) {
    static constexpr std::array<std::string_view, 8> breaks = {
        "\r\n", "\r", "\n", "\v", "\f", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"};
    const std::string_view rest = text.substr(at);
    for (const std::string_view line_break : breaks) {
        if (rest.starts_with(line_break)) {
            return line_break.size();
        }
    }
    return 0;
}

/// The text on one line: a value must not end a paragraph or a table row early.
std::string join_lines(std::string_view text) {
    std::string joined;
    joined.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (const std::size_t length = line_break_length(text, at); length > 0) {
            joined += ' ';
            at += length;
        } else {
            joined += text[at++];
        }
    }
    return joined;
}

/// Leading blanks would make indented code at the start of a line, and trailing ones a hard
/// line break; both vanish from the rendered text anyway.
std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_blank(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::size_t run_end(std::string_view text, std::size_t from, char c) {
    while (from < text.size() && text[from] == c) {
        ++from;
    }
    return from;
}

/// The character that would open a block when the text starts a line or a list item: a quote,
/// a bullet, an ordered-list number, a heading, a thematic break or a setext underline. One
/// backslash there defuses it. Characters escaped everywhere ('*', '_', '`', '~', '<', '[', '|')
/// need no rule here.
std::size_t block_marker_position(std::string_view text) {
    if (text.empty()) {
        return none;
    }
    const auto ends_marker = [text](std::size_t at) {
        return at >= text.size() || is_blank(text[at]);
    };

    const char first = text.front();
    if (first == '>') {
        return 0;
    }
    if (first == '-' || first == '+' || first == '=') {
        return ends_marker(1) || text[1] == first ? 0 : none;
    }
    if (first == '#') {
        return ends_marker(run_end(text, 0, '#')) ? 0 : none;
    }

    // "1." or "1)" followed by a blank starts an ordered list; CommonMark allows 9 digits.
    std::size_t digits = 0;
    while (digits < text.size() && is_ascii_digit(text[digits])) {
        ++digits;
    }
    const bool is_list_number = digits > 0 && digits <= 9 && digits < text.size() &&
                                (text[digits] == '.' || text[digits] == ')') &&
                                ends_marker(digits + 1);
    return is_list_number ? digits : none;
}

/// A run of '#' after a blank at the very end would be taken as the closing sequence of a
/// heading the template put the text in ("# Postmortem: fix issue #"), and dropped.
std::size_t closing_hashes_position(std::string_view text) {
    if (text.empty() || text.back() != '#') {
        return none;
    }
    const std::size_t last_other = text.find_last_not_of('#');
    if (last_other == none || !is_blank(text[last_other])) {
        return none;
    }
    return last_other + 1;
}

/// An underscore run with a letter or digit on both sides can neither open nor close emphasis,
/// so snake_case names stay readable.
bool is_inside_word(std::string_view text, std::size_t at) {
    std::size_t start = at;
    while (start > 0 && text[start - 1] == '_') {
        --start;
    }
    const std::size_t end = run_end(text, at, '_');
    return start > 0 && is_ascii_alnum(text[start - 1]) && end < text.size() &&
           is_ascii_alnum(text[end]);
}

/// Whether a name or number that could end in ';' follows an '&' ("&amp;", "&#169;"). The end
/// of the text counts too, as whatever the template writes next could supply the ';'.
bool starts_reference(std::string_view text, std::size_t from) {
    std::size_t end = from;
    while (end < text.size() && (is_ascii_alnum(text[end]) || text[end] == '#')) {
        ++end;
    }
    return end > from && (end == text.size() || text[end] == ';');
}

/// Whether the character at `at` needs a backslash wherever it stands in the text.
bool needs_backslash(std::string_view text, std::size_t at) {
    switch (text[at]) {
        // Markup wherever they stand, or as soon as a partner turns up, possibly in another
        // value on the same line: escapes, code spans, emphasis, strikethrough, links, HTML and
        // autolinks, table cells, and GitHub's $math$.
        case '\\':
        case '`':
        case '*':
        case '~':
        case '[':
        case ']':
        case '<':
        case '|':
        case '$':
            return true;
        case '_':
            return !is_inside_word(text, at);
        case '!':
            // An image needs "![", and every '[' of ours is escaped; but the template might
            // write one right after the text.
            return at + 1 == text.size();
        case '&':
            return starts_reference(text, at + 1);
        default:
            return false;
    }
}

}  // namespace

std::string markdown_escape(std::string_view text) {
    const std::string joined = join_lines(text);
    const std::string_view line = trim_blanks(joined);
    const std::size_t block_marker = block_marker_position(line);
    const std::size_t closing_hashes = closing_hashes_position(line);

    // Bytes of multi-byte UTF-8 sequences are all >= 0x80 and pass through unchanged.
    std::string escaped;
    escaped.reserve(line.size() + line.size() / 8);
    for (std::size_t at = 0; at < line.size(); ++at) {
        if (at == block_marker || at == closing_hashes || needs_backslash(line, at)) {
            escaped += '\\';
        }
        escaped += line[at];
    }
    return escaped;
}

}  // namespace sitrep::templates
