#include "bot/workflow_commands.hpp"

#include <fmt/format.h>

namespace sitrep::bot {

using commands::NoteField;
using commands::SecurityVerdict;

namespace {

bool before(IncidentState a, IncidentState b) {
    return static_cast<int>(a) < static_cast<int>(b);
}

std::string note_label(NoteField field) {
    switch (field) {
        case NoteField::impact:
            return "Impact statement";
        case NoteField::root_cause:
            return "Root cause";
        case NoteField::factor:
            return "Contributing factor";
        case NoteField::went_well:
            return "What went well";
        case NoteField::went_wrong:
            return "What went wrong";
        case NoteField::lesson:
            return "Lesson";
    }
    return "Note";
}

/// Applies each command to a step. Each handler checks its gate first, then changes the
/// incident and says what happened.
class CommandHandler {
public:
    explicit CommandHandler(WorkflowStep& step) : step_(step), incident_(step.incident()) {}

    void operator()(const commands::Triage& c) {
        if (incident_.state == IncidentState::resolved) {
            return step_.refuse("triage", step_.where() + ": severity is settled", step_.next());
        }

        const auto* level = step_.config().severity(c.severity);
        if (level == nullptr) {
            return step_.refuse(
                "triage",
                fmt::format("{} is not a configured severity", c.severity),
                step_.prompts().triage(incident_)
            );
        }

        const bool retriage = incident_.state != IncidentState::declared;
        const auto previous = incident_.severity;
        incident_.severity = level->name;
        incident_.impact_summary = c.impact;
        if (!retriage) {
            incident_.state = IncidentState::triaged;
            incident_.triaged_at = step_.now();
        }

        // The deadline counts from the declaration and follows the severity until it is met
        // or breached; then it stays, so a later severity cannot undo a breach. A new
        // deadline's reminder counts as posted when one was posted at or after its time.
        const auto due = incident_.declared_at + level->contain_within;
        auto& deadline = incident_.deadline;
        const bool settled = deadline && (deadline->met_at || deadline->breached);
        if (!settled && (!deadline || deadline->due != due)) {
            const auto remind_at = due - level->remind_before;
            const auto last_reminder = deadline ? deadline->last_reminder : std::nullopt;
            const bool reminded = last_reminder && remind_at <= *last_reminder;
            deadline = Deadline{due, remind_at, reminded, false, {}, last_reminder};
        }

        step_.accept(
            "triage",
            retriage ? fmt::format("severity {} → {} by {}", previous, level->name, step_.actor())
                     : fmt::format("severity {} by {}", level->name, step_.actor()),
            c.impact
        );
        step_.post(PostKind::status, fmt::format("TRIAGE: {} — {}", level->name, c.impact), true);
        step_.emit(UpdateTopic{});
        if (incident_.state == IncidentState::triaged) {
            step_.post(PostKind::prompt, step_.prompts().containment(incident_, step_.now()));
        }
    }

    void operator()(const commands::Contain& c) {
        if (!before(incident_.state, IncidentState::contained)) {
            // Only a contained incident can still report a failure; once resolved it cannot.
            const auto hint = incident_.state == IncidentState::contained
                                  ? "If the impact came back: `/incident failed <what "
                                    "happened>`, then contain again. "
                                  : "";
            return step_.refuse(
                "containment", fmt::format("{} already", step_.where()), hint + step_.next()
            );
        }

        if (auto* current = incident_.current_attempt()) {
            current->outcome = AttemptOutcome::superseded;
            current->ended_at = step_.now();
        }
        incident_.attempts.push_back(ContainmentAttempt{
            c.strategy, c.what, step_.actor(), step_.now(), AttemptOutcome::pending, {}, {}, {}});
        incident_.state = IncidentState::containing;

        step_.accept(
            "containment", fmt::format("strategy {} by {}", c.strategy, step_.actor()), c.what
        );
        step_.post(
            PostKind::reply,
            fmt::format(
                "Containment under way: {} — {} (by {})", c.strategy, c.what, step_.actor()
            ),
            true
        );
        step_.post(
            PostKind::prompt,
            "Confirm with `/incident contained <evidence>` once the impact has stopped, or "
            "`/incident failed <what was tried>` if it has not."
        );
    }

    void operator()(const commands::Contained& c) {
        if (incident_.state == IncidentState::triaged) {
            return step_.refuse(
                "containment", "no containment strategy has been applied yet", step_.next()
            );
        }
        if (incident_.state != IncidentState::containing) {
            return step_.refuse("containment", step_.where() + " already", step_.next());
        }

        // TODO: services with configured health checks verify through RunHealthChecks; until
        // those checks exist every confirmation is the manual one below.
        if (c.evidence.empty()) {
            return step_.refuse(
                "containment",
                "a manual verification needs written evidence from a named person",
                "Say what you observed: `/incident contained <evidence, e.g. error rate back "
                "to 0.1% on the dashboard>`"
            );
        }

        VerificationReport report;
        report.method = VerificationReport::Method::manual;
        report.verdict = HealthVerdict::all_healthy;
        report.by = step_.actor();
        report.evidence = c.evidence;
        apply_verification(step_, report);
    }

    void operator()(const commands::Verify&) {
        const auto* current = incident_.current_attempt();
        std::string text;
        if (incident_.contained_at) {
            const auto& verified = incident_.attempts.back();
            text = fmt::format(
                "{}: contained at {} by {}; verified by {}: {}.",
                incident_.reference(),
                step_.hhmm(*incident_.contained_at),
                verified.strategy,
                verified.outcome_by,
                verified.outcome_note
            );
        } else if (current != nullptr) {
            text = fmt::format(
                "{}: {} applied at {}, not verified yet.",
                incident_.reference(),
                current->strategy,
                step_.hhmm(current->started_at)
            );
        } else {
            text = fmt::format("{}: no containment applied yet.", incident_.reference());
        }
        text +=
            " No health checks are configured for this incident, so verification is "
            "manual: a named responder confirms with `/incident contained <evidence>`.";
        step_.post(PostKind::reply, text);
    }

    void operator()(const commands::Failed& c) {
        // A failure needs something that was holding or being tried: a pending strategy, or a
        // containment (verified, even resolved) whose impact came back.
        if (incident_.state == IncidentState::triaged) {
            return step_.refuse(
                "containment",
                "no containment strategy is being tried, so none can have failed",
                "Record what you apply first: " + step_.prompts().next_step(incident_)
            );
        }
        if (incident_.state == IncidentState::resolved) {
            // The impact came back after the incident was resolved: it is open again.
            incident_.resolved_at.reset();
        }

        if (auto* current = incident_.current_attempt()) {
            current->outcome = AttemptOutcome::failed;
            current->outcome_note = c.what;
            current->outcome_by = step_.actor();
            current->ended_at = step_.now();
        } else if (incident_.contained_at && !incident_.attempts.empty()) {
            // The containment held, then stopped holding: a regression of the verified attempt.
            auto& regressed = incident_.attempts.back();
            regressed.outcome = AttemptOutcome::failed;
            regressed.outcome_note = "did not hold: " + c.what;
            regressed.outcome_by = step_.actor();
        }
        incident_.contained_at.reset();
        incident_.state = IncidentState::triaged;

        // Containment that stops holding before the deadline did not meet it after all.
        auto& deadline = incident_.deadline;
        if (deadline && deadline->met_at && step_.now() < deadline->due) {
            deadline->met_at.reset();
        }

        step_.accept("containment", fmt::format("failure reported by {}", step_.actor()), c.what);
        step_.post(
            PostKind::status, fmt::format("CONTAINMENT_FAILED: {} — escalate", c.what), true
        );
        step_.post(
            PostKind::prompt,
            fmt::format(
                "Escalating to {}. Choose another strategy: {}",
                step_.prompts().escalation(),
                step_.prompts().next_step(incident_)
            )
        );
    }

    void operator()(const commands::Security& c) {
        const bool block = c.verdict == SecurityVerdict::block;
        const bool contained = incident_.state == IncidentState::contained ||
                               incident_.state == IncidentState::resolved;

        // A suspected breach goes private at once; the all-clear waits for containment.
        if (!contained && !block) {
            return step_.refuse(
                "security",
                fmt::format(
                    "the security check comes once the incident is contained ({})", step_.where()
                ),
                "If you suspect a breach now, `/incident security block <note>`. " + step_.next()
            );
        }
        if (incident_.security_incident && !block) {
            return step_.refuse(
                "security",
                "this is a security incident; its verdict stays BLOCK",
                "Add what you learned with `/incident security block <note>`"
            );
        }

        incident_.security = SecurityCheck{c.verdict, c.note, step_.actor(), step_.now()};
        const auto note = c.note.empty() ? fmt::format("checked by {}", step_.actor()) : c.note;
        step_.accept(
            "security",
            fmt::format("{} by {}", commands::verdict_name(c.verdict), step_.actor()),
            c.note
        );
        step_.post(
            PostKind::status,
            fmt::format("SECURITY: {} — {}", commands::verdict_name(c.verdict), note),
            true
        );

        if (block && !incident_.security_incident) {
            incident_.security_incident = true;
            step_.emit(StartSecurityProtocol{});
            step_.post(
                PostKind::notice,
                fmt::format(
                    "{} is now a security incident: keep its details out of public channels "
                    "and loop in the security team. Escalating to {}.",
                    incident_.reference(),
                    step_.prompts().escalation()
                ),
                true
            );
        }
    }

    void operator()(const commands::Note& c) {
        // Root cause and contributing factors wait until the system is stable; impact and
        // reflections may be written down as soon as the incident is triaged.
        const bool root_cause_work =
            c.field == NoteField::root_cause || c.field == NoteField::factor;
        if (root_cause_work && !refuse_before_contained()) {
            return;
        }

        incident_.notes.push_back(PostmortemNote{c.field, c.text, step_.actor(), step_.now()});
        step_.accept("postmortem", fmt::format("{} by {}", note_label(c.field), step_.actor()));
        // The root cause is a key event of the timeline, so its post says what it is.
        const bool root_cause = c.field == NoteField::root_cause;
        step_.post(
            PostKind::reply,
            root_cause ? fmt::format("Root cause recorded by {}: {}", step_.actor(), c.text)
                       : fmt::format("{} recorded by {}.", note_label(c.field), step_.actor()),
            root_cause
        );
    }

    void operator()(const commands::AddAction& c) {
        if (!refuse_before_contained()) {
            return;
        }

        const auto today = step_.prompts().time_format().local_day(step_.now());
        if (std::chrono::sys_days{c.due} < std::chrono::sys_days{today}) {
            return step_.refuse(
                "postmortem",
                fmt::format("the due date {} is in the past", format_date(c.due)),
                fmt::format(
                    "Give a date from {} on: `/incident action <text> owner=@<user> "
                    "due=<YYYY-MM-DD>`",
                    format_date(today)
                )
            );
        }

        const auto priority = c.priority.empty() ? incident_.severity : c.priority;
        incident_.actions.push_back(PreventionAction{
            c.text, c.owner, c.due, priority, step_.actor(), step_.now()});
        step_.accept("postmortem", fmt::format("prevention action by {}", step_.actor()));
        step_.post(
            PostKind::reply,
            fmt::format(
                "Prevention action {} recorded: {} — owner {}, due {}, priority {}.",
                incident_.actions.size(),
                c.text,
                c.owner,
                format_date(c.due),
                priority
            )
        );
    }

    void operator()(const commands::Resolve& c) {
        if (incident_.state == IncidentState::resolved) {
            return step_.refuse("order", step_.where() + " already", step_.next());
        }
        if (!refuse_before_contained("resolving")) {
            return;
        }
        if (!incident_.security) {
            return step_.refuse(
                "security",
                "the security check has not been answered",
                "Answer it first: `/incident security <pass|warn|block> [note]`"
            );
        }

        const auto missing = step_.prompts().missing_from_postmortem(incident_);
        if (!missing.empty()) {
            return step_.refuse(
                "postmortem",
                "the postmortem is incomplete, it still needs " + join(missing, "; "),
                "Add them, then resolve again"
            );
        }

        incident_.state = IncidentState::resolved;
        incident_.resolved_at = step_.now();
        incident_.resolution_summary = c.summary;
        step_.accept("order", fmt::format("resolved by {}", step_.actor()), c.summary);
        step_.post(PostKind::status, fmt::format("RESOLVED — {}", step_.hhmm(step_.now())), true);
        step_.emit(UpdateTopic{});
        step_.post(
            PostKind::prompt,
            fmt::format(
                "{} resolved: {}\nClose it with `/incident close` to publish the postmortem.",
                incident_.reference(),
                c.summary
            )
        );
    }

    void operator()(const commands::Close&) {
        if (incident_.state != IncidentState::resolved) {
            return step_.refuse(
                "order",
                fmt::format("only a resolved incident can be closed ({})", step_.where()),
                step_.next()
            );
        }

        incident_.state = IncidentState::closed;
        incident_.closed_at = step_.now();
        step_.accept("order", fmt::format("closed by {}", step_.actor()));
        step_.post(
            PostKind::notice,
            fmt::format(
                "{} closed by {}. The postmortem follows.", incident_.reference(), step_.actor()
            ),
            true
        );
        step_.emit(UpdateTopic{});
        step_.emit(PublishPostmortem{});
    }

    void operator()(const commands::AssignRole& c) {
        incident_.roles[c.role] = c.user;
        step_.accept("order", fmt::format("{} is {}", c.user, commands::role_name(c.role)));
        step_.post(
            PostKind::reply,
            fmt::format(
                "{} is now {} of {}.", c.user, commands::role_name(c.role), incident_.reference()
            ),
            true
        );
    }

    void operator()(const commands::Status&) {
        step_.post(PostKind::reply, step_.prompts().status(incident_, step_.now()));
    }

    // The engine answers these before the workflow is asked.
    void operator()(const commands::Declare&) {}

    void operator()(const commands::Timeline&) {}

    void operator()(const commands::Help&) {}

    /// The result of a verification, manual or from health checks.
    static void apply_verification(WorkflowStep& step, const VerificationReport& report) {
        auto& incident = step.incident();
        auto* attempt = incident.current_attempt();
        if (incident.state != IncidentState::containing || attempt == nullptr) {
            return;  // a late result for an attempt that was superseded or reported failed
        }

        const auto how = report.method == VerificationReport::Method::manual
                             ? fmt::format("manually by {}", report.by)
                             : std::string{"by health checks"};
        if (report.passes()) {
            attempt->outcome = AttemptOutcome::verified;
            attempt->outcome_note = report.evidence;
            attempt->outcome_by = report.by;
            attempt->ended_at = step.now();
            incident.state = IncidentState::contained;
            incident.contained_at = step.now();
            if (incident.deadline && !incident.deadline->met_at) {
                incident.deadline->met_at = step.now();
            }

            const auto verdict = report.method == VerificationReport::Method::manual
                                     ? std::string{}
                                     : fmt::format(": {}", verdict_name(report.verdict));
            step.accept("containment", fmt::format("verified {}{}", how, verdict), report.evidence);
            step.post(
                PostKind::status,
                fmt::format("CONTAINED: {} — {}", attempt->strategy, step.hhmm(step.now())),
                true
            );
            step.post(
                PostKind::reply,
                fmt::format(
                    "Verified {}: {}. Containment deadline {}.",
                    how,
                    report.evidence,
                    step.prompts().deadline_outcome(incident)
                )
            );
            step.emit(UpdateTopic{});

            // Contained again after a failure: the security question was answered already.
            if (incident.security) {
                step.post(
                    PostKind::reply,
                    fmt::format(
                        "The security check stands: {}. {}",
                        commands::verdict_name(incident.security->verdict),
                        step.next()
                    )
                );
            } else {
                step.post(PostKind::prompt, step.prompts().security(incident));
            }
            return;
        }

        if (report.verdict == HealthVerdict::down) {
            attempt->outcome = AttemptOutcome::down;
            attempt->outcome_note = report.evidence;
            attempt->ended_at = step.now();
            incident.state = IncidentState::triaged;

            // The strategy did not contain it: the same failure a responder can report.
            step.refuse(
                "containment",
                fmt::format("verification found the service DOWN ({})", report.evidence),
                fmt::format("{} did not contain it", attempt->strategy)
            );
            step.post(
                PostKind::status,
                fmt::format(
                    "CONTAINMENT_FAILED: {} (verification: DOWN) — escalate", attempt->strategy
                ),
                true
            );
            step.post(
                PostKind::prompt,
                fmt::format(
                    "Escalating to {}. Choose another strategy: {}",
                    step.prompts().escalation(),
                    step.prompts().next_step(incident)
                )
            );
            return;
        }

        step.refuse(
            "containment",
            fmt::format(
                "verification found the service DEGRADED and {} ({})",
                trend_name(report.trend),
                report.evidence
            ),
            "Give it a moment and confirm again with `/incident contained`, or change strategy "
            "with `/incident contain <strategy> <what was done>`"
        );
    }

private:
    /// The containment gate: no root-cause work before the system is stable.
    bool refuse_before_contained(std::string_view step = "root-cause work") {
        if (before(incident_.state, IncidentState::contained)) {
            step_.refuse(
                "containment",
                fmt::format("{} starts once containment is verified ({})", step, step_.where()),
                step_.next()
            );
            return false;
        }
        return true;
    }

    WorkflowStep& step_;
    Incident& incident_;
};

}  // namespace

void apply_command(WorkflowStep& step, const commands::Command& command) {
    CommandHandler handler{step};
    std::visit(handler, command);
}

void apply_verification(WorkflowStep& step, const VerificationReport& report) {
    CommandHandler::apply_verification(step, report);
}

}  // namespace sitrep::bot
