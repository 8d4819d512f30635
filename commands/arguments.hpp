#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands/tokenizer.hpp"

/// How the parser reads the words after a verb: free text, choices, mentions and dates.
/// Internal to commands/.
namespace sitrep::commands {

/// The words after the verb, with the line they came from so free text can be taken verbatim.
class Arguments {
public:
    /// Both must outlive the object: it keeps views, not copies.
    Arguments(std::string_view line, std::span<const Token> tokens)
        : line_(line), tokens_(tokens) {}

    [[nodiscard]] std::size_t size() const { return tokens_.size(); }

    [[nodiscard]] bool empty() const { return tokens_.empty(); }

    [[nodiscard]] const Token& operator[](std::size_t index) const { return tokens_[index]; }

    /// The word as typed, quotes and all.
    [[nodiscard]] std::string_view raw(std::size_t index) const;

    /// The words from `first` on as free text (see text_of); empty when there are none.
    [[nodiscard]] std::string rest(std::size_t first) const;

    /// Free text made of the given words (ascending indices). One quoted word alone gives its
    /// value; otherwise each run of adjacent words is taken verbatim from the line, so prose
    /// keeps its own quotes and spacing, and runs are joined by one space. Blank characters at
    /// either end (text::trim) are dropped: text that is only blank comes back empty.
    [[nodiscard]] std::string text_of(std::span<const std::size_t> indices) const;

private:
    std::string_view line_;
    std::span<const Token> tokens_;
};

/// The configured spelling of a choice typed in any ASCII case, or nullopt.
[[nodiscard]] std::optional<std::string> find_choice(
    std::string_view typed, const std::vector<std::string>& choices
);

/// A chat mention: `@name` (Matrix ids like `@alice:example.org` included) or Slack's
/// `<@U123>` form; no white space, at most max_mention_bytes.
[[nodiscard]] bool is_mention(std::string_view candidate);

/// Reads exactly `YYYY-MM-DD` (4-2-2 ASCII digits). The result may still not be a calendar
/// date, like 2026-02-30: check `ok()`. nullopt when the text has another shape.
[[nodiscard]] std::optional<std::chrono::year_month_day> read_iso_date(std::string_view text);

}  // namespace sitrep::commands
