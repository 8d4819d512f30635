#pragma once

#include <string>
#include <variant>
#include <vector>

namespace sitrep::bot {

/// What a post is for; connectors may render the kinds differently (Slack: buttons on prompts).
enum class PostKind {
    reply,   ///< an answer to a command: an acknowledgement or a refusal
    prompt,  ///< what to do next: the triage prompt, the security question
    status,  ///< a status line in its fixed form: "TRIAGE: P2 — ..."
    notice,  ///< something the room must see: a deadline reminder, an alert
};

[[nodiscard]] std::string_view post_kind_name(PostKind kind);

/// Post a message to the incident's room. Key events make up the postmortem's timeline.
struct Post {
    PostKind kind = PostKind::reply;
    std::string text;
    bool key_event = false;
};

/// A gate let a step through or refused it; recorded in the timeline, not posted.
struct GateDecision {
    std::string gate;  ///< "triage", "containment", "security", "postmortem", "order"
    bool accepted = false;
    std::string detail;        ///< what was decided, by whom: "severity P2 by @alice"
    std::string context = {};  ///< why, in the responder's words (impact, evidence); may be empty
};

/// Containment was confirmed on a service with health checks: run them, then report the
/// result back to the workflow (Workflow::verify).
struct RunHealthChecks {};

/// The incident closed: render the postmortem and decision record, write them, post them.
struct PublishPostmortem {};

/// Severity or state changed: connectors that show a room topic update it.
struct UpdateTopic {};

/// `security block`: the incident is a security incident from now on.
struct StartSecurityProtocol {};

using Effect = std::variant<
    Post,
    GateDecision,
    RunHealthChecks,
    PublishPostmortem,
    UpdateTopic,
    StartSecurityProtocol>;

using Effects = std::vector<Effect>;

}  // namespace sitrep::bot
