#include "connectors/webhooks/rfc3339.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sitrep::connectors {
namespace {

using namespace std::chrono;

bot::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
    return bot::Timestamp{
        sys_days{year{y} / month{mo} / day{d}}.time_since_epoch() + hours{h} + minutes{mi} +
        seconds{s} + milliseconds{ms}};
}

TEST(Rfc3339, ParsesUtcWrittenAsZ) {
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41Z"), utc(2026, 11, 18, 9, 58, 41));
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41z"), utc(2026, 11, 18, 9, 58, 41));
}

TEST(Rfc3339, ConvertsPositiveAndNegativeOffsetsToUtc) {
    EXPECT_EQ(parse_rfc3339("2026-11-18T10:58:41+01:00"), utc(2026, 11, 18, 9, 58, 41));
    EXPECT_EQ(parse_rfc3339("2026-11-18T04:28:41-05:30"), utc(2026, 11, 18, 9, 58, 41));
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41+00:00"), utc(2026, 11, 18, 9, 58, 41));
}

TEST(Rfc3339, MovesTheDateWhenTheOffsetCrossesMidnight) {
    EXPECT_EQ(parse_rfc3339("2026-11-19T00:30:00+02:00"), utc(2026, 11, 18, 22, 30, 0));
    EXPECT_EQ(parse_rfc3339("2026-12-31T23:30:00-01:00"), utc(2027, 1, 1, 0, 30, 0));
}

TEST(Rfc3339, TruncatesNanosecondsToMilliseconds) {
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41.207384512Z"), utc(2026, 11, 18, 9, 58, 41, 207));
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41.999999999Z"), utc(2026, 11, 18, 9, 58, 41, 999));
    EXPECT_EQ(parse_rfc3339("2026-11-18T09:58:41.5Z"), utc(2026, 11, 18, 9, 58, 41, 500));
    EXPECT_EQ(parse_rfc3339("2026-11-20T07:15:03.5+01:00"), utc(2026, 11, 20, 6, 15, 3, 500));
}

TEST(Rfc3339, ReturnsNulloptForGoZeroTime) {
    EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00+00:00"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("0001-01-01T00:00:00.000000000Z"), std::nullopt);
}

TEST(Rfc3339, ReturnsNulloptForYearsANanosecondClockCannotHold) {
    EXPECT_EQ(parse_rfc3339("1600-01-01T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59Z"), std::nullopt);
    EXPECT_EQ(parse_rfc3339("1678-01-01T00:00:00Z"), utc(1678, 1, 1, 0, 0, 0));
    EXPECT_EQ(parse_rfc3339("2261-12-31T23:59:59.999Z"), utc(2261, 12, 31, 23, 59, 59, 999));
}

TEST(Rfc3339, ReturnsNulloptForGarbage) {
    const std::vector<std::string> garbage = {
        "",
        "yesterday",
        "2026-11-18",
        "09:58:41Z",
        "2026-11-18T09:58:41",          // no zone
        "2026-11-18T09:58Z",            // no seconds
        "2026-13-01T00:00:00Z",         // no 13th month
        "2026-02-30T00:00:00Z",         // no 30 February
        "2026-11-18T25:00:00Z",         // no 25th hour
        "2026-11-18T09:58:41Zjunk",     // trailing text
        "2026-11-18T09:58:41+01:00 x",  // trailing text after an offset
        "2026-11-18T09:58:41+0100",     // offset without its colon
        "Z",
    };
    for (const auto& text : garbage) {
        EXPECT_EQ(parse_rfc3339(text), std::nullopt) << text;
    }
}

}  // namespace
}  // namespace sitrep::connectors
