#pragma once

#include <string>
#include <string_view>

namespace sitrep::connectors {

/// Text made safe to print on a terminal: nothing in it can move the cursor, clear the screen,
/// set the window title or otherwise act as a control sequence. Line feeds and tabs stay; every
/// other control character is shown as a visible escape instead: C0 controls and DEL as `\x1b`,
/// `\x0d`, `\x7f`, C1 controls (U+0080 to U+009F) and the bidirectional embeddings, overrides
/// and isolates (U+202A to U+202E, U+2066 to U+2069, which can make text display in a
/// misleading order) as `\u009b`, `\u202e`, and bytes that are not valid UTF-8 as `\xff`, so
/// that no terminal can read them as 8-bit controls. Everything else, valid UTF-8 included, is
/// unchanged. Only what is printed changes: stored text stays as it was typed.
[[nodiscard]] std::string terminal_safe(std::string_view text);

}  // namespace sitrep::connectors
