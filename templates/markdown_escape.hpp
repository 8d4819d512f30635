#pragma once

#include <string>
#include <string_view>

namespace sitrep::templates {

/// Makes text that a responder typed safe to place in a markdown document, inline or in a
/// table cell: it renders as the same characters and never as markup (no heading, list, link,
/// emphasis, code span, HTML or table-cell break). Line breaks become spaces, and whitespace at
/// either end is dropped, since markdown would drop it or read it as indentation anyway.
[[nodiscard]] std::string markdown_escape(std::string_view text);

}  // namespace sitrep::templates
