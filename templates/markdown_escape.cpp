#include "templates/markdown_escape.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include <boost/locale/utf.hpp>

// CommonMark lets a backslash stand before any ASCII punctuation and then shows the character
// itself. So the escape puts one before every character that could start or close markup, and
// leaves alone the punctuation that cannot (such as '.', ',', ':', '-' inside the text), so that
// the document still reads well as plain text.
namespace sitrep::templates {

namespace {

constexpr std::size_t none = std::string_view::npos;

/// U+FFFD REPLACEMENT CHARACTER, shown where a control character or a byte that is not UTF-8
/// was: the artifact stays text that git diffs and a terminal prints without acting on it.
constexpr std::string_view replacement = "\xEF\xBF\xBD";

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

bool is_ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_ascii_alpha(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char ascii_lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (ascii_lower(text[i]) != prefix[i]) {
            return false;
        }
    }
    return true;
}

// ---- Control characters ------------------------------------------------------------------

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

/// The text with every control character but the line breaks (which join_lines() turns into
/// spaces) replaced: a tab by a space, the other C0 controls, DEL, the C1 controls and bytes that
/// are not UTF-8 by U+FFFD. A NUL would make git treat the artifact as binary, and an ESC
/// would drive the terminal of whoever prints it.
std::string replace_controls(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text[0]);
        if (byte < 0x80U) {
            const bool line_break = byte == '\n' || byte == '\r' || byte == '\v' || byte == '\f';
            if (byte == '\t') {
                clean += ' ';
            } else if ((byte < 0x20U && !line_break) || byte == 0x7FU) {
                clean += replacement;
            } else {
                clean += text[0];
            }
            text.remove_prefix(1);
            continue;
        }

        // U+0085 NEXT LINE is a line break; the other C1 controls are not text.
        std::uint32_t code_point = 0;
        const std::size_t length = utf8_sequence(text, code_point);
        if (length == 0) {
            clean += replacement;
            text.remove_prefix(1);
            continue;
        }
        const bool c1_control = code_point <= 0x9FU && code_point != 0x85U;
        clean += c1_control ? replacement : text.substr(0, length);
        text.remove_prefix(length);
    }
    return clean;
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

// ---- Bare URLs ---------------------------------------------------------------------------
// GitHub links a bare URL (the autolink extension) by reading the markdown source, backslashes
// included: "https://x/a\*b" would link to "https://x/a%5C*b". So a URL is written as an
// autolink, "<https://x/a*b>", inside which nothing is markup and no backslash is needed.

/// Where a link that starts at `from` must end at the latest: at a space, or at a character
/// in `stops` (join_lines() and replace_controls() left no other blank or control).
std::size_t token_end(std::string_view text, std::size_t from, std::string_view stops) {
    std::size_t end = from;
    while (end < text.size() && text[end] != ' ' && stops.find(text[end]) == none) {
        ++end;
    }
    return end;
}

/// Where GitHub ends a link that runs to `end`: trailing punctuation is the sentence's, a ')'
/// closes an opening outside the link unless the link has its own '(', and a final ';' (with
/// the "&name" before it) is dropped. cmark-gfm's autolink_delim(), rule for rule.
std::size_t trim_link_end(std::string_view text, std::size_t start, std::size_t end) {
    constexpr std::string_view trailing = "?!.,:*_~'\"";
    while (end > start) {
        const char last = text[end - 1];
        if (trailing.find(last) != none) {
            --end;
        } else if (last == ';') {
            std::size_t name = end - 1;
            while (name > start && is_ascii_alpha(text[name - 1])) {
                --name;
            }
            end = name > start && name < end - 1 && text[name - 1] == '&' ? name - 1 : end - 1;
        } else if (last == ')') {
            const std::string_view link = text.substr(start, end - start);
            const auto opening = std::count(link.begin(), link.end(), '(');
            const auto closing = std::count(link.begin(), link.end(), ')');
            if (closing <= opening) {
                break;
            }
            --end;
        } else {
            break;
        }
    }
    return end;
}

/// The length of the bare URL that starts at `at`, or 0: a scheme GitHub links (http://,
/// https:// or ftp://, in any case) not preceded by a letter, and something after it.
std::size_t bare_url_length(std::string_view text, std::size_t at) {
    if (at > 0 && is_ascii_alpha(text[at - 1])) {
        return 0;
    }
    std::size_t scheme = 0;
    for (const std::string_view prefix : {"http://", "https://", "ftp://"}) {
        if (istarts_with(text.substr(at), prefix)) {
            scheme = prefix.size();
        }
    }
    if (scheme == 0) {
        return 0;
    }
    // GitHub's link would run to a '<'; an autolink cannot hold a '>' either.
    const std::size_t end = trim_link_end(text, at, token_end(text, at, "<>"));
    return end > at + scheme ? end - at : 0;
}

/// Whether "name;" or "#number;" follows an '&' inside a URL, which cmark would decode.
bool starts_entity(std::string_view url, std::size_t from) {
    std::size_t end = from;
    while (end < url.size() && (is_ascii_alnum(url[end]) || url[end] == '#')) {
        ++end;
    }
    return end > from && end < url.size() && url[end] == ';';
}

/// The URL as an autolink. Inside one, cmark decodes entities but reads nothing else, so the
/// characters that would still change something are written as entities: an '&' that starts
/// one, a '|' (a table would split the cell there) and a '$' (GitHub's math).
std::string autolink(std::string_view url) {
    std::string link = "<";
    for (std::size_t at = 0; at < url.size(); ++at) {
        if (url[at] == '|') {
            link += "&#124;";
        } else if (url[at] == '$') {
            link += "&#36;";
        } else if (url[at] == '&' && starts_entity(url, at + 1)) {
            link += "&amp;";
        } else {
            link += url[at];
        }
    }
    return link + ">";
}

/// Whether a "www." link starts at `at` that the escape would put a backslash into: GitHub
/// would link it with the backslash in the address. A backslash before its '.' stops GitHub
/// from taking it for a link at all, and the text still reads the same.
bool is_www_link_to_break(std::string_view text, std::size_t at) {
    if (!istarts_with(text.substr(at), "www.")) {
        return false;
    }
    // GitHub's link runs to a '<', and takes the backslash before it (which is always there).
    const std::size_t end = token_end(text, at, "<");
    if (end < text.size() && text[end] == '<') {
        return true;
    }
    for (std::size_t i = at; i < end; ++i) {
        if (needs_backslash(text, i)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string markdown_escape(std::string_view text) {
    const std::string joined = join_lines(replace_controls(text));
    const std::string_view line = trim_blanks(joined);
    const std::size_t block_marker = block_marker_position(line);
    const std::size_t closing_hashes = closing_hashes_position(line);

    // Bytes of multi-byte UTF-8 sequences are all >= 0x80 and pass through unchanged.
    std::string escaped;
    escaped.reserve(line.size() + line.size() / 8);
    for (std::size_t at = 0; at < line.size(); ++at) {
        if (const std::size_t url = bare_url_length(line, at); url > 0) {
            escaped += autolink(line.substr(at, url));
            at += url - 1;
            continue;
        }
        if (is_www_link_to_break(line, at)) {
            escaped += line.substr(at, 3);
            escaped += "\\.";
            at += 3;
            continue;
        }

        if (at == block_marker || at == closing_hashes || needs_backslash(line, at)) {
            escaped += '\\';
        }
        escaped += line[at];
    }
    return escaped;
}

}  // namespace sitrep::templates
