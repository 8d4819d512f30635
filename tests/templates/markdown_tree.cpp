#include "tests/templates/markdown_tree.hpp"

#include <memory>
#include <stdexcept>

#include <cmark-gfm.h>

#include <cmark-gfm-core-extensions.h>

namespace sitrep::test {

namespace {

struct ParserDeleter {
    void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};

struct NodeDeleter {
    void operator()(cmark_node* node) const { cmark_node_free(node); }
};

void attach_extension(cmark_parser* parser, const char* name) {
    cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
    if (extension == nullptr) {
        throw std::runtime_error(std::string("cmark-gfm has no extension ") + name);
    }
    cmark_parser_attach_syntax_extension(parser, extension);
}

MarkdownNode copy_tree(cmark_node* node) {
    MarkdownNode copy;
    copy.type = cmark_node_get_type_string(node);
    if (const char* literal = cmark_node_get_literal(node); literal != nullptr) {
        copy.literal = literal;
    }
    if (const char* url = cmark_node_get_url(node); url != nullptr) {
        copy.url = url;
    }
    if (cmark_node_get_type(node) == CMARK_NODE_HEADING) {
        copy.heading_level = cmark_node_get_heading_level(node);
    }

    for (cmark_node* child = cmark_node_first_child(node); child != nullptr;
         child = cmark_node_next(child)) {
        copy.children.push_back(copy_tree(child));
    }
    return copy;
}

}  // namespace

std::string MarkdownNode::text() const {
    if (type == "softbreak" || type == "linebreak") {
        return " ";
    }
    std::string joined = literal;
    for (const MarkdownNode& child : children) {
        joined += child.text();
    }
    return joined;
}

std::vector<std::string> MarkdownNode::types() const {
    std::vector<std::string> all = {type};
    for (const MarkdownNode& child : children) {
        const std::vector<std::string> below = child.types();
        all.insert(all.end(), below.begin(), below.end());
    }
    return all;
}

std::vector<const MarkdownNode*> MarkdownNode::children_of_type(std::string_view kind) const {
    std::vector<const MarkdownNode*> found;
    for (const MarkdownNode& child : children) {
        if (child.type == kind) {
            found.push_back(&child);
        }
    }
    return found;
}

MarkdownNode parse_markdown(std::string_view markdown, ParseOptions options) {
    cmark_gfm_core_extensions_ensure_registered();
    const std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_FOOTNOTES)
    );
    for (const char* name : {"table", "strikethrough", "tasklist"}) {
        attach_extension(parser.get(), name);
    }
    if (options.autolink) {
        attach_extension(parser.get(), "autolink");
    }

    cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
    const std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
    return copy_tree(document.get());
}

std::vector<const MarkdownNode*> section_blocks(
    const MarkdownNode& document, std::string_view heading
) {
    const auto is_section_heading = [](const MarkdownNode& node) {
        return node.type == "heading" && node.heading_level <= 2;
    };

    std::vector<const MarkdownNode*> blocks;
    bool inside = false;
    for (const MarkdownNode& block : document.children) {
        if (is_section_heading(block)) {
            inside = block.heading_level == 2 && block.text() == heading;
        } else if (inside) {
            blocks.push_back(&block);
        }
    }
    return blocks;
}

std::vector<std::vector<std::string>> table_cells(const MarkdownNode& table) {
    std::vector<std::vector<std::string>> rows;
    for (const MarkdownNode& row : table.children) {
        std::vector<std::string> cells;
        for (const MarkdownNode& cell : row.children) {
            cells.push_back(cell.text());
        }
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace sitrep::test
