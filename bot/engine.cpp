#include "bot/engine.hpp"

#include <fstream>
#include <set>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bot/gate_record.hpp"
#include "bot/postmortem_builder.hpp"
#include "bot/text_limit.hpp"
#include "commands/command_parser.hpp"
#include "templates/template_set.hpp"

namespace sitrep::bot {

namespace {

/// How many key events `/incident timeline` shows; the postmortem has them all.
constexpr std::size_t timeline_reply_limit = 30;

/// Alerts listed one per line in a post; a larger group is counted, not listed.
constexpr std::size_t listed_alerts_limit = 20;

/// The most of one message the timeline keeps. Slack and Matrix refuse longer messages
/// anyway (40,000 characters, 64 KiB events); only the console can send one.
constexpr std::size_t recorded_message_limit = 64 * 1024;

/// Writes files so that a reader sees each one old or new, never half written, and a failure
/// writing any of them leaves all of them as they were.
void write_atomically(const std::vector<std::pair<std::filesystem::path, std::string>>& files) {
    std::vector<std::filesystem::path> partials;
    try {
        for (const auto& [path, content] : files) {
            std::filesystem::create_directories(path.parent_path());
            auto partial = path;
            partial += ".partial";
            partials.push_back(partial);

            std::ofstream out{partial, std::ios::binary | std::ios::trunc};
            out.write(content.data(), static_cast<std::streamsize>(content.size()));
            out.flush();
            if (!out) {
                throw std::runtime_error(fmt::format("cannot write {}", partial.string()));
            }
        }
    } catch (...) {
        std::error_code ignored;  // the partial files are ours; the first error is the news
        for (const auto& partial : partials) {
            std::filesystem::remove(partial, ignored);
        }
        throw;
    }

    for (std::size_t i = 0; i < files.size(); ++i) {
        std::filesystem::rename(partials[i], files[i].first);
    }
}

/// "1 alert", "3 alerts".
std::string count_of(std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string topic_of(const Incident& incident) {
    return fmt::format(
        "{} · {} · {} · {}",
        incident.reference(),
        incident.severity.empty() ? std::string{"untriaged"} : incident.severity,
        state_name(incident.state),
        incident.title
    );
}

EntryKind entry_kind_of(PostKind kind) {
    return kind == PostKind::status ? EntryKind::status : EntryKind::bot;
}

/// "CheckoutErrorRate (instance=checkout-a:8080)": an alert in one line for messages.
std::string describe_alert(const Alert& alert, const Labels& common) {
    const auto name = alert.labels.contains("alertname") ? alert.labels.at("alertname") : "alert";
    std::string distinct;
    for (const auto& [key, value] : alert.labels) {
        if (key == "alertname" || common.contains(key)) {
            continue;
        }
        distinct += fmt::format("{}{}={}", distinct.empty() ? "" : ", ", key, value);
    }
    return distinct.empty() ? name : fmt::format("{} ({})", name, distinct);
}

std::string label_or(const Labels& labels, const std::string& key, std::string fallback) {
    const auto it = labels.find(key);
    return it == labels.end() || it->second.empty() ? std::move(fallback) : it->second;
}

/// The value of a label or annotation shared by the group, else the first alert's.
std::string group_value(
    const AlertNotification& n,
    const Labels AlertNotification::*common,
    const Labels Alert::*own,
    const std::string& key
) {
    auto value = label_or(n.*common, key, "");
    if (value.empty() && !n.alerts.empty()) {
        value = label_or(n.alerts.front().*own, key, "");
    }
    return value;
}

}  // namespace

/// Where a command came from, so answers go back there.
struct Engine::Origin {
    std::string connector;
    std::string room;
    std::string author;
    std::optional<std::int64_t> incident_id;
};

Engine::Engine(
    const Config& config,
    IncidentStore& store,
    const templates::TemplateSet& templates,
    const Clock& clock,
    spdlog::logger& log
)
    : config_(config),
      store_(store),
      templates_(templates),
      clock_(clock),
      log_(log),
      time_format_(config.timezone),
      workflow_(config.workflow, time_format_),
      grammar_(config.workflow.grammar()) {}

// ---------------------------------------------------------------------------------------------
// Messages and commands

bool Engine::on_message(const InboundMessage& message) {
    const auto queued_before = queued_;
    try {
        store_.transaction([&] { handle_message(message); });
    } catch (const StoreError&) {
        throw;  // the store itself failed: nothing can be recorded, the runtime reports it
    } catch (const std::exception& e) {
        // Carrying out the command failed (a postmortem that cannot be written): none of it
        // was kept, and the room hears why instead of silence.
        log_.error(
            "command_failed connector={} room={} user={} error=\"{}\"",
            message.connector,
            message.room,
            message.author,
            e.what()
        );
        store_.transaction([&] { answer_failure(message, e.what()); });
    }
    return queued_ != queued_before;
}

void Engine::answer_failure(const InboundMessage& message, std::string_view error) {
    if (!message.source_id.empty()) {
        (void)store_.remember_inbound(message.connector, message.source_id, message.at);
    }
    auto incident = store_.find_incident_by_room(message.connector, message.room);
    if (incident) {
        record_message(*incident, message, EntryKind::command);
    }
    const Origin origin{
        message.connector,
        message.room,
        message.author,
        incident ? std::optional{incident->id} : std::nullopt};
    reply(
        origin,
        fmt::format(
            "sitrep could not carry that out: {}. Nothing changed; the operator has the details "
            "in the log. Try again once it is fixed.",
            error
        )
    );
}

void Engine::handle_message(const InboundMessage& message) {
    if (!message.source_id.empty() &&
        !store_.remember_inbound(message.connector, message.source_id, message.at)) {
        log_.debug(
            "message_duplicate connector={} source_id={}", message.connector, message.source_id
        );
        return;
    }

    auto incident = store_.find_incident_by_room(message.connector, message.room);
    const bool command = !message.from_self && commands::is_command(message.text);
    if (incident) {
        const auto kind = message.from_self ? EntryKind::bot
                          : command         ? EntryKind::command
                                            : EntryKind::message;
        record_message(*incident, message, kind);
    }
    if (command) {
        const Origin origin{
            message.connector,
            message.room,
            message.author,
            incident ? std::optional{incident->id} : std::nullopt};
        run_command(origin, std::move(incident), message);
    }
}

void Engine::run_command(
    const Origin& origin, std::optional<Incident> incident, const InboundMessage& message
) {
    const auto parsed = commands::parse_command(message.text, grammar_);
    if (!parsed) {
        return;
    }
    if (!parsed->ok()) {
        const auto& error = parsed->error();
        log_.info(
            "command_rejected connector={} room={} user={} reason=syntax",
            origin.connector,
            origin.room,
            origin.author
        );
        reply(origin, fmt::format("{}\nUsage: {}", error.message, error.usage));
        return;
    }

    const auto& command = parsed->command();
    const auto verb = commands::verb_of(command);
    log_.info(
        "command_received connector={} room={} user={} verb={} incident_id={}",
        origin.connector,
        origin.room,
        origin.author,
        commands::verb_name(verb),
        incident ? incident->id : 0
    );

    if (const auto* declare_command = std::get_if<commands::Declare>(&command)) {
        return declare(origin, declare_command->title);
    }
    if (const auto* help = std::get_if<commands::Help>(&command)) {
        return reply(origin, commands::help_text(help->topic, grammar_));
    }

    // Everything else acts on the incident of the room it was typed in.
    if (!incident) {
        std::string open;
        for (const auto& other : store_.open_incidents()) {
            open += fmt::format(
                "\n  {} {} — {} — {}",
                other.reference(),
                other.title,
                state_name(other.state),
                other.room.empty() ? std::string{"(room opening)"} : other.room
            );
        }
        if (verb == commands::Verb::status) {
            return reply(origin, open.empty() ? "No incident is open." : "Open incidents:" + open);
        }
        return reply(
            origin,
            fmt::format(
                "`/incident {}` works in an incident's room; this room has no incident. "
                "Type it in the incident's room, or open one with `/incident declare <title>`.{}",
                commands::verb_name(verb),
                open.empty() ? "" : "\nOpen incidents:" + open
            )
        );
    }

    if (verb == commands::Verb::timeline) {
        std::vector<std::string> lines;
        for (const auto& entry : store_.timeline(incident->id)) {
            if (entry.key_event) {
                lines.push_back(fmt::format("  {} {}", time_format_.date_time(entry.at), entry.text)
                );
            }
        }
        const auto shown = std::min(lines.size(), timeline_reply_limit);
        std::string text = fmt::format(
            "{} of {} ({} shown, newest last):",
            count_of(lines.size(), "key event"),
            incident->reference(),
            shown
        );
        for (auto it = lines.end() - static_cast<std::ptrdiff_t>(shown); it != lines.end(); ++it) {
            text += "\n" + *it;
        }
        return reply(origin, text);
    }

    // TODO: enforce who may run what (the commander resolves and closes); until then roles are
    // recorded and shown, and anyone in the room may run any step.
    apply(workflow_.handle(*incident, command, origin.author, clock_.now()), origin.author);
}

void Engine::declare(const Origin& origin, const std::string& title) {
    const auto now = clock_.now();

    // A retyped command or a double click must not open a second incident.
    const auto since = now - config_.workflow.declare_dedup_window;
    if (const auto open = store_.find_open_incident_titled(title, since)) {
        record(
            *open,
            EntryKind::gate,
            origin.author,
            gate_record_text(
                {"order", false, fmt::format("repeated declare by {}", origin.author), {}}
            )
        );
        reply(
            origin,
            fmt::format(
                "{} \"{}\" was opened {} ago by {} and is {}: {}. Nothing new was opened; use "
                "that incident, or declare again with a different title.",
                open->reference(),
                open->title,
                format_duration(now - open->declared_at),
                open->declared_by,
                state_name(open->state),
                open->room.empty() ? std::string{"its room is opening"} : open->room
            )
        );
        return;
    }

    Declaration declaration;
    declaration.title = title;
    declaration.declared_by = origin.author;
    declaration.at = now;
    declaration.origin_connector = origin.connector;
    declaration.origin_room = origin.room;
    open_incident(declaration, {});
}

Incident Engine::open_incident(const Declaration& declaration, std::string_view alert_details) {
    auto incident = workflow_.declare(declaration);
    incident.connector = declaration.origin_connector;
    incident.slug = slugify(declaration.title);
    store_.create_incident(incident);
    log_.info(
        "incident_opened incident_id={} slug={} connector={} declared_by={}",
        incident.id,
        incident.slug,
        incident.connector,
        incident.declared_by
    );

    // What opened the incident opens its timeline, before anything sitrep says about it: the
    // alert, or the declare command in the room where it was typed.
    TimelineEntry opening;
    opening.incident_id = incident.id;
    opening.at = declaration.at;
    opening.author = declaration.declared_by;
    opening.connector = declaration.origin_connector;
    if (declaration.alert) {
        opening.kind = EntryKind::alert;
        opening.text = alert_details.empty() ? "Alert from " + declaration.declared_by
                                             : std::string{alert_details};
        opening.key_event = true;
    } else {
        opening.kind = EntryKind::command;
        opening.text = "/incident declare " + declaration.title;
        opening.room = declaration.origin_room;
    }
    store_.append(opening);

    // The room is created first; everything posted to the incident waits for it in the outbox.
    OutboxItem room;
    room.incident_id = incident.id;
    room.connector = incident.connector;
    room.kind = OutboxKind::create_room;
    room.name = "inc-" + incident.slug;
    room.text = topic_of(incident);
    enqueue(std::move(room));

    apply(workflow_.opened(incident, alert_details), incident.declared_by);
    return incident;
}

void Engine::on_room_created(
    const OutboxItem& item, std::string_view room, std::string_view mention
) {
    store_.transaction([&] {
        if (!item.incident_id) {
            return;
        }
        auto incident = store_.find_incident(*item.incident_id);
        if (!incident) {
            return;
        }
        incident->room = std::string{room};
        store_.save_incident(*incident);
        log_.info(
            "room_created incident_id={} connector={} room={}", incident->id, item.connector, room
        );

        OutboxItem announcement;
        announcement.incident_id = incident->id;
        announcement.connector = incident->origin_connector;
        announcement.room = incident->origin_room;
        announcement.post_kind = PostKind::notice;
        announcement.text = fmt::format(
            "{} opened: \"{}\" — join {}", incident->reference(), incident->title, mention
        );
        enqueue(std::move(announcement));
    });
}

// ---------------------------------------------------------------------------------------------
// Effects

void Engine::apply(const Outcome& outcome, const std::string& actor) {
    const auto& incident = outcome.incident;
    store_.save_incident(incident);

    for (const auto& effect : outcome.effects) {
        if (const auto* post_effect = std::get_if<Post>(&effect)) {
            post(incident, *post_effect);
        } else if (const auto* decision = std::get_if<GateDecision>(&effect)) {
            if (!decision->accepted) {
                log_.info("gate_refused incident_id={} gate={}", incident.id, decision->gate);
            }
            record(incident, EntryKind::gate, actor, gate_record_text(*decision));
        } else if (std::holds_alternative<UpdateTopic>(effect)) {
            OutboxItem topic;
            topic.incident_id = incident.id;
            topic.connector = incident.connector;
            topic.kind = OutboxKind::set_topic;
            topic.text = topic_of(incident);
            enqueue(std::move(topic));
        } else if (std::holds_alternative<PublishPostmortem>(effect)) {
            publish(incident);
        } else if (std::holds_alternative<StartSecurityProtocol>(effect)) {
            // TODO: move a security incident to a private room for the security team; the
            // console has no private rooms, so until the chat connectors do it the incident is
            // only flagged and its room told to keep details out of public channels.
            log_.warn("security_incident_flagged incident_id={}", incident.id);
        } else if (std::holds_alternative<RunHealthChecks>(effect)) {
            // TODO: run the service's configured health checks and report them through
            // Workflow::verify; until health checks exist the workflow only verifies manually.
            log_.warn("health_checks_unavailable incident_id={}", incident.id);
        }
    }
}

void Engine::post(const Incident& incident, const Post& post) {
    OutboxItem item;
    item.incident_id = incident.id;
    item.connector = incident.connector;
    item.post_kind = post.kind;
    item.text = post.text;
    enqueue(std::move(item));
    record(
        incident, entry_kind_of(post.kind), config_.workflow.bot_name, post.text, post.key_event
    );
}

void Engine::reply(const Origin& origin, std::string text) {
    // An answer in an incident's room is part of its timeline; one elsewhere is not.
    if (origin.incident_id) {
        if (auto incident = store_.find_incident(*origin.incident_id)) {
            record(*incident, EntryKind::bot, config_.workflow.bot_name, text);
        }
    }

    OutboxItem item;
    item.incident_id = origin.incident_id;
    item.connector = origin.connector;
    item.room = origin.room;
    item.post_kind = PostKind::reply;
    item.text = std::move(text);
    enqueue(std::move(item));
}

void Engine::enqueue(OutboxItem item) {
    ++queued_;
    item.created_at = clock_.now();
    item.not_before = item.created_at;
    store_.enqueue(item);
}

void Engine::record(
    const Incident& incident, EntryKind kind, std::string author, std::string text, bool key_event
) {
    TimelineEntry entry;
    entry.incident_id = incident.id;
    entry.at = clock_.now();
    entry.kind = kind;
    entry.author = std::move(author);
    entry.text = std::move(text);
    entry.connector = incident.connector;
    entry.room = incident.room;
    entry.key_event = key_event;
    store_.append(entry);
}

void Engine::record_message(
    const Incident& incident, const InboundMessage& message, EntryKind kind
) {
    TimelineEntry entry;
    entry.incident_id = incident.id;
    entry.at = message.at;
    entry.kind = kind;
    entry.author = message.author;
    entry.text = message.text.size() <= recorded_message_limit
                     ? message.text
                     : fmt::format(
                           "{}\n[cut: the message had {} bytes; the first {} are kept]",
                           cut_utf8(message.text, recorded_message_limit),
                           message.text.size(),
                           recorded_message_limit
                       );
    entry.connector = message.connector;
    entry.room = message.room;
    entry.source_id = message.source_id;
    entry.thread = message.thread;
    store_.append(entry);
}

void Engine::publish(const Incident& incident) {
    auto artifacts = render_artifacts(incident.id);
    auto content = artifacts.postmortem;
    const auto path = write(std::move(artifacts));

    OutboxItem upload;
    upload.incident_id = incident.id;
    upload.connector = incident.connector;
    upload.kind = OutboxKind::upload;
    upload.post_kind = PostKind::notice;
    upload.name = path.filename().string();
    upload.text = std::move(content);
    enqueue(std::move(upload));

    record(
        incident,
        EntryKind::bot,
        config_.workflow.bot_name,
        fmt::format("Postmortem published: {}", path.filename().string()),
        true
    );
    log_.info("postmortem_published incident_id={} file={}", incident.id, path.string());
}

Engine::Artifacts Engine::render_artifacts(std::int64_t incident_id) {
    const auto incident = store_.find_incident(incident_id);
    if (!incident) {
        throw std::runtime_error(fmt::format("there is no incident {}", incident_id));
    }

    const auto timeline = store_.timeline(incident_id);
    const PostmortemBuilder builder{config_.workflow, workflow_.prompts()};
    return Artifacts{
        incident->artifact_name(time_format_.date(incident->declared_at)) + ".md",
        templates_.render_postmortem(builder.postmortem(*incident, timeline, clock_.now())),
        templates_.render_decision_record(builder.decision_record(*incident, timeline)),
    };
}

std::string Engine::render_postmortem(std::int64_t incident_id) {
    return render_artifacts(incident_id).postmortem;
}

std::filesystem::path Engine::write_artifacts(std::int64_t incident_id) {
    return write(render_artifacts(incident_id));
}

std::filesystem::path Engine::write(Artifacts artifacts) {
    const auto postmortem = config_.data_dir / "incidents" / artifacts.file_name;
    write_atomically({
        {postmortem, std::move(artifacts.postmortem)},
        {config_.data_dir / "adr" / artifacts.file_name, std::move(artifacts.decision_record)},
    });
    return postmortem;
}

// ---------------------------------------------------------------------------------------------
// Deadlines

void Engine::on_tick() {
    store_.transaction([&] {
        const auto now = clock_.now();
        for (const auto& incident : store_.open_incidents()) {
            const auto due = workflow_.next_due(incident);
            if (due && *due <= now) {
                log_.info("deadline_due incident_id={}", incident.id);
                apply(workflow_.tick(incident, now), config_.workflow.bot_name);
            }
        }
    });
}

// TODO: keep the next due time in the incidents table (an indexed column) instead of loading
// every open incident; meanwhile each call costs a scan, fine for tens of open incidents.
std::optional<Timestamp> Engine::next_deadline() {
    std::optional<Timestamp> next;
    for (const auto& incident : store_.open_incidents()) {
        const auto due = workflow_.next_due(incident);
        if (due && (!next || *due < *next)) {
            next = due;
        }
    }
    return next;
}

// ---------------------------------------------------------------------------------------------
// Alerts

namespace {

/// What one delivery changes in a group: alerts that started firing, alerts that resolved,
/// and how many are simply repeated.
struct AlertChanges {
    std::vector<const Alert*> started_alerts;
    std::vector<std::string> started;
    std::vector<std::string> resolved;
    std::size_t repeated = 0;
};

AlertChanges classify(
    const AlertNotification& n,
    const std::vector<AlertState>& known,
    bool fresh,
    const TimeFormat& tf,
    Timestamp now
) {
    std::set<std::string> seen;
    std::set<std::string> firing;
    for (const auto& state : known) {
        seen.insert(state.fingerprint);
        if (state.firing && !fresh) {
            firing.insert(state.fingerprint);
        }
    }

    AlertChanges changes;
    for (const auto& alert : n.alerts) {
        const auto line = describe_alert(alert, n.common_labels);
        const bool was_firing = firing.contains(alert.fingerprint);
        if (alert.status == AlertStatus::firing) {
            if (was_firing) {
                ++changes.repeated;
            } else {
                changes.started_alerts.push_back(&alert);
                changes.started.push_back(line);
            }
            continue;
        }
        // A resolution is news unless it was already told.
        if (was_firing || !seen.contains(alert.fingerprint) || fresh) {
            changes.resolved.push_back(fmt::format(
                "{} (resolved at {})", line, tf.hhmm(alert.ends_at ? *alert.ends_at : now)
            ));
        }
    }
    return changes;
}

/// The room's message about a delivery; empty when it only repeats what is known.
std::string describe_changes(const AlertNotification& n, const AlertChanges& changes) {
    std::string text;
    if (!changes.started.empty()) {
        const auto summary =
            group_value(n, &AlertNotification::common_annotations, &Alert::annotations, "summary");
        text += fmt::format(
            "{} FIRING: {} alert{}{}",
            n.source,
            changes.started.size(),
            changes.started.size() == 1 ? "" : "s",
            summary.empty() ? "" : " — " + summary
        );
        for (std::size_t i = 0; i < changes.started.size() && i < listed_alerts_limit; ++i) {
            text += "\n  firing: " + changes.started[i];
        }
        if (changes.started.size() > listed_alerts_limit) {
            text += fmt::format(
                "\n  … and {} more firing", changes.started.size() - listed_alerts_limit
            );
        }
        // What the group shares, else what the first alert that started says.
        const auto& first = *changes.started_alerts.front();
        const auto annotation = [&](const std::string& key) {
            const auto shared = label_or(n.common_annotations, key, "");
            return shared.empty() ? label_or(first.annotations, key, "") : shared;
        };
        if (const auto description = annotation("description"); !description.empty()) {
            text += "\n  description: " + description;
        }
        if (const auto runbook = annotation("runbook_url"); !runbook.empty()) {
            text += "\n  runbook: " + runbook;
        }
        if (!first.generator_url.empty()) {
            text += "\n  source: " + first.generator_url;
        }
    }

    for (std::size_t i = 0; i < changes.resolved.size() && i < listed_alerts_limit; ++i) {
        text += fmt::format("{}alert resolved: {}", text.empty() ? "" : "\n", changes.resolved[i]);
    }
    if (changes.resolved.size() > listed_alerts_limit) {
        text +=
            fmt::format("\n… and {} more resolved", changes.resolved.size() - listed_alerts_limit);
    }
    if (n.status == AlertStatus::resolved) {
        text += fmt::format(
            "{}All alerts of the group are resolved; the incident stays open and closes "
            "through its gates.",
            text.empty() ? "" : "\n"
        );
    }

    // Alerts the sender left out are said, never hidden.
    if (!text.empty() && n.truncated > 0) {
        text += fmt::format(
            "\n{} more alert{} of this group {} not sent (the sender's max_alerts limit); see {}",
            n.truncated,
            n.truncated == 1 ? "" : "s",
            n.truncated == 1 ? "was" : "were",
            n.external_url.empty() ? n.source : n.external_url
        );
    }
    return text;
}

}  // namespace

void Engine::on_alert(const AlertNotification& notification, std::string_view connector) {
    store_.transaction([&] {
        const auto now = clock_.now();
        auto group = store_.find_alert_group(notification.source, notification.group_key);
        if (!group) {
            group = AlertGroupState{
                notification.source, notification.group_key, std::nullopt, false, now, now};
        }

        // A group belongs to its incident while that incident is open; once it is closed, the
        // group firing again is a new incident.
        std::optional<Incident> incident;
        if (group->incident_id) {
            incident = store_.find_incident(*group->incident_id);
            if (incident && !incident->is_open()) {
                incident.reset();
            }
        }

        const bool opens = !incident && notification.status == AlertStatus::firing;
        const auto known = store_.alerts_of_group(notification.source, notification.group_key);
        const auto changes = classify(notification, known, opens, time_format_, now);
        const auto said = describe_changes(notification, changes);

        if (opens) {
            incident = open_incident(declaration_for(notification, connector, now), said);
            group->incident_id = incident->id;
        } else if (incident && !said.empty()) {
            post(*incident, Post{PostKind::notice, said, false});
        }

        if (incident && !opens) {
            // A repeat changes nothing: it goes in the timeline only, so the room is not flooded.
            const auto entry =
                !said.empty() ? said
                              : fmt::format(
                                    "{} repeat: {} alert{} still firing{}",
                                    notification.source,
                                    changes.repeated,
                                    changes.repeated == 1 ? "" : "s",
                                    notification.truncated
                                        ? fmt::format(", {} more not sent", notification.truncated)
                                        : ""
                                );
            record(*incident, EntryKind::alert, notification.source, entry, !said.empty());
        } else if (!incident) {
            log_.info(
                "alert_without_incident source={} status=resolved alerts={}",
                notification.source,
                notification.alerts.size()
            );
        }

        // Remember every alert of the group, so repeats and resolutions are told apart.
        group->firing = notification.status == AlertStatus::firing;
        group->last_seen = now;
        store_.save_alert_group(*group);
        for (const auto& alert : notification.alerts) {
            store_.save_alert(AlertState{
                notification.source,
                notification.group_key,
                alert.fingerprint,
                alert.status == AlertStatus::firing,
                label_or(alert.labels, "alertname", "alert"),
                describe_alert(alert, notification.common_labels),
                now,
                now,
            });
        }
    });
}

Declaration Engine::declaration_for(
    const AlertNotification& n, std::string_view connector, Timestamp now
) const {
    const auto& workflow = config_.workflow;
    const auto common = [&](const std::string& key) {
        return group_value(n, &AlertNotification::common_labels, &Alert::labels, key);
    };

    const auto name = common("alertname");
    const auto summary =
        group_value(n, &AlertNotification::common_annotations, &Alert::annotations, "summary");

    Declaration declaration;
    // An alert's text is the sender's: held to the same limit as a typed title.
    declaration.title = cut_utf8(
        summary.empty() ? name : fmt::format("{}: {}", name, summary), commands::max_title_bytes
    );
    if (declaration.title.empty()) {
        declaration.title = "Alert from " + n.source;
    }
    declaration.declared_by = n.source;
    declaration.at = now;
    declaration.origin_connector = std::string{connector};
    declaration.origin_room = config_.announce_room;
    declaration.service = common(workflow.service_label);

    // The severity label suggests a severity; triage stays a person's decision.
    AlertOrigin origin{n.source, n.group_key, {}, {}};
    const auto label = common(workflow.severity_label);
    if (const auto it = workflow.severity_map.find(label); it != workflow.severity_map.end()) {
        origin.suggested_severity = it->second;
        origin.suggestion_reason = fmt::format("{}={}", workflow.severity_label, label);
    }
    declaration.alert = std::move(origin);
    return declaration;
}

}  // namespace sitrep::bot
