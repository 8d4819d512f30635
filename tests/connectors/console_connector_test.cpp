#include "connectors/console/console_connector.hpp"

#include <chrono>
#include <exception>
#include <sstream>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

namespace sitrep::connectors {
namespace {

using namespace std::chrono;

bot::Timestamp utc(int h, int mi, int s = 0, int ms = 0) {
    return bot::Timestamp{
        sys_days{year{2026} / 11 / 18}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} +
        milliseconds{ms}};
}

/// Runs one connector call to completion on a fresh io_context and returns its delivery.
template <typename Call>
bot::Delivery run(Call call) {
    net::io_context io;
    bot::Delivery delivery;
    std::exception_ptr failure;
    net::co_spawn(
        io,
        [&]() -> net::awaitable<void> { delivery = co_await call(); },
        [&](std::exception_ptr e) { failure = e; }
    );
    io.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
    return delivery;
}

class ConsoleConnectorTest : public ::testing::Test {
protected:
    bot::Delivery post(std::string room, std::string text, bot::Timestamp at) {
        return run([&] {
            return console_.post(bot::OutboundPost{room, text, bot::PostKind::reply, at, 1});
        });
    }

    std::ostringstream out_;
    ConsoleConnector console_{out_, "#ops", "sitrep"};
};

TEST_F(ConsoleConnectorTest, PrintsPostWithUtcTimeRoomAndBotName) {
    const auto delivery = post("#ops", "INC-1 opened", utc(10, 5, 59, 999));

    EXPECT_TRUE(delivery.ok());
    EXPECT_EQ(out_.str(), "[10:05] #ops sitrep: INC-1 opened\n");
}

TEST_F(ConsoleConnectorTest, PadsHoursAndMinutesToTwoDigits) {
    (void)post("#ops", "early", utc(0, 7));
    (void)post("#ops", "late", utc(23, 59, 59));

    EXPECT_EQ(out_.str(), "[00:07] #ops sitrep: early\n[23:59] #ops sitrep: late\n");
}

TEST_F(ConsoleConnectorTest, IndentsContinuationLinesByTwoSpaces) {
    (void)post("#inc-x", "first line\nsecond line\n  already indented", utc(10, 5));

    EXPECT_EQ(
        out_.str(),
        "[10:05] #inc-x sitrep: first line\n"
        "  second line\n"
        "    already indented\n"
    );
}

TEST_F(ConsoleConnectorTest, UsesTheConfiguredBotName) {
    std::ostringstream out;
    ConsoleConnector console{out, "#ops", "pagerbot"};
    (void)run([&] {
        return console.post(bot::OutboundPost{"#ops", "hi", bot::PostKind::notice, utc(9, 0), 2});
    });

    EXPECT_EQ(out.str(), "[09:00] #ops pagerbot: hi\n");
}

TEST_F(ConsoleConnectorTest, GivesEachPostItsOwnId) {
    const auto first = post("#ops", "one", utc(10, 0));
    const auto second = post("#ops", "two", utc(10, 0));

    EXPECT_FALSE(first.id.empty());
    EXPECT_NE(first.id, second.id);
}

TEST_F(ConsoleConnectorTest, StartsInTheHomeRoom) {
    EXPECT_EQ(console_.current_room(), "#ops");
    EXPECT_EQ(console_.name(), "console");
}

TEST_F(ConsoleConnectorTest, MakesACreatedRoomCurrent) {
    const auto delivery = run([&] {
        return console_.create_room(bot::RoomRequest{4, "inc-ledger-backlog", "INC-4 · P2"});
    });

    EXPECT_TRUE(delivery.ok());
    EXPECT_EQ(delivery.id, "#inc-ledger-backlog");
    EXPECT_EQ(console_.current_room(), "#inc-ledger-backlog");
    EXPECT_EQ(console_.room_mention(delivery.id), "#inc-ledger-backlog");
    EXPECT_EQ(out_.str(), "");  // creating a room says nothing; the announcement does
}

TEST_F(ConsoleConnectorTest, SwitchesRoomWhenTold) {
    console_.set_current_room("#inc-other");
    EXPECT_EQ(console_.current_room(), "#inc-other");
}

TEST_F(ConsoleConnectorTest, AcceptsTopicWithoutPrintingIt) {
    const auto delivery = run([&] { return console_.set_topic("#inc-x", "INC-1 · P1 · TRIAGED"); });

    EXPECT_TRUE(delivery.ok());
    EXPECT_EQ(out_.str(), "");
}

TEST_F(ConsoleConnectorTest, PrintsUploadWholeBetweenMarkers) {
    const std::string content =
        "# Postmortem: x\n\n| Action | Owner |\n| --- | --- |\n  indented\n";
    const auto delivery = run([&] {
        return console_.upload(bot::FileUpload{"#inc-x", "INCIDENT-x.md", content, utc(10, 41), 9});
    });

    EXPECT_TRUE(delivery.ok());
    EXPECT_EQ(
        out_.str(),
        "[10:41] #inc-x sitrep: posted file INCIDENT-x.md (" + std::to_string(content.size()) +
            " bytes):\n" + content + "[end of INCIDENT-x.md]\n"
    );
}

TEST_F(ConsoleConnectorTest, EndsUploadWithoutFinalNewlineBeforeTheMarker) {
    (void)run([&] {
        return console_.upload(bot::FileUpload{"#inc-x", "a.md", "no newline", utc(10, 41), 9});
    });

    EXPECT_EQ(
        out_.str(),
        "[10:41] #inc-x sitrep: posted file a.md (10 bytes):\nno newline\n[end of a.md]\n"
    );
}

TEST_F(ConsoleConnectorTest, PrintsControlCharactersOfPostsAsVisibleEscapes) {
    (void)post(
        "#inc-x",
        "TRIAGE: P1 \x1b[2J\x1b]0;owned\x07\nnext\rline \xc2\x9b"
        "1m",
        utc(10, 5)
    );

    EXPECT_EQ(
        out_.str(),
        "[10:05] #inc-x sitrep: TRIAGE: P1 \\x1b[2J\\x1b]0;owned\\x07\n"
        "  next\\x0dline \\u009b1m\n"
    );
}

TEST_F(ConsoleConnectorTest, PrintsControlCharactersOfUploadsAsVisibleEscapes) {
    const std::string content = "# Postmortem: \x1b[31mred\n\tkept tab\n";
    (void)run([&] {
        return console_.upload(bot::FileUpload{"#inc-x", "a\x1b.md", content, utc(10, 41), 9});
    });

    EXPECT_EQ(
        out_.str(),
        "[10:41] #inc-x sitrep: posted file a\\x1b.md (" + std::to_string(content.size()) +
            " bytes):\n# Postmortem: \\x1b[31mred\n\tkept tab\n[end of a\\x1b.md]\n"
    );
}

}  // namespace
}  // namespace sitrep::connectors
