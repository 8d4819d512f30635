#include "bot/runtime.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/store_thread.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::bot {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

Timestamp at(int h, int mi, int s = 0) {
    return Timestamp{
        sys_days{year{2026} / 11 / 18}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s}};
}

/// What the fake chat server took, one line each: "post #room: first line of the text".
struct Sent {
    std::string line;
    Timestamp at;
};

/// A chat platform in memory that fails on demand, as a server that is down or rate-limits.
class FakeConnector final : public Connector {
public:
    [[nodiscard]] std::string_view name() const override { return "fake"; }

    net::awaitable<Delivery> create_room(RoomRequest request) override {
        if (auto failure = refuse()) {
            co_return *failure;
        }
        const auto room = "#" + request.name;
        record("create_room " + room, {});
        co_return Delivery{room, std::nullopt};
    }

    net::awaitable<Delivery> post(OutboundPost post) override {
        if (auto failure = refuse()) {
            co_return *failure;
        }
        record("post " + post.room + ": " + first_line(post.text), post.at);
        co_return Delivery{"m" + std::to_string(post.key), std::nullopt};
    }

    net::awaitable<Delivery> set_topic(std::string room, std::string topic) override {
        if (auto failure = refuse()) {
            co_return *failure;
        }
        record("topic " + room + ": " + topic, {});
        co_return Delivery{room, std::nullopt};
    }

    net::awaitable<Delivery> upload(FileUpload file) override {
        if (auto failure = refuse()) {
            co_return *failure;
        }
        record("upload " + file.room + ": " + file.filename, file.at);
        co_return Delivery{file.filename, std::nullopt};
    }

    [[nodiscard]] std::string room_mention(std::string_view room) const override {
        return "<" + std::string{room} + ">";
    }

    /// Every call fails while the server is down.
    void set_down(bool down) { down_ = down; }

    /// The next `count` calls fail.
    void fail_next(int count) { failures_left_ = count; }

    /// Failures carry the server's Retry-After.
    void set_retry_after(std::optional<milliseconds> hint) { retry_after_ = hint; }

    [[nodiscard]] std::vector<std::string> lines() const {
        std::vector<std::string> out;
        for (const auto& sent : sent_) {
            out.push_back(sent.line);
        }
        return out;
    }

    [[nodiscard]] const std::vector<Sent>& sent() const { return sent_; }

    [[nodiscard]] int refused() const { return refused_; }

    void forget() { sent_.clear(); }

private:
    static std::string first_line(const std::string& text) {
        return text.substr(0, text.find('\n'));
    }

    void record(std::string line, Timestamp when) { sent_.push_back(Sent{std::move(line), when}); }

    std::optional<Delivery> refuse() {
        if (!down_ && failures_left_ == 0) {
            return std::nullopt;
        }
        if (failures_left_ > 0) {
            --failures_left_;
        }
        ++refused_;
        return Delivery{{}, DeliveryError{"unavailable", "the fake server is down", retry_after_}};
    }

    std::vector<Sent> sent_;
    bool down_ = false;
    int failures_left_ = 0;
    int refused_ = 0;
    std::optional<milliseconds> retry_after_;
};

Config config_in(const test::TempDir& dir) {
    auto config = Config::from_yaml("");
    config.data_dir = dir.path();
    return config;
}

class RuntimeTest : public ::testing::Test {
protected:
    RuntimeTest() { runtime_.add_connector(chat_); }

    /// Runs a coroutine of the runtime on the io_context until nothing is left to do.
    template <typename Make>
    void run(Make make) {
        std::exception_ptr failure;
        net::co_spawn(io_, make(), [&](std::exception_ptr e) { failure = e; });
        io_.run();
        io_.restart();
        if (failure) {
            std::rethrow_exception(failure);
        }
    }

    void say(const std::string& room, const std::string& user, const std::string& text) {
        InboundMessage message;
        message.connector = "fake";
        message.room = room;
        message.author = user;
        message.text = text;
        message.at = clock_.now();
        run([&] { return runtime_.deliver(message); });
    }

    void flush() {
        run([&] { return runtime_.flush(); });
    }

    void advance(milliseconds by) { clock_.set(clock_.now() + by); }

    std::vector<OutboxItem> outbox() { return store_.due_outbox(Timestamp::max(), 100); }

    const std::string room_ = "#inc-payments-latency-high";

    test::TempDir dir_;
    Config config_ = config_in(dir_);
    store::SqliteIncidentStore store_{dir_.path() / "sitrep.db"};
    templates::TemplateSet templates_ = templates::TemplateSet::load();
    ManualClock clock_{at(10, 0)};
    spdlog::logger log_{"test", std::make_shared<spdlog::sinks::null_sink_mt>()};
    net::io_context io_;
    StoreThread store_thread_;
    Engine engine_{config_, store_, templates_, clock_, log_};
    Runtime runtime_{io_, engine_, store_, store_thread_, clock_, log_};
    FakeConnector chat_;
};

TEST_F(RuntimeTest, DeliversAnIncidentsItemsInOrder) {
    say("#ops", "alice", "/incident declare Payments latency high");
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");

    EXPECT_EQ(
        chat_.lines(),
        (std::vector<std::string>{
            "create_room #inc-payments-latency-high",
            "post #inc-payments-latency-high: INC-1 declared by alice: Payments latency high",
            "post #ops: INC-1 opened: \"Payments latency high\" — join "
            "<#inc-payments-latency-high>",
            "post #inc-payments-latency-high: TRIAGE: P1 — card charges take over 2 s",
            "topic #inc-payments-latency-high: INC-1 · P1 · TRIAGED · Payments latency high",
            "post #inc-payments-latency-high: Contain before investigating: stop the impact "
            "first, the root cause comes later. Containment deadline: 10:15 (15 min after the "
            "declaration).",
        })
    );
    EXPECT_EQ(store_.outbox_depth(), 0U);
}

TEST_F(RuntimeTest, EchoOfItsOwnPostIsNotRecordedTwice) {
    say("#ops", "alice", "/incident declare Payments latency high");
    const auto incident = store_.open_incidents().front();
    const auto before = store_.timeline(incident.id).size();

    // The platform sends sitrep's own post back as an event, under the id it gave the post.
    const auto posted = store_.due_outbox(Timestamp::max(), 1).empty();
    ASSERT_TRUE(posted);
    InboundMessage echo;
    echo.connector = "fake";
    echo.room = room_;
    echo.author = "sitrep";
    echo.text = "INC-1 declared by alice: Payments latency high";
    echo.at = clock_.now();
    echo.source_id = "m2";  // the fake names a post after its outbox id
    echo.from_self = true;
    run([&] { return runtime_.deliver(echo); });

    EXPECT_EQ(store_.timeline(incident.id).size(), before);
}

TEST_F(RuntimeTest, KeepsFailedSendInOutboxWithOneMoreAttempt) {
    chat_.set_down(true);
    say("#ops", "alice", "/incident declare Payments latency high");

    EXPECT_TRUE(chat_.lines().empty());
    EXPECT_EQ(chat_.refused(), 1);  // the room; the posts wait for it
    const auto items = outbox();
    ASSERT_EQ(items.size(), 2U);
    EXPECT_EQ(items[0].kind, OutboxKind::create_room);
    EXPECT_EQ(items[0].attempts, 1);
    EXPECT_EQ(items[0].last_error, "unavailable");
    // The first retry waits a second, give or take a fifth.
    EXPECT_GE(items[0].not_before, clock_.now() + 800ms);
    EXPECT_LE(items[0].not_before, clock_.now() + 1200ms);
    EXPECT_EQ(items[1].attempts, 0);
}

TEST_F(RuntimeTest, BacksOffFurtherAfterEachFailure) {
    chat_.set_down(true);
    say("#ops", "alice", "/incident declare Payments latency high");
    advance(2s);
    flush();

    const auto items = outbox();
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0].attempts, 2);
    EXPECT_GE(items[0].not_before, clock_.now() + 1600ms);
    EXPECT_LE(items[0].not_before, clock_.now() + 2400ms);
}

TEST_F(RuntimeTest, WaitsAsLongAsTheServerAsks) {
    chat_.set_down(true);
    chat_.set_retry_after(30s);
    say("#ops", "alice", "/incident declare Payments latency high");

    const auto items = outbox();
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items[0].not_before, clock_.now() + 30s);
}

TEST_F(RuntimeTest, DeliversFailedSendOnceTheConnectorRecovers) {
    chat_.set_down(true);
    say("#ops", "alice", "/incident declare Payments latency high");
    chat_.set_down(false);

    // Recovered, but the retry is not due yet.
    flush();
    EXPECT_TRUE(chat_.lines().empty());
    EXPECT_EQ(store_.outbox_depth(), 2U);

    advance(2s);
    flush();
    EXPECT_EQ(
        chat_.lines(),
        (std::vector<std::string>{
            "create_room #inc-payments-latency-high",
            "post #inc-payments-latency-high: INC-1 declared by alice: Payments latency high",
            "post #ops: INC-1 opened: \"Payments latency high\" — join "
            "<#inc-payments-latency-high>",
        })
    );
    EXPECT_EQ(store_.outbox_depth(), 0U);
}

TEST_F(RuntimeTest, HoldsLaterItemsOfTheIncidentBehindAFailedOne) {
    say("#ops", "alice", "/incident declare Payments latency high");
    chat_.forget();

    chat_.fail_next(1);
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");
    EXPECT_EQ(chat_.refused(), 1);
    EXPECT_TRUE(chat_.lines().empty());

    // More work for the same incident, in later flushes, still waits behind the failed status.
    say(room_, "bob", "/incident status");
    flush();
    EXPECT_TRUE(chat_.lines().empty());

    advance(2s);
    flush();
    const auto lines = chat_.lines();
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(lines[0], "post #inc-payments-latency-high: TRIAGE: P1 — card charges take over 2 s");
    EXPECT_EQ(
        lines[1], "topic #inc-payments-latency-high: INC-1 · P1 · TRIAGED · Payments latency high"
    );
    EXPECT_EQ(
        lines[2].rfind("post #inc-payments-latency-high: Contain before investigating", 0), 0U
    ) << lines[2];
    EXPECT_EQ(
        lines[3], "post #inc-payments-latency-high: INC-1 Payments latency high — TRIAGED, P1"
    );
    EXPECT_EQ(store_.outbox_depth(), 0U);
}

TEST_F(RuntimeTest, LetsOtherIncidentsPassAFailedOne) {
    say("#ops", "alice", "/incident declare Payments latency high");
    chat_.fail_next(1);
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");
    chat_.forget();

    say("#ops", "carol", "/incident declare Search errors");

    EXPECT_EQ(
        chat_.lines(),
        (std::vector<std::string>{
            "create_room #inc-search-errors",
            "post #inc-search-errors: INC-2 declared by carol: Search errors",
            "post #ops: INC-2 opened: \"Search errors\" — join <#inc-search-errors>",
        })
    );
    EXPECT_EQ(store_.outbox_depth(), 3U);  // INC-1's status, topic and prompt
}

TEST_F(RuntimeTest, HoldsLaterItemsBehindAFailedOneAfterARestart) {
    say("#ops", "alice", "/incident declare Payments latency high");
    chat_.fail_next(1);
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");
    chat_.forget();

    // A new runtime on the same store, as after a restart of the process.
    Runtime restarted{io_, engine_, store_, store_thread_, clock_, log_};
    restarted.add_connector(chat_);
    run([&] { return restarted.flush(); });
    EXPECT_TRUE(chat_.lines().empty());

    advance(2s);
    run([&] { return restarted.flush(); });
    const auto lines = chat_.lines();
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[0], "post #inc-payments-latency-high: TRIAGE: P1 — card charges take over 2 s");
    EXPECT_EQ(lines[1].rfind("topic ", 0), 0U) << lines[1];
    EXPECT_EQ(lines[2].rfind("post #inc-payments-latency-high: Contain before", 0), 0U) << lines[2];
}

TEST_F(RuntimeTest, AdvanceFiresReminderThenBreachAtTheirOwnTimes) {
    say("#ops", "alice", "/incident declare Payments latency high");
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");
    chat_.forget();

    run([&] { return runtime_.advance_to(at(10, 30), clock_); });

    const auto& sent = chat_.sent();
    ASSERT_EQ(sent.size(), 2U);
    EXPECT_EQ(
        sent[0].line,
        "post #inc-payments-latency-high: Reminder: INC-1 (P1) must be contained by 10:15, in "
        "5 min. Next: `/incident contain <rollback|feature-flag|traffic-shift|scale-up|"
        "rate-limit|manual> <what was done>`"
    );
    EXPECT_EQ(sent[0].at, at(10, 10));
    EXPECT_EQ(
        sent[1].line.rfind(
            "post #inc-payments-latency-high: DEADLINE BREACHED: INC-1 (P1) was to be contained "
            "by 10:15, 15 min after the declaration.",
            0
        ),
        0U
    ) << sent[1].line;
    EXPECT_EQ(sent[1].at, at(10, 15) + 1ms);  // the first moment past the deadline
    EXPECT_EQ(clock_.now(), at(10, 30));

    // Both are said once.
    run([&] { return runtime_.advance_to(at(12, 0), clock_); });
    EXPECT_EQ(chat_.sent().size(), 2U);
}

TEST_F(RuntimeTest, AdvanceStopsBeforeDeadlinesAfterTheTarget) {
    say("#ops", "alice", "/incident declare Payments latency high");
    say(room_, "alice", "/incident triage P1 card charges take over 2 s");
    chat_.forget();

    run([&] { return runtime_.advance_to(at(10, 12), clock_); });

    ASSERT_EQ(chat_.sent().size(), 1U);
    EXPECT_EQ(chat_.sent()[0].at, at(10, 10));
    EXPECT_EQ(clock_.now(), at(10, 12));
}

TEST_F(RuntimeTest, AdvanceNeverMovesTheClockBack) {
    run([&] { return runtime_.advance_to(at(9, 0), clock_); });

    EXPECT_EQ(clock_.now(), at(10, 0));
    EXPECT_TRUE(chat_.sent().empty());
}

}  // namespace
}  // namespace sitrep::bot
