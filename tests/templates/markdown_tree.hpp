#pragma once

#include <string>
#include <string_view>
#include <vector>

/// Markdown parsed by cmark-gfm, GitHub's own parser, copied into plain structs so that tests
/// can check the structure a document really has instead of matching strings.
namespace sitrep::test {

struct MarkdownNode {
    std::string type;     ///< cmark's name: "paragraph", "text", "table_cell", "heading", ...
    std::string literal;  ///< the text of text, code and HTML nodes
    std::string url;      ///< the destination of link and image nodes
    int heading_level = 0;
    std::vector<MarkdownNode> children;

    /// The text a reader sees, line breaks as spaces.
    [[nodiscard]] std::string text() const;

    /// The type of this node and of every node below it.
    [[nodiscard]] std::vector<std::string> types() const;

    /// Children of the given type, in order.
    [[nodiscard]] std::vector<const MarkdownNode*> children_of_type(std::string_view kind) const;
};

struct ParseOptions {
    /// GitHub also links bare URLs and e-mail addresses; off unless a test is about that.
    bool autolink = false;
};

/// Parses with the extensions GitHub uses for documents: tables, strikethrough, task lists and
/// footnotes.
[[nodiscard]] MarkdownNode parse_markdown(std::string_view markdown, ParseOptions options = {});

/// The blocks of a document between the `##` heading with this text and the next `##` heading.
[[nodiscard]] std::vector<const MarkdownNode*> section_blocks(
    const MarkdownNode& document, std::string_view heading
);

/// The blocks point into the document, so it must outlive them.
std::vector<const MarkdownNode*> section_blocks(MarkdownNode&& document, std::string_view) = delete;

/// Every cell's text, row by row, the header row first.
[[nodiscard]] std::vector<std::vector<std::string>> table_cells(const MarkdownNode& table);

}  // namespace sitrep::test
