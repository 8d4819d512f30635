#include "templates/markdown_escape.hpp"

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/templates/markdown_tree.hpp"

namespace sitrep::templates {
namespace {

using test::MarkdownNode;
using test::parse_markdown;

// ---- What a reader must see --------------------------------------------------------------

/// U+FFFD, which stands for a control character or a byte that is not UTF-8.
constexpr std::string_view replacement = "\uFFFD";

/// The length of the control character at `at` that must read as U+FFFD, or 0. The texts here
/// hold no other C1 control than U+009B and no other invalid byte than 0xFF.
std::size_t control_length(std::string_view typed, std::size_t at) {
    const auto byte = static_cast<unsigned char>(typed[at]);
    if ((byte < 0x20U && std::string_view{"\t\n\r\v\f"}.find(typed[at]) == std::string_view::npos
        ) ||
        byte == 0x7FU || byte == 0xFFU) {
        return 1;
    }
    return typed.substr(at).starts_with("\u009b") ? 2 : 0;
}

/// The text as it must read once rendered: every line break and tab one space, every control
/// character U+FFFD, blanks at the ends gone.
std::string as_read(std::string_view typed) {
    static constexpr std::array<std::string_view, 9> breaks = {
        "\r\n", "\r", "\n", "\v", "\f", "\t", "\u0085", "\u2028", "\u2029"};
    std::string flat;
    for (std::size_t at = 0; at < typed.size();) {
        std::size_t length = 0;
        for (const std::string_view line_break : breaks) {
            if (typed.substr(at).starts_with(line_break)) {
                length = line_break.size();
                break;
            }
        }
        if (const std::size_t control = control_length(typed, at); control > 0) {
            flat += replacement;
            at += control;
            continue;
        }
        flat += length > 0 ? ' ' : typed[at];
        at += length > 0 ? length : 1;
    }

    const std::size_t first = flat.find_first_not_of(" \t");
    if (first == std::string::npos) {
        return "";
    }
    return flat.substr(first, flat.find_last_not_of(" \t") - first + 1);
}

/// Whether the node is a link that shows its own address, as the autolink of a bare URL does.
bool is_autolink(const MarkdownNode& node) {
    return node.type == "link" && node.children.size() == 1 &&
           node.children.front().type == "text" && node.children.front().literal == node.url;
}

/// The node holds text and nothing else: no emphasis, code, link, HTML or line break, except a
/// link that shows its own address.
void expect_only_text(const MarkdownNode& node, std::string_view expected) {
    for (const MarkdownNode& child : node.children) {
        EXPECT_TRUE(child.type == "text" || is_autolink(child))
            << "markup appeared inside " << node.type << ": " << child.type;
    }
    EXPECT_EQ(node.text(), expected);
}

/// Follows single children of the given types down from `node`; null when the shape differs.
const MarkdownNode* only_children(const MarkdownNode& node, std::vector<std::string_view> types) {
    const MarkdownNode* current = &node;
    for (const std::string_view type : types) {
        if (current->children.size() != 1 || current->children.front().type != type) {
            return nullptr;
        }
        current = &current->children.front();
    }
    return current;
}

// ---- The contexts a value is placed in ---------------------------------------------------

void expect_paragraph_round_trip(std::string_view typed) {
    const std::string escaped = markdown_escape(typed);
    SCOPED_TRACE("escaped: [" + escaped + "]");

    const MarkdownNode document = parse_markdown(escaped + "\n");
    const MarkdownNode* paragraph = only_children(document, {"paragraph"});
    ASSERT_NE(paragraph, nullptr) << "not a single paragraph";
    expect_only_text(*paragraph, as_read(typed));
}

void expect_list_item_round_trip(std::string_view typed) {
    const std::string escaped = markdown_escape(typed);
    SCOPED_TRACE("escaped: [" + escaped + "]");

    const MarkdownNode document = parse_markdown("- " + escaped + "\n");
    const MarkdownNode* paragraph = only_children(document, {"list", "item", "paragraph"});
    ASSERT_NE(paragraph, nullptr) << "not a single list item holding a paragraph";
    expect_only_text(*paragraph, as_read(typed));
}

void expect_table_cell_round_trip(std::string_view typed) {
    const std::string escaped = markdown_escape(typed);
    SCOPED_TRACE("escaped: [" + escaped + "]");

    // The value sits in the middle column, so a stray '|' would shift the last cell.
    const MarkdownNode document =
        parse_markdown("| A | B | C |\n| --- | --- | --- |\n| a | " + escaped + " | c |\n");
    const MarkdownNode* table = only_children(document, {"table"});
    ASSERT_NE(table, nullptr) << "not a single table";
    ASSERT_EQ(table->children.size(), 2U) << "not one header row and one body row";

    const MarkdownNode& row = table->children[1];
    ASSERT_EQ(row.children.size(), 3U) << "the row lost or gained a cell";
    expect_only_text(row.children[0], "a");
    expect_only_text(row.children[1], as_read(typed));
    expect_only_text(row.children[2], "c");
}

void expect_heading_round_trip(std::string_view typed) {
    const std::string escaped = markdown_escape(typed);
    SCOPED_TRACE("escaped: [" + escaped + "]");

    const MarkdownNode document = parse_markdown("# Postmortem: " + escaped + "\n");
    const MarkdownNode* heading = only_children(document, {"heading"});
    ASSERT_NE(heading, nullptr) << "not a single heading";
    expect_only_text(*heading, "Postmortem: " + as_read(typed));
}

/// Two values on one line must not pair up, as '~' in one and '~' in the other would.
void expect_neighbours_round_trip(std::string_view left, std::string_view right) {
    const std::string escaped = markdown_escape(left) + " " + markdown_escape(right);
    SCOPED_TRACE("escaped: [" + escaped + "]");

    const MarkdownNode document = parse_markdown("- 10:02 " + escaped + "\n");
    const MarkdownNode* paragraph = only_children(document, {"list", "item", "paragraph"});
    ASSERT_NE(paragraph, nullptr) << "not a single list item holding a paragraph";
    expect_only_text(*paragraph, "10:02 " + as_read(left) + " " + as_read(right));
}

// ---- Hostile text ------------------------------------------------------------------------

const std::vector<std::string>& hostile_texts() {
    static const std::vector<std::string> texts = {
        "| pipe",
        "a | b | c",
        "|",
        "||",
        "\\|",
        "cell |",
        "# heading",
        "## two",
        "###### six",
        "####### seven",
        "#hashtag",
        "fix issue #",
        "fix issue ##",
        "C#",
        "- list",
        "-",
        "--",
        "---",
        "- - -",
        "+ plus",
        "+",
        "+1 from me",
        "* star",
        "*",
        "***",
        "_ _ _",
        "___",
        "1. list",
        "1) list",
        "1.",
        "2026. a year",
        "1234567890. long",
        "3.5 GB",
        "> quote",
        ">",
        "a > b",
        "=",
        "==",
        "===",
        "= x",
        "*bold*",
        "**strong**",
        "a*b*c",
        "_em_",
        "__init__",
        "snake_case_name",
        "_leading",
        "trailing_",
        "a_",
        "`code`",
        "``",
        "```",
        "```c++",
        "~~~",
        "~~strike~~",
        "~one~",
        "~30% of users",
        "[link](http://x)",
        "![image](x.png)",
        "[ref]: http://x",
        "[^1]",
        "^[note]",
        "[ ] task",
        "[x] done",
        "<script>alert(1)</script>",
        "<div>",
        "<!-- comment -->",
        "<http://x>",
        "<alice@example.com>",
        "x<y>z",
        "a < b",
        "&amp;",
        "&amp;amp;",
        "&copy; &#169; &#xA9;",
        "AT&T",
        "R&D team",
        "&",
        "&&",
        "&#",
        "\\",
        "\\\\",
        "C:\\path\\to\\file",
        "ends with \\",
        "\\*not bold\\*",
        "line one\nline two",
        "para one\n\npara two",
        "windows\r\nline",
        "old mac\rline",
        "tab\tinside",
        "  leading blanks",
        "trailing blanks   ",
        "    indented code",
        "\tindented by tab",
        "hard  \nbreak",
        "back\\\nslash break",
        "vertical\vtab",
        "form\ffeed",
        "next\u0085line",
        "line\u2028separator",
        "para\u2029separator",
        "emoji 🔥🚒 fire",
        "👩‍💻",
        "日本語のテキスト",
        "Привет | мир",
        "مرحبا",
        "Ünïcödé _ünd_ *mehr*",
        "cost $5 to $10",
        "$x$",
        "{{mustache}}",
        "@alice",
        "50% done; ok? yes! (really) \"quoted\" 'single'",
        "!",
        "wow!",
        "![",
        "]",
        "[",
        ")",
        "a]b",
        "x](y)",
        "www.example.com",
        "http://example.com/a_b_c",
        "https://example.com/a_b_c*d",
        "see https://x.example/a*b|c$d&amp;e!",
        "(https://example.com/wiki/Foo_(bar))",
        "<https://example.com/a>",
        "www.example.com/a*b_",
        "xhttps://example.com/a*b",
        std::string("nul\0byte", 9),
        "esc\x1b[2J",
        "bell\x07 and del\x7f",
        "csi \u009b2J",
        "not utf-8 \xff",
        "end.",
        "e.g. this",
    };
    return texts;
}

/// Every ASCII punctuation character alone, repeated, and at the edges and middle of words.
std::vector<std::string> punctuation_texts() {
    std::vector<std::string> texts;
    for (char c = '!'; c <= '~'; ++c) {
        const bool is_punctuation =
            !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
        if (!is_punctuation) {
            continue;
        }
        const std::string one(1, c);
        for (const std::string& text :
             {one,
              one + one,
              one + one + one,
              one + " x",
              "x " + one,
              "x" + one + "y",
              one + "x" + one,
              "a " + one + one + "b" + one + one + " c",
              one + " " + one}) {
            texts.push_back(text);
        }
    }
    return texts;
}

/// Strings built from markdown's sharpest pieces, from a fixed seed so failures reproduce.
std::vector<std::string> random_texts(std::size_t count) {
    static const std::vector<std::string> pieces = {
        "a",       "b",        "Z",           "0",      "7",      " ",
        " ",       "\t",       "\n",          "\r\n",   "é",      "🔥",
        "http://", "www.",     "&amp;",       "&#",     ";",      "1.",
        "2)",      "- ",       "+ ",          "> ",     "# ",     "```",
        "~~",      "__",       "**",          "<a>",    "](",     "![",
        "\\",      "|",        "`",           "*",      "_",      "~",
        "[",       "]",        "<",           ">",      "#",      "&",
        "!",       "=",        "-",           "+",      ".",      ")",
        "(",       ":",        "@",           "$",      "^",      "\"",
        "'",       "https://", "HTTP://x.y/", "ftp://", "www.x.", "/",
        "\x1b",    "\x7f",     "\x01",        "\u009b", "\xff",   std::string(1, '\0')};
    std::mt19937 generator(20261203);
    std::uniform_int_distribution<std::size_t> length(1, 12);
    std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);

    std::vector<std::string> texts;
    for (std::size_t index = 0; index < count; ++index) {
        std::string text;
        for (std::size_t n = length(generator); n > 0; --n) {
            text += pieces[piece(generator)];
        }
        texts.push_back(text);
    }
    return texts;
}

std::vector<std::string> all_texts() {
    std::vector<std::string> texts = hostile_texts();
    const std::vector<std::string> punctuation = punctuation_texts();
    const std::vector<std::string> random = random_texts(3000);
    texts.insert(texts.end(), punctuation.begin(), punctuation.end());
    texts.insert(texts.end(), random.begin(), random.end());
    return texts;
}

template <typename Check>
void for_each_readable_text(Check check) {
    for (const std::string& typed : all_texts()) {
        if (as_read(typed).empty()) {
            continue;  // renders as nothing at all, checked on its own below
        }
        SCOPED_TRACE("typed: [" + typed + "]");
        check(typed);
    }
}

// ---- Tests -------------------------------------------------------------------------------

TEST(MarkdownEscape, RoundTripsAsParagraph) {
    for_each_readable_text(expect_paragraph_round_trip);
}

TEST(MarkdownEscape, RoundTripsAsListItem) {
    for_each_readable_text(expect_list_item_round_trip);
}

TEST(MarkdownEscape, RoundTripsAsTableCell) {
    for_each_readable_text(expect_table_cell_round_trip);
}

TEST(MarkdownEscape, RoundTripsAsHeadingText) {
    for_each_readable_text(expect_heading_round_trip);
}

TEST(MarkdownEscape, RoundTripsNextToAnotherValueOnTheSameLine) {
    const std::vector<std::string>& texts = hostile_texts();
    for (const std::string& left : texts) {
        for (const std::string& right : texts) {
            if (as_read(left).empty() || as_read(right).empty()) {
                continue;
            }
            SCOPED_TRACE("typed: [" + left + "] and [" + right + "]");
            expect_neighbours_round_trip(left, right);
        }
    }
}

TEST(MarkdownEscape, KeepsBareUrlTextWhenGithubLinksIt) {
    // GitHub links bare URLs and addresses; that is welcome, as long as the text stays the same.
    for (const std::string typed :
         {"see www.example.com/a_b", "https://grafana.local/d/x?y=1", "mail oncall@example.com"}) {
        SCOPED_TRACE("typed: [" + typed + "]");
        const MarkdownNode document =
            parse_markdown(markdown_escape(typed) + "\n", {.autolink = true});
        EXPECT_EQ(document.text(), typed);
    }
}

/// Every link in the node and below it.
void collect_links(const MarkdownNode& node, std::vector<const MarkdownNode*>& links) {
    if (node.type == "link") {
        links.push_back(&node);
    }
    for (const MarkdownNode& child : node.children) {
        collect_links(child, links);
    }
}

/// The destinations GitHub's parser, with its autolink extension, links to in the document.
std::vector<std::string> link_destinations(std::string_view markdown) {
    const MarkdownNode document = parse_markdown(markdown, {.autolink = true});
    std::vector<const MarkdownNode*> links;
    collect_links(document, links);
    std::vector<std::string> urls;
    for (const MarkdownNode* link : links) {
        urls.push_back(link->url);
    }
    return urls;
}

TEST(MarkdownEscape, LinksBareUrlToExactlyThatUrl) {
    // Escaped as text, GitHub linked this to "https://example.com/a_b_c%5C*d": the autolink
    // extension reads the backslashes as part of the address.
    const std::vector<std::string> urls = {
        "https://example.com/a_b_c*d",
        "https://example.com/a_b_c*d_e",
        "http://grafana.local/d/x?var-host=a|b&from=now-1h&to=now",
        "https://example.com/q?x=1&amp;y=2&#169;z",
        "https://example.com/$price/~user/[1]/`tick`/\\back",
        "https://example.com/wiki/Foo_(bar)",
        "HTTPS://EXAMPLE.COM/A*B",
        "ftp://files.example.com/pub/a_b*c",
        "https://例え.jp/パス*x",
    };
    for (const std::string& url : urls) {
        SCOPED_TRACE("url: [" + url + "]");
        const std::string escaped = markdown_escape("see " + url + " now");
        SCOPED_TRACE("escaped: [" + escaped + "]");

        EXPECT_EQ(link_destinations(escaped + "\n"), std::vector<std::string>{url});
        EXPECT_EQ(link_destinations("- " + escaped + "\n"), std::vector<std::string>{url});
        EXPECT_EQ(
            link_destinations("# Postmortem: " + escaped + "\n"), std::vector<std::string>{url}
        );
        EXPECT_EQ(
            link_destinations("| A | B |\n| --- | --- |\n| " + escaped + " | b |\n"),
            std::vector<std::string>{url}
        );
        EXPECT_EQ(parse_markdown(escaped + "\n", {.autolink = true}).text(), "see " + url + " now");
    }
}

TEST(MarkdownEscape, WritesBareUrlAsAnAutolink) {
    EXPECT_EQ(
        markdown_escape("see https://example.com/a_b_c*d"), "see <https://example.com/a_b_c*d>"
    );
    EXPECT_EQ(
        markdown_escape("https://x.example/a|b$c&amp;d&e"),
        "<https://x.example/a&#124;b&#36;c&amp;amp;d&e>"
    );
}

TEST(MarkdownEscape, LeavesSentencePunctuationOutOfTheLink) {
    // Where GitHub ends a bare URL: trailing punctuation and an unmatched ')' are the sentence's.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"see https://example.com/a*b.", "https://example.com/a*b"},
        {"is it https://example.com/a_b?", "https://example.com/a_b"},
        {"(https://example.com/a*b)", "https://example.com/a*b"},
        {"(https://example.com/Foo_(bar))", "https://example.com/Foo_(bar)"},
        {"\"https://example.com/a*b\",", "https://example.com/a*b"},
        {"https://example.com/a*b!", "https://example.com/a*b"},
        {"https://example.com/a*b&amp;", "https://example.com/a*b"},
        {"https://example.com/a*b;", "https://example.com/a*b"},
        {"<https://example.com/a*b>", "https://example.com/a*b"},
    };
    for (const auto& [typed, url] : cases) {
        SCOPED_TRACE("typed: [" + typed + "]");
        const std::string escaped = markdown_escape(typed);
        SCOPED_TRACE("escaped: [" + escaped + "]");
        EXPECT_EQ(link_destinations(escaped + "\n"), std::vector<std::string>{url});
        EXPECT_EQ(parse_markdown(escaped + "\n", {.autolink = true}).text(), typed);
    }
}

TEST(MarkdownEscape, NeverLetsGithubLinkAnAddressTheTextDoesNotHold) {
    // Whatever GitHub links, with or without a scheme, shows its own address or the typed
    // www./e-mail text, never one with a backslash the escape put in.
    for (const std::string& typed : all_texts()) {
        const std::string escaped = markdown_escape(typed);
        SCOPED_TRACE("typed: [" + typed + "] escaped: [" + escaped + "]");
        const MarkdownNode document = parse_markdown(escaped + "\n", {.autolink = true});
        std::vector<const MarkdownNode*> links;
        collect_links(document, links);
        for (const MarkdownNode* link : links) {
            const std::string shown = link->text();
            EXPECT_TRUE(
                link->url == shown || link->url == "http://" + shown ||
                link->url == "mailto:" + shown
            ) << "links to ["
              << link->url << "] showing [" << shown << "]";
            EXPECT_NE(as_read(typed).find(shown), std::string::npos) << shown;
        }
        if (!as_read(typed).empty()) {
            EXPECT_EQ(document.text(), as_read(typed));
        }
    }
}

TEST(MarkdownEscape, KeepsWwwLinkThatWouldNeedABackslashFromLinking) {
    // "www." links have no scheme to write an autolink with; GitHub would link this one to
    // "http://www.example.com/a%5C*b".
    EXPECT_EQ(markdown_escape("www.example.com/a*b"), "www\\.example.com/a\\*b");
    EXPECT_EQ(markdown_escape("WWW.example.com/a*b"), "WWW\\.example.com/a\\*b");
    EXPECT_EQ(link_destinations(markdown_escape("see www.example.com/a*b") + "\n").size(), 0U);
    EXPECT_EQ(markdown_escape("www.example.com/a_b"), "www.example.com/a_b");
}

TEST(MarkdownEscape, ReplacesControlCharactersWithTheReplacementCharacter) {
    EXPECT_EQ(markdown_escape(std::string("a\0b", 3)), "a\uFFFDb");
    EXPECT_EQ(markdown_escape("\x1b]0;title\x07 x"), "\uFFFD\\]0;title\uFFFD x");
    EXPECT_EQ(markdown_escape("del\x7f \x01\x1f"), "del\uFFFD \uFFFD\uFFFD");
    EXPECT_EQ(markdown_escape("csi \u009b2J \u0080"), "csi \uFFFD2J \uFFFD");
    EXPECT_EQ(markdown_escape("cut \xe2\x80 and \xff\xfe"), "cut \uFFFD\uFFFD and \uFFFD\uFFFD");
    EXPECT_EQ(markdown_escape("a\tb\t"), "a b");
    EXPECT_EQ(markdown_escape("next\u0085line"), "next line");
}

TEST(MarkdownEscape, LeavesNoControlByteInTheOutput) {
    for (const std::string& typed : all_texts()) {
        const std::string escaped = markdown_escape(typed);
        for (const char c : escaped) {
            const auto byte = static_cast<unsigned char>(c);
            ASSERT_TRUE(byte >= 0x20U && byte != 0x7FU)
                << "typed: [" << typed << "] escaped: [" << escaped << "]";
        }
    }
}

TEST(MarkdownEscape, ReturnsEmptyTextForBlankInput) {
    EXPECT_EQ(markdown_escape(""), "");
    EXPECT_EQ(markdown_escape(" \t\r\n "), "");
}

TEST(MarkdownEscape, LeavesOrdinaryProseUntouched) {
    for (const std::string prose :
         {"checkout-api v1.2 failed: 30% of users, e.g. login; retried (twice).",
          "rolled back order_service and user_id cache",
          "R&D team paged at 14:02",
          "C# client and \"quoted\" 'words' — fine? yes.",
          "2026-12-03 14:02"}) {
        EXPECT_EQ(markdown_escape(prose), prose);
    }
}

TEST(MarkdownEscape, TurnsEachLineBreakIntoOneSpace) {
    EXPECT_EQ(markdown_escape("one\r\ntwo\nthree\rfour\u2028five"), "one two three four five");
    EXPECT_EQ(markdown_escape("a\n\nb"), "a  b");
}

TEST(MarkdownEscape, DropsBlanksAtBothEnds) {
    EXPECT_EQ(markdown_escape("  \t text \n"), "text");
}

TEST(MarkdownEscape, EscapesPipeForTableCells) {
    EXPECT_EQ(markdown_escape("503 | 502"), "503 \\| 502");
}

TEST(MarkdownEscape, EscapesBlockMarkersAtTheStart) {
    EXPECT_EQ(markdown_escape("- x"), "\\- x");
    EXPECT_EQ(markdown_escape("1. x"), "1\\. x");
    EXPECT_EQ(markdown_escape("12) x"), "12\\) x");
    EXPECT_EQ(markdown_escape("> x"), "\\> x");
    EXPECT_EQ(markdown_escape("## x"), "\\## x");
    EXPECT_EQ(markdown_escape("==="), "\\===");
}

TEST(MarkdownEscape, EscapesWhatGithubOrTheTemplateCouldTurnIntoMarkup) {
    // cmark-gfm alone would not object to these: '$' is GitHub's math, and ']' or a final '!'
    // only matter when the template writes a '[' around or after the text.
    EXPECT_EQ(markdown_escape("cost $5 to $10"), "cost \\$5 to \\$10");
    EXPECT_EQ(markdown_escape("a]b"), "a\\]b");
    EXPECT_EQ(markdown_escape("wow!"), "wow\\!");
    EXPECT_EQ(markdown_escape("wow! yes"), "wow! yes");
}

TEST(MarkdownEscape, KeepsTypedEntityVisible) {
    EXPECT_EQ(markdown_escape("&amp; &#169;"), "\\&amp; \\&#169;");
}

TEST(MarkdownEscape, PassesUtf8Through) {
    const std::string text = "🔥 Привет, 日本語 — ünïcödé";
    EXPECT_EQ(markdown_escape(text), text);
}

}  // namespace
}  // namespace sitrep::templates
