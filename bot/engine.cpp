#include "bot/engine.hpp"

#include <fstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "bot/gate_record.hpp"
#include "bot/postmortem_builder.hpp"
#include "commands/command_parser.hpp"
#include "commands/text.hpp"
#include "templates/template_set.hpp"

namespace sitrep::bot {

namespace {

/// How many key events `/incident timeline` shows; the postmortem has them all.
constexpr std::size_t timeline_reply_limit = 30;

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
    incident.declared_on = time_format_.date(incident.declared_at);
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
                           commands::text::cut_utf8(message.text, recorded_message_limit),
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
        incident->artifact_name() + ".md",
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

}  // namespace sitrep::bot
