#include "commands/command_parser.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <span>
#include <utility>

#include "commands/arguments.hpp"
#include "commands/text.hpp"
#include "commands/tokenizer.hpp"

namespace sitrep::commands {

namespace {

constexpr std::array<std::string_view, 2> prefixes{"/incident", "!incident"};

// A stray opening quote is most often an apostrophe at the start of a word ('90s).
constexpr std::string_view unclosed_quote = "unclosed quote; close it or remove it";

// Where the text after the prefix begins, or nullopt when the text is not addressed to sitrep.
std::optional<std::size_t> find_arguments(std::string_view text) {
    std::size_t start = 0;
    while (start < text.size() && text::is_space(text[start])) {
        ++start;
    }

    for (const auto prefix : prefixes) {
        const auto after = start + prefix.size();
        if (text::istarts_with(text.substr(start), prefix) &&
            (after == text.size() || text::is_space(text[after]))) {
            return after;
        }
    }
    return std::nullopt;
}

std::string too_long(std::string_view what, std::size_t bytes, std::size_t limit) {
    return std::string(what) + " is too long: " + std::to_string(bytes) + " bytes, the limit is " +
           std::to_string(limit);
}

std::string unknown_choice(
    std::string_view what, std::string_view typed, const std::vector<std::string>& choices
) {
    auto message = "unknown " + std::string(what) + " " + text::echo(typed);
    if (choices.empty()) {
        return message + "; none are configured";
    }
    return message + "; choose " + text::join_choices(choices);
}

// The keys `action` reads from `key=value` words; any other word is part of the action's text.
enum class ActionKey { owner, due, priority };

constexpr std::array<std::pair<ActionKey, std::string_view>, 3> action_keys{{
    {ActionKey::owner, "owner="},
    {ActionKey::due, "due="},
    {ActionKey::priority, "priority="},
}};

struct ActionParts {
    std::vector<std::size_t> text_words;
    std::array<std::optional<std::string>, action_keys.size()> values;

    [[nodiscard]] const std::optional<std::string>& value(ActionKey key) const {
        return values[static_cast<std::size_t>(key)];
    }
};

/// Reads the arguments of one recognised verb into its command.
class VerbParser {
public:
    VerbParser(Verb verb, const Arguments& args, const Grammar& grammar)
        : verb_(verb), args_(args), grammar_(grammar) {}

    ParseResult parse() const;

private:
    ParseResult declare() const;
    ParseResult triage() const;
    ParseResult contain() const;
    ParseResult contained() const;
    ParseResult failed() const;
    ParseResult security() const;
    ParseResult note(NoteField field, std::string_view placeholder) const;
    ParseResult action() const;
    ParseResult resolve() const;
    ParseResult role() const;
    ParseResult help() const;
    ParseResult no_arguments(Command command) const;

    std::optional<CommandError> read_action_words(ActionParts& parts) const;
    std::optional<CommandError> read_owner(const ActionParts& parts, std::string& owner) const;
    std::optional<CommandError> read_due(const ActionParts& parts, std::chrono::year_month_day& due)
        const;
    std::optional<CommandError> read_priority(const ActionParts& parts, std::string& priority)
        const;
    std::optional<CommandError> check_text(
        std::string_view placeholder, const std::string& text, std::size_t limit
    ) const;
    CommandError error(std::string message) const;

    Verb verb_;
    const Arguments& args_;
    const Grammar& grammar_;
};

ParseResult VerbParser::parse() const {
    switch (verb_) {
        case Verb::declare:
            return declare();
        case Verb::triage:
            return triage();
        case Verb::contain:
            return contain();
        case Verb::contained:
            return contained();
        case Verb::verify:
            return no_arguments(Verify{});
        case Verb::failed:
            return failed();
        case Verb::security:
            return security();
        case Verb::rca:
            return note(NoteField::root_cause, "<root cause>");
        case Verb::factor:
            return note(NoteField::factor, "<text>");
        case Verb::action:
            return action();
        case Verb::impact:
            return note(NoteField::impact, "<text>");
        case Verb::went_well:
            return note(NoteField::went_well, "<text>");
        case Verb::went_wrong:
            return note(NoteField::went_wrong, "<text>");
        case Verb::lesson:
            return note(NoteField::lesson, "<text>");
        case Verb::resolve:
            return resolve();
        case Verb::close:
            return no_arguments(Close{});
        case Verb::role:
            return role();
        case Verb::status:
            return no_arguments(Status{});
        case Verb::timeline:
            return no_arguments(Timeline{});
        case Verb::help:
            return help();
    }
    return error("unknown verb");
}

ParseResult VerbParser::declare() const {
    auto title = args_.rest(0);
    if (auto problem = check_text("<title>", title, max_title_bytes)) {
        return *problem;
    }
    return Command{Declare{std::move(title)}};
}

ParseResult VerbParser::triage() const {
    if (args_.empty()) {
        return error("missing <severity>");
    }
    auto severity = find_choice(args_[0].value, grammar_.severities);
    if (!severity) {
        return error(unknown_choice("severity", args_[0].value, grammar_.severities));
    }

    auto impact = args_.rest(1);
    if (auto problem = check_text("<impact>", impact, max_free_text_bytes)) {
        return *problem;
    }
    return Command{Triage{std::move(*severity), std::move(impact)}};
}

ParseResult VerbParser::contain() const {
    if (args_.empty()) {
        return error("missing <strategy>");
    }
    auto strategy = find_choice(args_[0].value, grammar_.strategies);
    if (!strategy) {
        return error(unknown_choice("strategy", args_[0].value, grammar_.strategies));
    }

    auto what = args_.rest(1);
    if (auto problem = check_text("<what was done>", what, max_free_text_bytes)) {
        return *problem;
    }
    return Command{Contain{std::move(*strategy), std::move(what)}};
}

ParseResult VerbParser::contained() const {
    auto evidence = args_.rest(0);
    if (evidence.size() > max_free_text_bytes) {
        return error(too_long("[evidence]", evidence.size(), max_free_text_bytes));
    }
    return Command{Contained{std::move(evidence)}};
}

ParseResult VerbParser::failed() const {
    auto what = args_.rest(0);
    if (auto problem = check_text("<what was tried>", what, max_free_text_bytes)) {
        return *problem;
    }
    return Command{Failed{std::move(what)}};
}

ParseResult VerbParser::security() const {
    static const std::vector<std::string> verdicts{"pass", "warn", "block"};
    if (args_.empty()) {
        return error("missing <pass|warn|block>");
    }
    const auto verdict = find_choice(args_[0].value, verdicts);
    if (!verdict) {
        return error(unknown_choice("verdict", args_[0].value, verdicts));
    }

    auto note = args_.rest(1);
    if (note.size() > max_free_text_bytes) {
        return error(too_long("[note]", note.size(), max_free_text_bytes));
    }
    const auto value = *verdict == "pass"   ? SecurityVerdict::pass
                       : *verdict == "warn" ? SecurityVerdict::warn
                                            : SecurityVerdict::block;
    return Command{Security{value, std::move(note)}};
}

ParseResult VerbParser::note(NoteField field, std::string_view placeholder) const {
    auto text = args_.rest(0);
    if (auto problem = check_text(placeholder, text, max_free_text_bytes)) {
        return *problem;
    }
    return Command{Note{field, std::move(text)}};
}

ParseResult VerbParser::action() const {
    ActionParts parts;
    if (auto problem = read_action_words(parts)) {
        return *problem;
    }

    AddAction action{args_.text_of(parts.text_words), {}, {}, {}};
    if (auto problem = check_text("<text>", action.text, max_free_text_bytes)) {
        return *problem;
    }

    // Reported in the order of the usage line, so a fix-one-retry loop walks along it.
    if (auto problem = read_owner(parts, action.owner)) {
        return *problem;
    }
    if (auto problem = read_due(parts, action.due)) {
        return *problem;
    }
    if (auto problem = read_priority(parts, action.priority)) {
        return *problem;
    }
    return Command{std::move(action)};
}

// Sorts the words into key=value pairs and text. Only bare words can be keys: a quoted
// "owner=..." is text, which leaves a way to write such a word in an action.
std::optional<CommandError> VerbParser::read_action_words(ActionParts& parts) const {
    for (std::size_t i = 0; i < args_.size(); ++i) {
        const auto word = args_.raw(i);
        const auto key = std::find_if(action_keys.begin(), action_keys.end(), [word](auto entry) {
            return text::istarts_with(word, entry.second);
        });
        if (key == action_keys.end()) {
            parts.text_words.push_back(i);
            continue;
        }

        auto& slot = parts.values[static_cast<std::size_t>(key->first)];
        if (slot) {
            return error(std::string(key->second) + " is given twice; give it once");
        }
        slot = std::string(word.substr(key->second.size()));
    }
    return std::nullopt;
}

std::optional<CommandError> VerbParser::read_owner(const ActionParts& parts, std::string& owner)
    const {
    const auto& typed = parts.value(ActionKey::owner);
    if (!typed) {
        return error("missing owner=@<user>");
    }
    if (typed->empty()) {
        return error("owner= has no value; write owner=@<user>");
    }
    if (!is_mention(*typed)) {
        return error("owner " + text::echo(*typed) + " is not a mention; write owner=@<user>");
    }
    owner = *typed;
    return std::nullopt;
}

std::optional<CommandError> VerbParser::read_due(
    const ActionParts& parts, std::chrono::year_month_day& due
) const {
    const auto& typed = parts.value(ActionKey::due);
    if (!typed) {
        return error("missing due=<YYYY-MM-DD>");
    }
    if (typed->empty()) {
        return error("due= has no value; write due=<YYYY-MM-DD>");
    }

    const auto date = read_iso_date(*typed);
    if (!date) {
        return error("due date " + text::echo(*typed) + " is not in the form YYYY-MM-DD");
    }
    if (!date->ok()) {
        return error(
            "due date " + text::echo(*typed) + " is not a calendar date; write it as YYYY-MM-DD"
        );
    }
    due = *date;
    return std::nullopt;
}

// No priority is fine: the workflow then uses the incident's severity.
std::optional<CommandError> VerbParser::read_priority(
    const ActionParts& parts, std::string& priority
) const {
    const auto& typed = parts.value(ActionKey::priority);
    if (!typed) {
        return std::nullopt;
    }
    if (typed->empty()) {
        return error("priority= has no value; choose " + text::join_choices(grammar_.severities));
    }

    auto found = find_choice(*typed, grammar_.severities);
    if (!found) {
        return error(unknown_choice("priority", *typed, grammar_.severities));
    }
    priority = std::move(*found);
    return std::nullopt;
}

ParseResult VerbParser::resolve() const {
    auto summary = args_.rest(0);
    if (auto problem = check_text("<summary>", summary, max_free_text_bytes)) {
        return *problem;
    }
    return Command{Resolve{std::move(summary)}};
}

ParseResult VerbParser::role() const {
    static const std::vector<std::string> roles{"commander", "scribe", "comms"};
    if (args_.empty()) {
        return error("missing <commander|scribe|comms>");
    }
    const auto name = find_choice(args_[0].value, roles);
    if (!name) {
        return error(unknown_choice("role", args_[0].value, roles));
    }

    if (args_.size() < 2) {
        return error("missing @<user>");
    }
    const auto& user = args_[1].value;
    if (!is_mention(user)) {
        return error(text::echo(user) + " is not a mention; write @<user>");
    }
    if (args_.size() > 2) {
        return error("unexpected text after the user: " + text::echo(args_.rest(2)));
    }

    const auto value = *name == "commander" ? Role::commander
                       : *name == "scribe"  ? Role::scribe
                                            : Role::comms;
    return Command{AssignRole{value, user}};
}

// Help is forgiving: words after the topic are ignored, and an unknown topic is passed on
// for help_text to answer with the verb list.
ParseResult VerbParser::help() const {
    if (args_.empty()) {
        return Command{Help{}};
    }
    const auto& topic = args_[0].value;
    if (const auto verb = verb_from_name(topic)) {
        return Command{Help{std::string(verb_name(*verb))}};
    }
    return Command{Help{topic}};
}

// Verbs without arguments refuse extra words instead of dropping them, so that a note like
// "verify looks good now" does not silently vanish from the record.
ParseResult VerbParser::no_arguments(Command command) const {
    if (!args_.empty()) {
        return error(
            std::string(verb_name(verb_)) + " takes no arguments; found " +
            text::echo(args_.rest(0))
        );
    }
    return command;
}

std::optional<CommandError> VerbParser::check_text(
    std::string_view placeholder, const std::string& text, std::size_t limit
) const {
    if (text.empty()) {
        return error("missing " + std::string(placeholder));
    }
    if (text.size() > limit) {
        return error(too_long(placeholder, text.size(), limit));
    }
    return std::nullopt;
}

CommandError VerbParser::error(std::string message) const {
    return CommandError{verb_, std::move(message), usage(verb_, grammar_)};
}

// The first word, however long the line; enough to name the verb in an error.
std::optional<Verb> leading_verb(std::string_view line) {
    std::size_t begin = 0;
    while (begin < line.size() && text::is_space(line[begin])) {
        ++begin;
    }
    auto end = begin;
    while (end < line.size() && !text::is_space(line[end])) {
        ++end;
    }
    return verb_from_name(line.substr(begin, end - begin));
}

CommandError unknown_verb(std::string_view typed) {
    auto message = "unknown verb " + text::echo(typed);
    if (const auto suggestion = suggest_verb(typed)) {
        message += "; did you mean " + std::string(verb_name(*suggestion)) + "?";
    }
    return CommandError{std::nullopt, std::move(message), verbs_usage()};
}

}  // namespace

bool is_command(std::string_view text) {
    return find_arguments(text).has_value();
}

std::optional<ParseResult> parse_command(std::string_view text, const Grammar& grammar) {
    const auto start = find_arguments(text);
    if (!start) {
        return std::nullopt;
    }
    const auto line = text.substr(*start);

    // Checked before tokenizing so that a huge paste costs one scan of its first word.
    if (line.size() > max_command_bytes) {
        const auto verb = leading_verb(line);
        return CommandError{
            verb,
            too_long("the command", line.size(), max_command_bytes),
            verb ? usage(*verb, grammar) : verbs_usage()};
    }

    // A bare "/incident" is a request for help rather than a mistake.
    const auto tokens = tokenize(line);
    if (tokens.tokens.empty() && !tokens.error) {
        return ParseResult{Command{Help{}}};
    }

    const auto verb =
        tokens.tokens.empty() ? std::nullopt : verb_from_name(tokens.tokens.front().value);
    if (!verb) {
        if (tokens.tokens.empty()) {
            return CommandError{std::nullopt, std::string(unclosed_quote), verbs_usage()};
        }
        return unknown_verb(tokens.tokens.front().value);
    }
    if (tokens.error) {
        return CommandError{*verb, std::string(unclosed_quote), usage(*verb, grammar)};
    }

    const Arguments args(line, std::span<const Token>(tokens.tokens).subspan(1));
    return VerbParser(*verb, args, grammar).parse();
}

}  // namespace sitrep::commands
