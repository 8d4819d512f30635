#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// Small text helpers shared by the tokenizer, the parser and the help texts. Case handling is
/// ASCII only: verbs, keys and choices are ASCII, and everything else passes through untouched.
namespace sitrep::commands::text {

/// The white space that separates words: ASCII space, tab, line feed, CR, VT and FF.
[[nodiscard]] bool is_space(char c);

/// The text without blank characters at either end: ASCII white space, Unicode's white space
/// (U+0085, U+00A0, U+1680, U+2000 to U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the
/// invisible zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF). Text made only of
/// them is empty: it says nothing, however it was typed or quoted.
[[nodiscard]] std::string_view trim(std::string_view text);

[[nodiscard]] std::string ascii_lower(std::string_view text);

[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

[[nodiscard]] bool istarts_with(std::string_view text, std::string_view prefix);

/// The text if it fits in `max_bytes`, else its start cut on a UTF-8 character boundary and
/// marked with "…", the whole still within `max_bytes`.
[[nodiscard]] std::string cut_utf8(std::string_view text, std::size_t max_bytes);

/// A typed value made safe to quote back in an error: at most a few dozen bytes, cut on a UTF-8
/// boundary and marked with "…", control characters replaced by '?'.
[[nodiscard]] std::string echo(std::string_view typed);

/// "P1, P2 or P3"; "P1"; "" for no choices.
[[nodiscard]] std::string join_choices(const std::vector<std::string>& choices);

/// The Levenshtein distance between two short byte strings.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace sitrep::commands::text
