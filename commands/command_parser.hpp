#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command.hpp"

namespace sitrep::commands {

/// Limits on what one command may carry. They keep a pasted log or a runaway script from
/// landing in the incident record; the error says which limit was hit.
inline constexpr std::size_t max_command_bytes = 16 * 1024;  ///< the whole line after the prefix
inline constexpr std::size_t max_title_bytes = 200;          ///< a headline, not a paragraph
inline constexpr std::size_t max_free_text_bytes = 4000;     ///< impact, notes, summaries, ...
inline constexpr std::size_t max_mention_bytes = 255;        ///< a Matrix user id may be this long

/// What the parser needs to know from the configuration.
struct Grammar {
    std::vector<std::string> severities;  ///< e.g. {"P1", "P2", "P3"}; matched case-insensitively
    std::vector<std::string> strategies;  ///< e.g. {"rollback", "feature-flag", ...}
};

/// Why a line addressed to sitrep is not a valid command, in words a responder can act on.
struct CommandError {
    std::optional<Verb> verb;  ///< the verb, when it was recognised
    std::string message;       ///< what is wrong: "missing argument <impact>", "unknown verb ..."
    std::string usage;         ///< the usage line of the verb, or the verb list for unknown verbs
};

/// A command, or why the text is not one.
class ParseResult {
public:
    ParseResult(Command command) : value_(std::move(command)) {}  // NOLINT: implicit by design

    ParseResult(CommandError error) : value_(std::move(error)) {}  // NOLINT: implicit by design

    [[nodiscard]] bool ok() const { return std::holds_alternative<Command>(value_); }

    [[nodiscard]] const Command& command() const { return std::get<Command>(value_); }

    [[nodiscard]] const CommandError& error() const { return std::get<CommandError>(value_); }

private:
    std::variant<Command, CommandError> value_;
};

/// True when the text is addressed to sitrep: it starts with `/incident` or `!incident`
/// (after optional leading white space), followed by white space or the end of the text.
[[nodiscard]] bool is_command(std::string_view text);

/// Parses one chat line. Returns nullopt when the text is not addressed to sitrep at all
/// (see is_command); ordinary chat is not an error.
[[nodiscard]] std::optional<ParseResult> parse_command(
    std::string_view text, const Grammar& grammar
);

/// The usage line of a verb, e.g. "/incident triage <severity> <impact>".
[[nodiscard]] std::string usage(Verb verb, const Grammar& grammar);

/// The usage shown when no verb was recognised: "/incident <verb> [arguments]; verbs: ...".
[[nodiscard]] std::string verbs_usage();

/// The verb closest to a mistyped one ("triag" gives triage), for a "did you mean" hint;
/// nullopt when nothing is close enough to be a likely typo.
[[nodiscard]] std::optional<Verb> suggest_verb(std::string_view typed);

/// The answer to `/incident help [verb]`: the verb list, or one verb's usage and explanation.
[[nodiscard]] std::string help_text(std::string_view topic, const Grammar& grammar);

}  // namespace sitrep::commands
