#include "commands/command.hpp"

#include <array>
#include <utility>

#include "commands/text.hpp"

namespace sitrep::commands {

namespace {

struct VerbSpelling {
    Verb verb;
    std::string_view name;
};

// The documented spellings, in the order help lists them. Only these are accepted: a second
// spelling for a verb would be one more thing for responders to learn from each other.
// clang-format off
constexpr std::array<VerbSpelling, 20> verb_spellings{{
    {Verb::declare, "declare"},
    {Verb::triage, "triage"},
    {Verb::contain, "contain"},
    {Verb::contained, "contained"},
    {Verb::verify, "verify"},
    {Verb::failed, "failed"},
    {Verb::security, "security"},
    {Verb::rca, "rca"},
    {Verb::factor, "factor"},
    {Verb::action, "action"},
    {Verb::impact, "impact"},
    {Verb::went_well, "went-well"},
    {Verb::went_wrong, "went-wrong"},
    {Verb::lesson, "lesson"},
    {Verb::resolve, "resolve"},
    {Verb::close, "close"},
    {Verb::role, "role"},
    {Verb::status, "status"},
    {Verb::timeline, "timeline"},
    {Verb::help, "help"},
}};
// clang-format on

// A forgotten entry would leave a default {declare, ""} at the end of the table.
static_assert(verb_spellings.back().verb == Verb::help && !verb_spellings.back().name.empty());

constexpr auto verbs_in_order = [] {
    std::array<Verb, verb_spellings.size()> verbs{};
    for (std::size_t i = 0; i < verbs.size(); ++i) {
        verbs[i] = verb_spellings[i].verb;
    }
    return verbs;
}();

// A missing overload is a compile error in verb_of, so a new command type cannot be forgotten.
Verb verb_for(const Declare&) {
    return Verb::declare;
}

Verb verb_for(const Triage&) {
    return Verb::triage;
}

Verb verb_for(const Contain&) {
    return Verb::contain;
}

Verb verb_for(const Contained&) {
    return Verb::contained;
}

Verb verb_for(const Verify&) {
    return Verb::verify;
}

Verb verb_for(const Failed&) {
    return Verb::failed;
}

Verb verb_for(const Security&) {
    return Verb::security;
}

Verb verb_for(const AddAction&) {
    return Verb::action;
}

Verb verb_for(const Resolve&) {
    return Verb::resolve;
}

Verb verb_for(const Close&) {
    return Verb::close;
}

Verb verb_for(const AssignRole&) {
    return Verb::role;
}

Verb verb_for(const Status&) {
    return Verb::status;
}

Verb verb_for(const Timeline&) {
    return Verb::timeline;
}

Verb verb_for(const Help&) {
    return Verb::help;
}

Verb verb_for(const Note& note) {
    switch (note.field) {
        case NoteField::impact:
            return Verb::impact;
        case NoteField::root_cause:
            return Verb::rca;
        case NoteField::factor:
            return Verb::factor;
        case NoteField::went_well:
            return Verb::went_well;
        case NoteField::went_wrong:
            return Verb::went_wrong;
        case NoteField::lesson:
            return Verb::lesson;
    }
    return Verb::rca;
}

}  // namespace

Verb verb_of(const Command& command) {
    return std::visit([](const auto& value) { return verb_for(value); }, command);
}

std::string_view verb_name(Verb verb) {
    for (const auto& spelling : verb_spellings) {
        if (spelling.verb == verb) {
            return spelling.name;
        }
    }
    return "unknown";
}

std::optional<Verb> verb_from_name(std::string_view name) {
    for (const auto& spelling : verb_spellings) {
        if (text::iequals(name, spelling.name)) {
            return spelling.verb;
        }
    }
    return std::nullopt;
}

std::span<const Verb> all_verbs() {
    return verbs_in_order;
}

std::string_view role_name(Role role) {
    switch (role) {
        case Role::commander:
            return "commander";
        case Role::scribe:
            return "scribe";
        case Role::comms:
            return "comms";
    }
    return "unknown";
}

std::string_view verdict_name(SecurityVerdict verdict) {
    switch (verdict) {
        case SecurityVerdict::pass:
            return "PASS";
        case SecurityVerdict::warn:
            return "WARN";
        case SecurityVerdict::block:
            return "BLOCK";
    }
    return "UNKNOWN";
}

}  // namespace sitrep::commands
