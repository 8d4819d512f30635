#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

/// The `/incident` commands as typed values. The parser produces them; the workflow in bot/
/// consumes them. Nothing here knows about incidents, rooms or connectors.
namespace sitrep::commands {

enum class Verb {
    declare,
    triage,
    contain,
    contained,
    verify,
    failed,
    security,
    rca,
    factor,
    action,
    impact,
    went_well,
    went_wrong,
    lesson,
    resolve,
    close,
    role,
    status,
    timeline,
    help,
};

enum class SecurityVerdict { pass, warn, block };

enum class Role { commander, scribe, comms };

/// The postmortem fields that are plain text written by responders.
enum class NoteField { impact, root_cause, factor, went_well, went_wrong, lesson };

struct Declare {
    std::string title;
};

struct Triage {
    std::string severity;  ///< canonical spelling from the grammar, e.g. "P2"
    std::string impact;
};

struct Contain {
    std::string strategy;  ///< canonical spelling from the grammar, e.g. "rollback"
    std::string what;
};

struct Contained {
    std::string evidence;  ///< may be empty; the workflow decides whether that is enough
};

struct Verify {};

struct Failed {
    std::string what;
};

struct Security {
    SecurityVerdict verdict = SecurityVerdict::pass;
    std::string note;  ///< may be empty
};

/// `rca`, `factor`, `impact`, `went-well`, `went-wrong` and `lesson`.
struct Note {
    NoteField field = NoteField::root_cause;
    std::string text;
};

struct AddAction {
    std::string text;
    std::string owner;  ///< as typed, including the leading '@' (or Slack's `<@U…>` form)
    std::chrono::year_month_day due;
    std::string priority;  ///< canonical severity name, or empty for "the incident's severity"
};

struct Resolve {
    std::string summary;
};

struct Close {};

struct AssignRole {
    Role role = Role::commander;
    std::string user;  ///< as typed, including the leading '@'
};

struct Status {};

struct Timeline {};

struct Help {
    std::string topic;  ///< a verb name, or empty for the overview
};

using Command = std::variant<
    Declare,
    Triage,
    Contain,
    Contained,
    Verify,
    Failed,
    Security,
    Note,
    AddAction,
    Resolve,
    Close,
    AssignRole,
    Status,
    Timeline,
    Help>;

/// The verb a command value was parsed from.
[[nodiscard]] Verb verb_of(const Command& command);

/// The verb as typed in chat: "went-well", "rca", ...
[[nodiscard]] std::string_view verb_name(Verb verb);

/// The verb a typed name stands for, ignoring ASCII case; nullopt for anything else.
[[nodiscard]] std::optional<Verb> verb_from_name(std::string_view name);

/// Every verb, in the order help lists them.
[[nodiscard]] std::span<const Verb> all_verbs();

[[nodiscard]] std::string_view role_name(Role role);

[[nodiscard]] std::string_view verdict_name(SecurityVerdict verdict);  ///< "PASS", "WARN", "BLOCK"

}  // namespace sitrep::commands
