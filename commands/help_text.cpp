// The words sitrep says about its own commands: usage lines and help texts.
#include <algorithm>
#include <array>

#include "commands/command_parser.hpp"
#include "commands/text.hpp"

namespace sitrep::commands {

namespace {

// A typo is at most this many edits from the verb; further away, a suggestion is a guess.
constexpr std::size_t max_suggestion_distance = 2;

// Longer words are not typos of a verb, and the distance costs grow with their length.
constexpr std::size_t max_suggestion_input_bytes = 24;

struct VerbHelp {
    Verb verb;
    std::string_view arguments;    ///< what follows the verb in its usage line
    std::string_view explanation;  ///< what it does and when the workflow allows it
};

// clang-format off
constexpr std::array<VerbHelp, 20> verb_help{{
    {Verb::declare, "<title>",
     "Opens a new incident with this title. Triage comes next: no other step is accepted "
     "until the incident has a severity."},
    {Verb::triage, "<severity> <impact>",
     "Sets the severity and says, in one line, who or what is affected. Triage comes first; "
     "every other step waits for it."},
    {Verb::contain, "<strategy> <what was done>",
     "Records what was done to stop the impact and the strategy behind it. Allowed once the "
     "incident is triaged; containment comes before any root-cause work."},
    {Verb::contained, "[evidence]",
     "Says the impact has stopped and asks for verification: the health checks where a service "
     "has them, otherwise your written evidence (what you observed, a graph) is the "
     "verification, recorded under your name."},
    {Verb::verify, "",
     "Shows whether containment is verified and how: by whom, with what evidence. Root-cause "
     "work (rca, factor, action) opens only once containment is verified."},
    {Verb::failed, "<what was tried>",
     "Records a containment attempt that did not work, so the timeline shows it; then contain "
     "again with another strategy."},
    {Verb::security, "<pass|warn|block> [note]",
     "Answers the security question, which sitrep asks once the incident is contained. Resolve "
     "needs the answer; block switches the incident to the security protocol."},
    {Verb::rca, "<root cause>",
     "Records the root cause for the postmortem. Allowed only after containment is verified; "
     "resolve needs it."},
    {Verb::factor, "<text>",
     "Adds a contributing factor to the postmortem. Allowed only after containment is "
     "verified; resolve needs at least one."},
    {Verb::action, "<text> owner=@<user> due=<YYYY-MM-DD> [priority=<severity>]",
     "Adds a prevention action; the key=value words may go anywhere, and the priority defaults "
     "to the incident's severity. Allowed only after containment is verified; resolve needs at "
     "least one."},
    {Verb::impact, "<text>",
     "Records the impact on users and the business for the postmortem; resolve needs it."},
    {Verb::went_well, "<text>",
     "Adds to the postmortem's list of what went well."},
    {Verb::went_wrong, "<text>",
     "Adds to the postmortem's list of what went wrong."},
    {Verb::lesson, "<text>",
     "Adds a lesson learned to the postmortem."},
    {Verb::resolve, "<summary>",
     "Resolves the incident. It needs the security answer and a complete postmortem: impact, "
     "root cause, at least one contributing factor and at least one prevention action with an "
     "owner and a due date."},
    {Verb::close, "",
     "Closes a resolved incident and posts its postmortem."},
    {Verb::role, "<commander|scribe|comms> @<user>",
     "Gives a person the commander, scribe or comms role in this incident."},
    {Verb::status, "",
     "Shows where the incident stands and what it is waiting for."},
    {Verb::timeline, "",
     "Shows the incident's timeline so far."},
    {Verb::help, "[verb]",
     "Lists the verbs, or explains one, like /incident help triage."},
}};
// clang-format on

static_assert(verb_help.back().verb == Verb::help, "one entry per verb");

const VerbHelp& help_for(Verb verb) {
    const auto found = std::find_if(verb_help.begin(), verb_help.end(), [verb](const auto& entry) {
        return entry.verb == verb;
    });
    return found != verb_help.end() ? *found : verb_help.back();
}

std::string verb_list() {
    std::string list;
    for (const auto verb : all_verbs()) {
        if (!list.empty()) {
            list += ", ";
        }
        list += verb_name(verb);
    }
    return list;
}

// The configured choices a verb accepts, as a sentence; empty when it has none.
std::string choices_for(Verb verb, const Grammar& grammar) {
    const auto& severities = grammar.severities;
    const auto& strategies = grammar.strategies;
    switch (verb) {
        case Verb::triage:
            return severities.empty() ? "" : "Severities: " + text::join_choices(severities) + ".";
        case Verb::contain:
            return strategies.empty() ? "" : "Strategies: " + text::join_choices(strategies) + ".";
        case Verb::action:
            return severities.empty() ? "" : "Priorities: " + text::join_choices(severities) + ".";
        default:
            return {};
    }
}

std::string overview(const Grammar& grammar) {
    std::string answer = "sitrep commands:\n";
    for (const auto verb : all_verbs()) {
        answer += usage(verb, grammar) + "\n";
    }
    answer +=
        "Steps go in order: triage, containment until it is verified, then root cause. "
        "Resolve needs the security answer and a complete postmortem. "
        "Use /incident help <verb> for details.";
    return answer;
}

std::string details(Verb verb, const Grammar& grammar) {
    auto answer = usage(verb, grammar) + "\n" + std::string(help_for(verb).explanation);
    if (const auto choices = choices_for(verb, grammar); !choices.empty()) {
        answer += " " + choices;
    }
    return answer;
}

std::string unknown_topic(std::string_view topic) {
    auto answer = "Unknown verb " + text::echo(topic) + ".";
    if (const auto suggestion = suggest_verb(topic)) {
        answer += " Did you mean " + std::string(verb_name(*suggestion)) + "?";
    }
    return answer + "\nVerbs: " + verb_list() + ".\nUse /incident help <verb> for details.";
}

}  // namespace

// The grammar does not change a usage line: the configured choices appear in help_text and in
// the error that names a wrong choice, where there is room to list them.
std::string usage(Verb verb, const Grammar& /*grammar*/) {
    // Appended piece by piece: GCC 12 at -O3 misreads `"..." + string` here as an overlapping
    // copy (a false -Wrestrict).
    std::string line{"/incident "};
    line.append(verb_name(verb));
    if (const auto arguments = help_for(verb).arguments; !arguments.empty()) {
        line.append(" ").append(arguments);
    }
    return line;
}

std::string verbs_usage() {
    return "/incident <verb> [arguments]; verbs: " + verb_list();
}

std::optional<Verb> suggest_verb(std::string_view typed) {
    if (typed.empty() || typed.size() > max_suggestion_input_bytes) {
        return std::nullopt;
    }
    const auto lower = text::ascii_lower(typed);

    std::optional<Verb> best;
    auto best_distance = max_suggestion_distance + 1;
    for (const auto verb : all_verbs()) {
        const auto distance = text::edit_distance(lower, verb_name(verb));
        if (distance < best_distance) {
            best = verb;
            best_distance = distance;
        }
    }

    // Two edits turn any two-letter word into "rca"; the hint must keep part of what was typed.
    if (best_distance >= lower.size()) {
        return std::nullopt;
    }
    return best;
}

std::string help_text(std::string_view topic, const Grammar& grammar) {
    const auto wanted = text::trim(topic);
    if (wanted.empty()) {
        return overview(grammar);
    }
    if (const auto verb = verb_from_name(wanted)) {
        return details(*verb, grammar);
    }
    return unknown_topic(wanted);
}

}  // namespace sitrep::commands
