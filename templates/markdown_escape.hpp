#pragma once

#include <string>
#include <string_view>

namespace sitrep::templates {

/// Makes text that a responder typed safe to place in a markdown document, inline or in a
/// table cell: it renders as the same characters and never as markup (no heading, list, link,
/// emphasis, code span, HTML or table-cell break). Line breaks and tabs become spaces, and
/// whitespace at either end is dropped, since markdown would drop it or read it as indentation
/// anyway. Other control characters (C0, DEL, C1) and bytes that are not UTF-8 become U+FFFD,
/// so the document holds no NUL for git and no ESC for a terminal. A bare http://, https:// or
/// ftp:// URL becomes an autolink, `<https://x/a_b*c>`, so that GitHub links to exactly that
/// URL; a `www.` link that would need a backslash is kept from becoming a link at all.
[[nodiscard]] std::string markdown_escape(std::string_view text);

}  // namespace sitrep::templates
