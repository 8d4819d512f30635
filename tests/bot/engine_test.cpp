#include "bot/engine.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "bot/config.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

// The engine on a real SQLite file, driven synchronously: each test says things in rooms,
// sends alerts and moves a manual clock, and plays the connector by draining the outbox.
namespace sitrep::bot {

// Readable names in failure messages; found by argument-dependent lookup, so they live in the
// enums' namespace, with internal linkage.
[[maybe_unused]] static void PrintTo(EntryKind kind, std::ostream* out) {
    *out << entry_kind_name(kind);
}

[[maybe_unused]] static void PrintTo(IncidentState state, std::ostream* out) {
    *out << state_name(state);
}

[[maybe_unused]] static void PrintTo(OutboxKind kind, std::ostream* out) {
    *out << outbox_kind_name(kind);
}

namespace {

using namespace std::chrono_literals;

constexpr auto connector = "slack";

/// 2026-12-03 at hh:mm:ss UTC.
Timestamp at(int hour, int minute, int second = 0) {
    return Timestamp{std::chrono::sys_days{2026y / std::chrono::December / 3}} +
           std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// One thing the simulated connector sent, with the room it went to.
struct Sent {
    OutboxItem item;
    std::string room;
};

std::vector<std::string> texts_of(const std::vector<Sent>& sent) {
    std::vector<std::string> texts;
    for (const auto& s : sent) {
        texts.push_back(s.item.text);
    }
    return texts;
}

/// How many sent items contain `part`.
std::size_t count_containing(const std::vector<Sent>& sent, const std::string& part) {
    return static_cast<std::size_t>(std::count_if(sent.begin(), sent.end(), [&](const Sent& s) {
        return contains(s.item.text, part);
    }));
}

std::size_t count_kind(const std::vector<TimelineEntry>& timeline, EntryKind kind) {
    return static_cast<std::size_t>(std::count_if(
        timeline.begin(), timeline.end(), [&](const TimelineEntry& e) { return e.kind == kind; }
    ));
}

Alert checkout_alert(const std::string& instance, AlertStatus status = AlertStatus::firing) {
    Alert alert;
    alert.status = status;
    alert.labels = {
        {"alertname", "CheckoutErrorRate"},
        {"severity", "critical"},
        {"service", "checkout"},
        {"instance", instance},
    };
    alert.annotations = {{"summary", "Checkout error rate above 5%"}};
    alert.fingerprint = "fp-" + instance;
    alert.generator_url = "http://prometheus:9090/graph?g0.expr=rate";
    if (status == AlertStatus::resolved) {
        alert.ends_at = at(10, 30);
    }
    return alert;
}

/// Alertmanager's view of the checkout group: one alert per instance, each firing or not.
AlertNotification checkout_group(const std::vector<Alert>& alerts) {
    AlertNotification n;
    n.source = "alertmanager";
    n.group_key = "{}:{alertname=\"CheckoutErrorRate\"}";
    n.receiver = "sitrep";
    n.group_labels = {{"alertname", "CheckoutErrorRate"}};
    n.common_labels = {
        {"alertname", "CheckoutErrorRate"}, {"severity", "critical"}, {"service", "checkout"}};
    n.common_annotations = {{"summary", "Checkout error rate above 5%"}};
    n.external_url = "http://alertmanager:9093";
    n.alerts = alerts;
    const bool any_firing = std::any_of(alerts.begin(), alerts.end(), [](const Alert& a) {
        return a.status == AlertStatus::firing;
    });
    n.status = any_firing ? AlertStatus::firing : AlertStatus::resolved;
    return n;
}

class EngineTest : public ::testing::Test {
protected:
    EngineTest()
        : config_(Config::from_yaml("data_dir: \"" + dir_.path().string() + "\"")),
          templates_(templates::TemplateSet::load()),
          clock_(at(10, 0)),
          log_("bot", std::make_shared<spdlog::sinks::null_sink_st>()) {
        start();
    }

    /// Opens the store and the engine on the data directory's database, as sitrep starts.
    void start() {
        engine_.reset();
        store_.reset();
        store_ = std::make_unique<store::SqliteIncidentStore>(config_.data_dir / "sitrep.db");
        engine_ = std::make_unique<Engine>(config_, *store_, templates_, clock_, log_);
    }

    /// Stops everything mid-incident and starts again on the same file.
    void restart() { start(); }

    void set_time(Timestamp t) { clock_.set(t); }

    /// A message said in a room now; `source_id` empty gives each message its own.
    void say(
        const std::string& room,
        const std::string& author,
        const std::string& text,
        std::string source_id = {},
        bool from_self = false
    ) {
        InboundMessage message;
        message.connector = connector;
        message.room = room;
        message.author = author;
        message.text = text;
        message.at = clock_.now();
        message.source_id = source_id.empty() ? "m" + std::to_string(++message_count_) : source_id;
        message.from_self = from_self;
        engine_->on_message(message);
    }

    /// What the outbox holds now, without sending it.
    std::vector<OutboxItem> pending() { return store_->due_outbox(clock_.now(), 100000); }

    /// Plays the connector: sends everything due, creating rooms as asked (the room of
    /// "inc-db-down" is "#inc-db-down"), and confirms each item. Returns what was sent.
    std::vector<Sent> deliver() {
        std::vector<Sent> sent;
        for (auto due = pending(); !due.empty(); due = pending()) {
            for (const auto& item : due) {
                std::string room = item.room;
                if (item.kind == OutboxKind::create_room) {
                    room = "#" + item.name;
                    engine_->on_room_created(item, room, room);
                } else if (room.empty() && item.incident_id) {
                    const auto incident = store_->find_incident(*item.incident_id);
                    room = incident ? incident->room : "";
                }
                store_->complete_outbox(item.id);
                sent.push_back(Sent{item, room});
            }
        }
        return sent;
    }

    /// Declares an incident in #ops and lets the connector open its room.
    Incident declare(const std::string& title, const std::string& author = "@alice") {
        say("#ops", author, "/incident declare " + title);
        deliver();
        const auto open = store_->open_incidents();
        if (open.empty()) {
            throw std::runtime_error("no incident opened");
        }
        return open.back();
    }

    Incident incident(std::int64_t id) {
        auto found = store_->find_incident(id);
        if (!found) {
            throw std::runtime_error("incident " + std::to_string(id) + " is gone");
        }
        return *found;
    }

    std::vector<TimelineEntry> timeline(std::int64_t id) { return store_->timeline(id); }

    /// Takes an incident from declared to resolved through its gates, typed in its room.
    void run_to_resolved(const std::string& room) {
        for (const auto* command :
             {"/incident triage P1 login returns 503 for most users",
              "/incident contain rollback rolled back to v41",
              "/incident contained error rate back to 0.1% on the dashboard",
              "/incident security pass no sign of access",
              "/incident impact 30% of logins failed for 20 minutes",
              "/incident rca a config push disabled the connection pool",
              "/incident factor no canary for config changes",
              "/incident action Canary config pushes owner=@bob due=2026-12-10",
              "/incident resolve rolled back; error rate normal"}) {
            say(room, "@alice", command);
        }
    }

    /// The same, then closed; returns everything sent on the way.
    std::vector<Sent> run_to_close(const std::string& room) {
        run_to_resolved(room);
        say(room, "@alice", "/incident close");
        return deliver();
    }

    test::TempDir dir_;
    Config config_;
    templates::TemplateSet templates_;
    ManualClock clock_;
    spdlog::logger log_;
    std::unique_ptr<store::SqliteIncidentStore> store_;
    std::unique_ptr<Engine> engine_;
    int message_count_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Declaring

TEST_F(EngineTest, DeclareQueuesRoomFirstThenTriagePrompt) {
    say("#ops", "@alice", "/incident declare DB down");

    const auto open = store_->open_incidents();
    ASSERT_EQ(open.size(), 1U);
    const auto& incident = open.front();
    EXPECT_EQ(incident.title, "DB down");
    EXPECT_EQ(incident.slug, "db-down");
    EXPECT_EQ(incident.state, IncidentState::declared);
    EXPECT_EQ(incident.declared_by, "@alice");
    EXPECT_EQ(incident.origin_room, "#ops");
    EXPECT_EQ(incident.connector, connector);
    EXPECT_EQ(incident.room, "");

    // The room comes first: every post to the incident waits behind it.
    const auto queued = pending();
    ASSERT_GE(queued.size(), 2U);
    EXPECT_EQ(queued[0].kind, OutboxKind::create_room);
    EXPECT_EQ(queued[0].name, "inc-db-down");
    EXPECT_EQ(queued[0].incident_id, incident.id);
    const auto prompt = std::find_if(queued.begin(), queued.end(), [](const OutboxItem& item) {
        return item.post_kind == PostKind::prompt;
    });
    ASSERT_NE(prompt, queued.end());
    EXPECT_GT(prompt - queued.begin(), 0);
    EXPECT_TRUE(contains(prompt->text, "Triage first")) << prompt->text;
    EXPECT_TRUE(contains(prompt->text, "P1 (contain within 15 min)")) << prompt->text;
    EXPECT_EQ(prompt->room, "");  // the incident's room, once it exists
    for (const auto& item : queued) {
        EXPECT_NE(item.room, "#ops") << "nothing is announced before the room exists";
    }
}

TEST_F(EngineTest, RoomCreatedSetsRoomAndAnnouncesInOriginRoom) {
    say("#ops", "@alice", "/incident declare DB down");
    const auto create_room = pending().front();
    ASSERT_EQ(create_room.kind, OutboxKind::create_room);

    engine_->on_room_created(create_room, "C0DBDOWN", "<#C0DBDOWN>");
    store_->complete_outbox(create_room.id);

    const auto found = store_->find_incident_by_room(connector, "C0DBDOWN");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->room, "C0DBDOWN");

    const auto queued = pending();
    ASSERT_FALSE(queued.empty());
    const auto& announcement = queued.back();
    EXPECT_EQ(announcement.kind, OutboxKind::post);
    EXPECT_EQ(announcement.connector, connector);
    EXPECT_EQ(announcement.room, "#ops");
    EXPECT_EQ(
        announcement.text,
        "INC-" + std::to_string(found->id) + " opened: \"DB down\" — join <#C0DBDOWN>"
    );
}

TEST_F(EngineTest, DeclarationOpensIncidentTimeline) {
    const auto opened = declare("DB down");

    // The command comes first; what sitrep said about it follows.
    const auto all = timeline(opened.id);
    ASSERT_GE(all.size(), 2U);
    EXPECT_EQ(all[0].kind, EntryKind::command);
    EXPECT_EQ(all[0].author, "@alice");
    EXPECT_EQ(all[0].text, "/incident declare DB down");
    EXPECT_EQ(all[0].room, "#ops");
    EXPECT_EQ(all[0].at, at(10, 0));
    EXPECT_EQ(count_kind(all, EntryKind::command), 1U);
}

TEST_F(EngineTest, RestartBeforeRoomExistsStillOpensRoom) {
    say("#ops", "@alice", "/incident declare DB down");

    // sitrep stops before the connector created the room; the request waits in the outbox.
    restart();
    const auto sent = deliver();

    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(sent[0].item.kind, OutboxKind::create_room);
    const auto found = store_->find_incident_by_room(connector, "#inc-db-down");
    ASSERT_TRUE(found);
    EXPECT_EQ(count_containing(sent, "Triage first"), 1U);
    EXPECT_EQ(count_containing(sent, "opened: \"DB down\" — join #inc-db-down"), 1U);
    for (const auto& s : sent) {
        EXPECT_FALSE(s.room.empty()) << s.item.text;
    }
}

// ---------------------------------------------------------------------------------------------
// Recording

TEST_F(EngineTest, RecordsEveryKindOfEntryInOrder) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    ASSERT_EQ(room, "#inc-db-down");
    const auto before = timeline(opened.id).size();

    set_time(at(10, 1));
    say(room, "@bob", "checking the dashboards");
    set_time(at(10, 2));
    say(room, "@alice", "/incident triage P2 login returns 503");
    set_time(at(10, 3));
    say(room, "sitrep", "TRIAGE: P2 — login returns 503", "echo-1", true);

    const auto all = timeline(opened.id);
    ASSERT_EQ(all.size(), before + 6);
    const std::vector<TimelineEntry> added(
        all.begin() + static_cast<std::ptrdiff_t>(before), all.end()
    );

    EXPECT_EQ(added[0].kind, EntryKind::message);
    EXPECT_EQ(added[0].author, "@bob");
    EXPECT_EQ(added[0].text, "checking the dashboards");
    EXPECT_EQ(added[0].at, at(10, 1));
    EXPECT_EQ(added[0].room, room);
    EXPECT_EQ(added[0].connector, connector);
    EXPECT_FALSE(added[0].source_id.empty());

    EXPECT_EQ(added[1].kind, EntryKind::command);
    EXPECT_EQ(added[1].author, "@alice");
    EXPECT_EQ(added[1].text, "/incident triage P2 login returns 503");
    EXPECT_EQ(added[1].at, at(10, 2));

    EXPECT_EQ(added[2].kind, EntryKind::gate);
    EXPECT_EQ(added[2].text, "triage accepted: severity P2 by @alice\nlogin returns 503");
    EXPECT_EQ(added[2].author, "@alice");

    EXPECT_EQ(added[3].kind, EntryKind::status);
    EXPECT_EQ(added[3].author, "sitrep");
    EXPECT_EQ(added[3].text, "TRIAGE: P2 — login returns 503");
    EXPECT_TRUE(added[3].key_event);

    EXPECT_EQ(added[4].kind, EntryKind::bot);
    EXPECT_EQ(added[4].author, "sitrep");
    EXPECT_TRUE(contains(added[4].text, "Contain before investigating")) << added[4].text;
    EXPECT_EQ(added[4].at, at(10, 2));

    // sitrep's own post, seen again in the room, is the bot's.
    EXPECT_EQ(added[5].kind, EntryKind::bot);
    EXPECT_EQ(added[5].author, "sitrep");
    EXPECT_EQ(added[5].at, at(10, 3));

    for (std::size_t i = 1; i < all.size(); ++i) {
        EXPECT_GT(all[i].seq, all[i - 1].seq);
    }
}

TEST_F(EngineTest, RecordsRepliesAndRefusalsInRoom) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    const auto before = timeline(opened.id).size();

    // Out of order: the triage gate refuses, and says so in the room and in the record.
    say(room, "@bob", "/incident rca a bad deploy");
    // A syntax error: answered by the engine itself.
    say(room, "@bob", "/incident triage");

    const auto all = timeline(opened.id);
    const std::vector<TimelineEntry> added(
        all.begin() + static_cast<std::ptrdiff_t>(before), all.end()
    );
    ASSERT_EQ(added.size(), 5U);
    EXPECT_EQ(added[0].kind, EntryKind::command);
    EXPECT_EQ(added[1].kind, EntryKind::gate);
    EXPECT_TRUE(contains(added[1].text, "triage refused")) << added[1].text;
    EXPECT_EQ(added[2].kind, EntryKind::bot);
    EXPECT_TRUE(contains(added[2].text, "Refused: triage comes before anything else"))
        << added[2].text;
    EXPECT_EQ(added[3].kind, EntryKind::command);
    EXPECT_EQ(added[4].kind, EntryKind::bot);
    EXPECT_TRUE(contains(added[4].text, "Usage: /incident triage <severity> <impact>"))
        << added[4].text;
}

TEST_F(EngineTest, ThousandMessagesAreAllRecorded) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;

    for (int i = 0; i < 1000; ++i) {
        set_time(at(10, 1) + std::chrono::milliseconds{i * 10});
        say(room, i % 2 == 0 ? "@alice" : "@bob", "message " + std::to_string(i));
    }

    std::vector<TimelineEntry> messages;
    for (const auto& entry : timeline(opened.id)) {
        if (entry.kind == EntryKind::message) {
            messages.push_back(entry);
        }
    }
    ASSERT_EQ(messages.size(), 1000U);
    for (int i = 0; i < 1000; ++i) {
        const auto& entry = messages[static_cast<std::size_t>(i)];
        EXPECT_EQ(entry.text, "message " + std::to_string(i));
        EXPECT_EQ(entry.author, i % 2 == 0 ? "@alice" : "@bob");
        EXPECT_EQ(entry.at, at(10, 1) + std::chrono::milliseconds{i * 10});
    }

    // Chat is recorded, not answered.
    EXPECT_TRUE(deliver().empty());
}

TEST_F(EngineTest, MessagesOutsideIncidentRoomsAreNotRecorded) {
    const auto opened = declare("DB down");
    const auto before = timeline(opened.id).size();

    say("#random", "@bob", "lunch?");
    say("#ops", "@bob", "is anyone looking at the DB?");

    EXPECT_EQ(timeline(opened.id).size(), before);
    EXPECT_EQ(store_->open_incidents().size(), 1U);
    EXPECT_TRUE(pending().empty());
}

TEST_F(EngineTest, OwnMessageIsRecordedButNeverRun) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    run_to_resolved(room);
    deliver();
    ASSERT_EQ(incident(opened.id).state, IncidentState::resolved);
    const auto before = timeline(opened.id).size();

    say(room, "sitrep", "Close it with `/incident close`", "", true);
    say(room, "sitrep", "/incident close", "", true);
    say("#ops", "sitrep", "/incident declare Something else", "", true);

    const auto all = timeline(opened.id);
    ASSERT_EQ(all.size(), before + 2);
    EXPECT_EQ(all.back().kind, EntryKind::bot);
    EXPECT_EQ(all.back().text, "/incident close");
    EXPECT_EQ(all.back().author, "sitrep");
    EXPECT_EQ(incident(opened.id).state, IncidentState::resolved);
    EXPECT_FALSE(std::filesystem::exists(config_.data_dir / "incidents"));
    EXPECT_EQ(store_->open_incidents().size(), 1U);
    EXPECT_TRUE(pending().empty());
}

TEST_F(EngineTest, RedeliveredMessageIsRecordedAndRunOnce) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    const auto before = timeline(opened.id);

    say(room, "@alice", "/incident triage P2 login returns 503", "Ev-triage");
    say(room, "@alice", "/incident triage P2 login returns 503", "Ev-triage");
    say(room, "@bob", "looking", "Ev-chat");
    say(room, "@bob", "looking", "Ev-chat");

    const auto all = timeline(opened.id);
    EXPECT_EQ(count_kind(all, EntryKind::command), count_kind(before, EntryKind::command) + 1);
    EXPECT_EQ(count_kind(all, EntryKind::message), count_kind(before, EntryKind::message) + 1);
    EXPECT_EQ(count_kind(all, EntryKind::status), 1U);
    EXPECT_EQ(count_containing(deliver(), "TRIAGE: P2"), 1U);
}

// ---------------------------------------------------------------------------------------------
// Repeated declarations

TEST_F(EngineTest, RepeatedDeclareWithinWindowAnswersWithOpenIncident) {
    const auto first = declare("DB down");

    set_time(at(10, 5));
    say("#ops", "@bob", "/incident declare   db  DOWN ");
    const auto sent = deliver();

    EXPECT_EQ(store_->open_incidents().size(), 1U);
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].room, "#ops");
    EXPECT_EQ(sent[0].item.post_kind, PostKind::reply);
    EXPECT_TRUE(contains(sent[0].item.text, first.reference() + " \"DB down\" was opened 5 min ago")
    ) << sent[0].item.text;
    EXPECT_TRUE(contains(sent[0].item.text, "#inc-db-down")) << sent[0].item.text;
    EXPECT_TRUE(contains(sent[0].item.text, "Nothing new was opened")) << sent[0].item.text;

    const auto all = timeline(first.id);
    EXPECT_EQ(all.back().kind, EntryKind::gate);
    EXPECT_EQ(all.back().text, "order refused: repeated declare by @bob");
}

TEST_F(EngineTest, DeclareAfterWindowOpensNewIncident) {
    const auto first = declare("DB down");

    // The window is 10 minutes: at 10:10 it still matches, a moment later it does not.
    set_time(at(10, 10));
    say("#ops", "@bob", "/incident declare DB down");
    EXPECT_EQ(store_->open_incidents().size(), 1U);

    set_time(at(10, 10, 1));
    const auto second = declare("DB down", "@bob");
    EXPECT_NE(second.id, first.id);
    EXPECT_EQ(second.slug, "db-down-2");
    EXPECT_EQ(store_->open_incidents().size(), 2U);
    EXPECT_EQ(incident(second.id).room, "#inc-db-down-2");
}

TEST_F(EngineTest, DeclareAfterFirstClosedOpensNewIncident) {
    const auto first = declare("DB down");
    run_to_close(incident(first.id).room);
    ASSERT_EQ(incident(first.id).state, IncidentState::closed);

    set_time(at(10, 1));
    const auto second = declare("DB down");
    EXPECT_NE(second.id, first.id);
    EXPECT_EQ(second.state, IncidentState::declared);
}

// ---------------------------------------------------------------------------------------------
// Commands outside incident rooms

TEST_F(EngineTest, CommandOutsideIncidentRoomSaysWhereItWorks) {
    say("#random", "@bob", "/incident triage P1 everything is down");
    auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].room, "#random");
    EXPECT_TRUE(contains(sent[0].item.text, "`/incident triage` works in an incident's room"))
        << sent[0].item.text;
    EXPECT_FALSE(contains(sent[0].item.text, "Open incidents")) << sent[0].item.text;

    const auto opened = declare("DB down");
    say("#random", "@bob", "/incident close");
    sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "`/incident close` works in an incident's room"));
    EXPECT_TRUE(contains(sent[0].item.text, "Open incidents:\n  " + opened.reference() + " DB down")
    ) << sent[0].item.text;
    EXPECT_EQ(incident(opened.id).state, IncidentState::declared);
}

TEST_F(EngineTest, StatusOutsideIncidentRoomListsOpenIncidents) {
    say("#random", "@bob", "/incident status");
    auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].item.text, "No incident is open.");

    const auto db = declare("DB down");
    const auto api = declare("API down");
    say("#random", "@bob", "/incident status");
    sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(
        sent[0].item.text,
        "Open incidents:\n  " + db.reference() + " DB down — DECLARED — #inc-db-down\n  " +
            api.reference() + " API down — DECLARED — #inc-api-down"
    );
}

TEST_F(EngineTest, SyntaxErrorGetsUsageLine) {
    say("#random", "@bob", "/incident triage P1");
    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].room, "#random");
    EXPECT_TRUE(contains(sent[0].item.text, "\nUsage: /incident triage <severity> <impact>"))
        << sent[0].item.text;
    EXPECT_TRUE(store_->open_incidents().empty());
}

// ---------------------------------------------------------------------------------------------
// Alerts

TEST_F(EngineTest, FiringGroupOpensOneIncidentWithSuggestedSeverity) {
    engine_->on_alert(checkout_group({checkout_alert("a"), checkout_alert("b")}), connector);

    const auto open = store_->open_incidents();
    ASSERT_EQ(open.size(), 1U);
    const auto& opened = open.front();
    EXPECT_EQ(opened.title, "CheckoutErrorRate: Checkout error rate above 5%");
    EXPECT_EQ(opened.declared_by, "alertmanager");
    EXPECT_EQ(opened.origin_room, "#ops");
    EXPECT_EQ(opened.service, "checkout");
    EXPECT_EQ(opened.severity, "");  // triage stays a person's decision
    ASSERT_TRUE(opened.alert);
    EXPECT_EQ(opened.alert->suggested_severity, "P1");
    EXPECT_EQ(opened.alert->suggestion_reason, "severity=critical");

    const auto sent = deliver();
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(sent[0].item.kind, OutboxKind::create_room);
    const auto prompt = std::find_if(sent.begin(), sent.end(), [](const Sent& s) {
        return s.item.post_kind == PostKind::prompt;
    });
    ASSERT_NE(prompt, sent.end());
    EXPECT_EQ(prompt->room, "#inc-" + incident(opened.id).slug);
    EXPECT_TRUE(contains(prompt->item.text, "Suggested from the alert: P1 (severity=critical)"))
        << prompt->item.text;
    EXPECT_TRUE(contains(prompt->item.text, "alertmanager: 2 alerts firing")) << prompt->item.text;
    const auto announcement =
        std::find_if(sent.begin(), sent.end(), [](const Sent& s) { return s.room == "#ops"; });
    ASSERT_NE(announcement, sent.end());
    EXPECT_TRUE(contains(announcement->item.text, "join #inc-" + incident(opened.id).slug))
        << announcement->item.text;

    EXPECT_EQ(count_kind(timeline(opened.id), EntryKind::alert), 1U);
}

TEST_F(EngineTest, AlertThatOpensIncidentOpensItsTimeline) {
    engine_->on_alert(checkout_group({checkout_alert("a")}), connector);
    const auto opened = store_->open_incidents().front();

    // The alert comes first; the declaration notice and the triage prompt follow.
    const auto all = timeline(opened.id);
    ASSERT_GE(all.size(), 2U);
    EXPECT_EQ(all[0].kind, EntryKind::alert);
    EXPECT_EQ(all[0].author, "alertmanager");
    EXPECT_TRUE(contains(all[0].text, "alertmanager: 1 alert firing")) << all[0].text;
    EXPECT_TRUE(all[0].key_event);
    EXPECT_EQ(count_kind(all, EntryKind::alert), 1U);
}

TEST_F(EngineTest, RepeatedAlertIsRecordedButNotPosted) {
    const auto group = checkout_group({checkout_alert("a"), checkout_alert("b")});
    engine_->on_alert(group, connector);
    deliver();
    const auto opened = store_->open_incidents().front();

    set_time(at(10, 5));
    engine_->on_alert(group, connector);

    EXPECT_EQ(store_->open_incidents().size(), 1U);
    EXPECT_TRUE(deliver().empty());
    const auto all = timeline(opened.id);
    EXPECT_EQ(count_kind(all, EntryKind::alert), 2U);
    EXPECT_EQ(all.back().kind, EntryKind::alert);
    EXPECT_EQ(all.back().text, "alertmanager: 2 alerts still firing (a repeat)");
    EXPECT_FALSE(all.back().key_event);
    EXPECT_EQ(all.back().at, at(10, 5));
}

TEST_F(EngineTest, NewAlertInGroupIsPosted) {
    engine_->on_alert(checkout_group({checkout_alert("a")}), connector);
    deliver();

    set_time(at(10, 5));
    engine_->on_alert(checkout_group({checkout_alert("a"), checkout_alert("b")}), connector);

    EXPECT_EQ(store_->open_incidents().size(), 1U);
    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].item.post_kind, PostKind::notice);
    EXPECT_EQ(sent[0].room, "#inc-" + store_->open_incidents().front().slug);
    EXPECT_TRUE(contains(sent[0].item.text, "alertmanager: 1 alert firing — Checkout error rate"))
        << sent[0].item.text;
    EXPECT_TRUE(contains(sent[0].item.text, "firing: CheckoutErrorRate (instance=b)"))
        << sent[0].item.text;
    EXPECT_FALSE(contains(sent[0].item.text, "instance=a")) << sent[0].item.text;
}

TEST_F(EngineTest, PartlyResolvedGroupPostsResolutionAndStaysOpen) {
    engine_->on_alert(checkout_group({checkout_alert("a"), checkout_alert("b")}), connector);
    deliver();
    const auto opened = store_->open_incidents().front();

    set_time(at(10, 30));
    engine_->on_alert(
        checkout_group({checkout_alert("a", AlertStatus::resolved), checkout_alert("b")}), connector
    );

    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(
        sent[0].item.text,
        "alertmanager: 1 resolved — Checkout error rate above 5%\n"
        "  resolved: CheckoutErrorRate (instance=a) (resolved at 10:30)"
    );
    EXPECT_TRUE(incident(opened.id).is_open());
}

TEST_F(EngineTest, FullyResolvedGroupIsSaidAndIncidentStaysOpen) {
    engine_->on_alert(checkout_group({checkout_alert("a"), checkout_alert("b")}), connector);
    deliver();
    const auto opened = store_->open_incidents().front();

    set_time(at(10, 30));
    engine_->on_alert(
        checkout_group(
            {checkout_alert("a", AlertStatus::resolved), checkout_alert("b", AlertStatus::resolved)}
        ),
        connector
    );

    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "resolved: CheckoutErrorRate (instance=a)"));
    EXPECT_TRUE(contains(sent[0].item.text, "resolved: CheckoutErrorRate (instance=b)"));
    EXPECT_TRUE(contains(sent[0].item.text, "the whole group is resolved")) << sent[0].item.text;
    EXPECT_EQ(incident(opened.id).state, IncidentState::declared);
    EXPECT_EQ(store_->open_incidents().size(), 1U);

    const auto group = store_->find_alert_group("alertmanager", checkout_group({}).group_key);
    ASSERT_TRUE(group);
    EXPECT_FALSE(group->firing);
    EXPECT_EQ(group->incident_id, opened.id);
}

TEST_F(EngineTest, ResolvedNotificationOfUnknownGroupOpensNothing) {
    engine_->on_alert(checkout_group({checkout_alert("a", AlertStatus::resolved)}), connector);

    EXPECT_TRUE(store_->open_incidents().empty());
    EXPECT_TRUE(store_->recent_incidents(10).empty());
    EXPECT_TRUE(pending().empty());
}

TEST_F(EngineTest, TruncatedAlertsAreSaid) {
    auto group = checkout_group({checkout_alert("a"), checkout_alert("b")});
    group.truncated = 3;
    engine_->on_alert(group, connector);

    const auto sent = deliver();
    EXPECT_EQ(
        count_containing(
            sent,
            "3 more alerts of this group were not sent (the sender's max_alerts limit); see "
            "http://alertmanager:9093"
        ),
        1U
    ) << ::testing::PrintToString(texts_of(sent));

    // A repeat says it too, in the record.
    engine_->on_alert(group, connector);
    const auto opened = store_->open_incidents().front();
    EXPECT_EQ(
        timeline(opened.id).back().text,
        "alertmanager: 2 alerts still firing (a repeat), 3 more not sent"
    );
}

TEST_F(EngineTest, GroupFiringAfterItsIncidentClosedOpensNewIncident) {
    const auto group = checkout_group({checkout_alert("a")});
    engine_->on_alert(group, connector);
    deliver();
    const auto first = store_->open_incidents().front();
    run_to_close(incident(first.id).room);
    ASSERT_EQ(incident(first.id).state, IncidentState::closed);

    set_time(at(11, 0));
    engine_->on_alert(group, connector);

    const auto open = store_->open_incidents();
    ASSERT_EQ(open.size(), 1U);
    EXPECT_NE(open.front().id, first.id);
    const auto sent = deliver();
    EXPECT_EQ(sent[0].item.kind, OutboxKind::create_room);
    EXPECT_EQ(count_containing(sent, "alertmanager: 1 alert firing"), 1U);

    // The closed incident heard nothing of it.
    for (const auto& s : sent) {
        EXPECT_NE(s.item.incident_id, first.id);
    }
}

// ---------------------------------------------------------------------------------------------
// Deadlines

TEST_F(EngineTest, TriageStartsDeadlineWithReminderThenBreach) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    EXPECT_EQ(engine_->next_deadline(), at(10, 5));  // the reminder to triage

    say(room, "@alice", "/incident triage P1 login is down");
    deliver();
    ASSERT_TRUE(engine_->next_deadline());
    EXPECT_EQ(*engine_->next_deadline(), at(10, 10));

    set_time(at(10, 9, 59));
    engine_->on_tick();
    EXPECT_TRUE(deliver().empty());

    set_time(at(10, 10));
    engine_->on_tick();
    auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_EQ(sent[0].room, room);
    EXPECT_TRUE(
        contains(sent[0].item.text, "Reminder: INC-1 (P1) must be contained by 10:15, in 5 min")
    ) << sent[0].item.text;
    ASSERT_TRUE(engine_->next_deadline());
    EXPECT_EQ(*engine_->next_deadline(), at(10, 15) + 1ms);  // the first moment past it

    set_time(at(10, 15) + 1ms);
    engine_->on_tick();
    sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(
        contains(sent[0].item.text, "DEADLINE BREACHED: INC-1 (P1) was to be contained by 10:15")
    ) << sent[0].item.text;
    EXPECT_TRUE(contains(sent[0].item.text, "@incident-lead")) << sent[0].item.text;
    EXPECT_FALSE(engine_->next_deadline());

    set_time(at(10, 20));
    engine_->on_tick();
    EXPECT_TRUE(deliver().empty());
}

TEST_F(EngineTest, RestartResumesIncidentAndPendingDeadline) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    say(room, "@alice", "/incident triage P1 login is down");
    set_time(at(10, 10));
    engine_->on_tick();
    deliver();

    // sitrep stops mid-incident, between the reminder and the breach.
    restart();

    const auto resumed = store_->find_incident_by_room(connector, room);
    ASSERT_TRUE(resumed);
    EXPECT_EQ(resumed->id, opened.id);
    EXPECT_EQ(resumed->state, IncidentState::triaged);
    EXPECT_EQ(resumed->severity, "P1");
    ASSERT_TRUE(resumed->deadline);
    EXPECT_EQ(resumed->deadline->due, at(10, 15));
    EXPECT_TRUE(resumed->deadline->reminded);
    EXPECT_FALSE(resumed->deadline->breached);
    ASSERT_TRUE(engine_->next_deadline());
    EXPECT_EQ(*engine_->next_deadline(), at(10, 15) + 1ms);

    set_time(at(10, 14));
    engine_->on_tick();
    EXPECT_TRUE(deliver().empty());

    set_time(at(10, 15) + 1ms);
    engine_->on_tick();
    engine_->on_tick();
    std::vector<Sent> sent = deliver();

    // Another restart after the breach must not say it again.
    restart();
    set_time(at(10, 16));
    engine_->on_tick();
    const auto after = deliver();
    sent.insert(sent.end(), after.begin(), after.end());

    EXPECT_EQ(count_containing(sent, "DEADLINE BREACHED"), 1U)
        << ::testing::PrintToString(texts_of(sent));
    EXPECT_EQ(count_containing(sent, "Reminder"), 0U);
    EXPECT_FALSE(engine_->next_deadline());
    EXPECT_TRUE(incident(opened.id).deadline->breached);
}

TEST_F(EngineTest, RestartBeforeReminderPostsOnlyBreachWhenBothAreDue) {
    const auto opened = declare("DB down");
    say(incident(opened.id).room, "@alice", "/incident triage P1 login is down");
    deliver();

    restart();
    set_time(at(10, 20));
    engine_->on_tick();

    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "DEADLINE BREACHED")) << sent[0].item.text;
}

// ---------------------------------------------------------------------------------------------
// Artifacts

TEST_F(EngineTest, CloseWritesArtifactsAndQueuesUpload) {
    const auto opened = declare("DB down");
    const auto room = incident(opened.id).room;
    const auto sent = run_to_close(room);
    ASSERT_EQ(incident(opened.id).state, IncidentState::closed);

    const auto postmortem = config_.data_dir / "incidents" / "INCIDENT-2026-12-03-db-down.md";
    const auto decision_record = config_.data_dir / "adr" / "INCIDENT-2026-12-03-db-down.md";
    ASSERT_TRUE(std::filesystem::is_regular_file(postmortem));
    ASSERT_TRUE(std::filesystem::is_regular_file(decision_record));
    EXPECT_FALSE(std::filesystem::exists(postmortem.string() + ".partial"));

    const auto content = test::read_file(postmortem);
    EXPECT_TRUE(contains(content, "# Postmortem: DB down")) << content;
    EXPECT_FALSE(contains(content, "DRAFT")) << content;
    EXPECT_TRUE(contains(content, "a config push disabled the connection pool")) << content;
    EXPECT_TRUE(contains(content, "Canary config pushes")) << content;
    EXPECT_FALSE(test::read_file(decision_record).empty());

    // The postmortem is uploaded to the incident's room, exactly as written.
    const auto upload = std::find_if(sent.begin(), sent.end(), [](const Sent& s) {
        return s.item.kind == OutboxKind::upload;
    });
    ASSERT_NE(upload, sent.end());
    EXPECT_EQ(upload->item.name, "INCIDENT-2026-12-03-db-down.md");
    EXPECT_EQ(upload->item.text, content);
    EXPECT_EQ(upload->room, room);
    EXPECT_EQ(upload->item.incident_id, opened.id);
    const auto notice = std::find_if(sent.begin(), sent.end(), [](const Sent& s) {
        return s.item.kind == OutboxKind::post && contains(s.item.text, "The postmortem follows.");
    });
    ASSERT_NE(notice, sent.end());
    EXPECT_LT(notice, upload);

    const auto all = timeline(opened.id);
    EXPECT_EQ(all.back().text, "Postmortem published: INCIDENT-2026-12-03-db-down.md");
}

TEST_F(EngineTest, WriteArtifactsBeforeCompletionRendersDraft) {
    const auto opened = declare("DB down");
    say(incident(opened.id).room, "@alice", "/incident triage P2 login returns 503");

    const auto path = engine_->write_artifacts(opened.id);
    EXPECT_EQ(path, config_.data_dir / "incidents" / "INCIDENT-2026-12-03-db-down.md");
    const auto content = test::read_file(path);
    EXPECT_TRUE(contains(content, "**DRAFT**")) << content;
    EXPECT_TRUE(contains(content, "a root cause")) << content;
    EXPECT_TRUE(std::filesystem::is_regular_file(
        config_.data_dir / "adr" / "INCIDENT-2026-12-03-db-down.md"
    ));

    // Writing is not publishing: nothing is uploaded and the incident stays as it was.
    EXPECT_EQ(incident(opened.id).state, IncidentState::triaged);
    for (const auto& item : pending()) {
        EXPECT_NE(item.kind, OutboxKind::upload);
    }

    EXPECT_THROW((void)engine_->write_artifacts(999), std::runtime_error);
}

TEST_F(EngineTest, CloseThatCannotWriteThePostmortemAnswersAndChangesNothing) {
    const auto opened = declare("DB down");
    run_to_resolved(opened.room);
    deliver();

    // A file where the incidents folder should be: the postmortem cannot be written.
    std::ofstream{dir_.path() / "incidents"} << "in the way";
    say(opened.room, "@alice", "/incident close");

    EXPECT_EQ(incident(opened.id).state, IncidentState::resolved);
    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "sitrep could not carry that out"))
        << sent[0].item.text;
    EXPECT_EQ(sent[0].room, opened.room);

    // The command itself is still in the timeline, once.
    const auto entries = timeline(opened.id);
    EXPECT_EQ(
        std::count_if(
            entries.begin(),
            entries.end(),
            [](const TimelineEntry& e) {
                return e.kind == EntryKind::command && e.text == "/incident close";
            }
        ),
        1
    );
}

TEST_F(EngineTest, NewAlertPostCarriesItsOwnDescription) {
    auto first = checkout_alert("checkout-a:8080");
    first.annotations["description"] = "errors on checkout-a";
    engine_->on_alert(checkout_group({first}), connector);
    deliver();

    auto second = checkout_alert("checkout-b:8080");
    second.annotations["description"] = "errors on checkout-b";
    engine_->on_alert(checkout_group({first, second}), connector);

    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "description: errors on checkout-b"))
        << sent[0].item.text;
}

TEST_F(EngineTest, AlertTitleIsHeldToTheTitleLimit) {
    auto alert = checkout_alert("checkout-a:8080");
    auto group = checkout_group({alert});
    group.common_annotations["summary"] = std::string(5000, 'x');
    engine_->on_alert(group, connector);

    const auto open = store_->open_incidents();
    ASSERT_EQ(open.size(), 1U);
    EXPECT_LE(open[0].title.size(), 200U);
    EXPECT_TRUE(open[0].title.starts_with("CheckoutErrorRate: xxx"));
    EXPECT_TRUE(open[0].title.ends_with("…"));
}

TEST_F(EngineTest, LargeAlertGroupIsCountedNotListed) {
    std::vector<Alert> alerts;
    for (int i = 0; i < 50; ++i) {
        alerts.push_back(checkout_alert("checkout-" + std::to_string(i)));
    }
    engine_->on_alert(checkout_group(alerts), connector);

    const auto sent = deliver();
    const auto prompt = std::find_if(sent.begin(), sent.end(), [](const Sent& s) {
        return contains(s.item.text, "alertmanager: 50 alerts firing");
    });
    ASSERT_NE(prompt, sent.end());
    EXPECT_EQ(count_containing({*prompt}, "firing: "), 1U);
    EXPECT_TRUE(contains(prompt->item.text, "… and 30 more firing")) << prompt->item.text;
}

TEST_F(EngineTest, OverlongMessageIsKeptCutAndSaysSo) {
    const auto opened = declare("DB down");
    const std::string pasted(100'000, 'a');
    say(opened.room, "@bob", pasted);

    const auto entries = timeline(opened.id);
    const auto& last = entries.back();
    EXPECT_EQ(last.kind, EntryKind::message);
    EXPECT_LT(last.text.size(), pasted.size());
    EXPECT_TRUE(contains(last.text, "[cut: the message had 100000 bytes; the first 65536 are kept]")
    );
}

TEST_F(EngineTest, CloseWritesBothArtifactsOrNeither) {
    const auto opened = declare("DB down");
    run_to_resolved(opened.room);
    deliver();

    // The decision record cannot be written: no postmortem file may appear either.
    std::ofstream{dir_.path() / "adr"} << "in the way";
    say(opened.room, "@alice", "/incident close");

    EXPECT_EQ(incident(opened.id).state, IncidentState::resolved);
    const auto incidents = dir_.path() / "incidents";
    if (std::filesystem::exists(incidents)) {
        EXPECT_TRUE(std::filesystem::is_empty(incidents));  // no file, not even a partial one
    }
}

TEST_F(EngineTest, ContainedAgainDoesNotAskTheSecurityQuestionTwice) {
    const auto opened = declare("DB down");
    for (const auto* command :
         {"/incident triage P2 login slow",
          "/incident contain rollback v41",
          "/incident contained errors gone",
          "/incident security pass no access",
          "/incident failed errors are back",
          "/incident contain scale-up more pods"}) {
        say(opened.room, "@alice", command);
    }
    deliver();
    say(opened.room, "@alice", "/incident contained errors gone again");

    const auto sent = deliver();
    EXPECT_EQ(count_containing(sent, "Security check for"), 0U);
    EXPECT_EQ(count_containing(sent, "The security check stands: PASS"), 1U);
}

TEST_F(EngineTest, SeverityLabelIsMatchedIgnoringCase) {
    auto alert = checkout_alert("checkout-a:8080");
    auto group = checkout_group({alert});
    group.common_labels["severity"] = "CRITICAL";
    engine_->on_alert(group, connector);

    const auto open = store_->open_incidents();
    ASSERT_EQ(open.size(), 1U);
    ASSERT_TRUE(open[0].alert);
    EXPECT_EQ(open[0].alert->suggested_severity, "P1");
}

TEST_F(EngineTest, AlertsFiringAgainOnAResolvedIncidentSayHowToReopen) {
    engine_->on_alert(checkout_group({checkout_alert("a")}), connector);
    deliver();
    const auto opened = store_->open_incidents().front();
    run_to_resolved(opened.room);
    engine_->on_alert(checkout_group({checkout_alert("a", AlertStatus::resolved)}), connector);
    deliver();

    engine_->on_alert(checkout_group({checkout_alert("a")}), connector);
    const auto sent = deliver();
    ASSERT_EQ(sent.size(), 1U);
    EXPECT_TRUE(contains(sent[0].item.text, "INC-1 is RESOLVED but its alerts fire again"))
        << sent[0].item.text;
    EXPECT_TRUE(contains(sent[0].item.text, "`/incident failed <what came back>`"));
}

TEST_F(EngineTest, AlertIsRecordedBeforeWhatSitrepSaysAboutIt) {
    engine_->on_alert(checkout_group({checkout_alert("a")}), connector);
    deliver();
    const auto opened = store_->open_incidents().front();
    engine_->on_alert(checkout_group({checkout_alert("a"), checkout_alert("b")}), connector);

    const auto entries = timeline(opened.id);
    ASSERT_GE(entries.size(), 2U);
    EXPECT_EQ(entries[entries.size() - 2].kind, EntryKind::alert);
    EXPECT_EQ(entries.back().kind, EntryKind::bot);
    EXPECT_EQ(entries.back().text, entries[entries.size() - 2].text);
}

TEST_F(EngineTest, ArtifactNameKeepsTheLocalDateOfTheDeclaration) {
    // 19:00 UTC on 2026-12-03 is 00:30 on 2026-12-04 in Kolkata.
    set_time(at(19, 0));
    const auto kolkata =
        Config::from_yaml("timezone: Asia/Kolkata\ndata_dir: \"" + dir_.path().string() + "\"");
    Engine engine{kolkata, *store_, templates_, clock_, log_};
    InboundMessage message;
    message.connector = connector;
    message.room = "#ops";
    message.author = "@alice";
    message.text = "/incident declare DB down";
    message.at = clock_.now();
    engine.on_message(message);

    const auto opened = store_->open_incidents().front();
    EXPECT_EQ(opened.declared_on, "2026-12-04");
    EXPECT_EQ(opened.artifact_name(), "INCIDENT-2026-12-04-db-down");

    // Rendered later with another zone configured, the file keeps its name.
    EXPECT_EQ(engine_->write_artifacts(opened.id).filename(), "INCIDENT-2026-12-04-db-down.md");
}

}  // namespace
}  // namespace sitrep::bot
