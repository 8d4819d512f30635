#include "bot/time_format.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace sitrep::bot {
namespace {

using namespace std::chrono;

/// A UTC time on a day of 2026.
Timestamp utc(unsigned mon, unsigned mday, int hh, int mm, int ss = 0) {
    return sys_days{year{2026} / month{mon} / day{mday}} + hours{hh} + minutes{mm} + seconds{ss};
}

std::chrono::milliseconds parsed(std::string_view text) {
    milliseconds out{-1};
    EXPECT_TRUE(parse_duration(text, out)) << text;
    return out;
}

const TimeFormat& berlin() {
    static const TimeFormat format{"Europe/Berlin"};
    return format;
}

TEST(TimeFormat, ShowsUtc) {
    const TimeFormat tf;
    const auto t = utc(12, 3, 15, 7, 59);
    EXPECT_EQ(tf.zone_name(), "UTC");
    EXPECT_EQ(tf.hhmm(t), "15:07");
    EXPECT_EQ(tf.date(t), "2026-12-03");
    EXPECT_EQ(tf.date_time(t), "2026-12-03 15:07");
    EXPECT_EQ(tf.local_day(t), year{2026} / December / 3);
}

TEST(TimeFormat, ShowsBerlinWinterTimeAsUtcPlusOne) {
    const auto t = utc(1, 15, 23, 30);
    EXPECT_EQ(berlin().hhmm(t), "00:30");
    EXPECT_EQ(berlin().date(t), "2026-01-16");
    EXPECT_EQ(berlin().date_time(t), "2026-01-16 00:30");
    EXPECT_EQ(berlin().local_day(t), year{2026} / January / 16);
}

TEST(TimeFormat, ShowsBerlinSummerTimeAsUtcPlusTwo) {
    const auto t = utc(6, 3, 22, 30);
    EXPECT_EQ(berlin().hhmm(t), "00:30");
    EXPECT_EQ(berlin().date(t), "2026-06-04");
    EXPECT_EQ(berlin().local_day(t), year{2026} / June / 4);
}

TEST(TimeFormat, SpringForwardInBerlinSkipsAnHour) {
    // 2026-03-29 01:00 UTC: clocks go from 02:00 CET to 03:00 CEST.
    EXPECT_EQ(berlin().hhmm(utc(3, 29, 0, 59)), "01:59");
    EXPECT_EQ(berlin().hhmm(utc(3, 29, 1, 0)), "03:00");
    EXPECT_EQ(berlin().date_time(utc(3, 29, 1, 30)), "2026-03-29 03:30");
}

TEST(TimeFormat, FallBackInBerlinRepeatsAnHour) {
    // 2026-10-25 01:00 UTC: clocks go from 03:00 CEST back to 02:00 CET.
    EXPECT_EQ(berlin().hhmm(utc(10, 25, 0, 0)), "02:00");
    EXPECT_EQ(berlin().hhmm(utc(10, 25, 0, 59)), "02:59");
    EXPECT_EQ(berlin().hhmm(utc(10, 25, 1, 0)), "02:00");
    EXPECT_EQ(berlin().hhmm(utc(10, 25, 1, 59)), "02:59");
    EXPECT_EQ(berlin().hhmm(utc(10, 25, 2, 0)), "03:00");
}

TEST(TimeFormat, MidnightAcrossDaylightSavingChangeIsLocal) {
    // 23:30 UTC is after local midnight in summer and winter alike.
    EXPECT_EQ(berlin().date(utc(3, 28, 23, 30)), "2026-03-29");
    EXPECT_EQ(berlin().date(utc(10, 24, 21, 59)), "2026-10-24");
    EXPECT_EQ(berlin().date(utc(10, 24, 22, 0)), "2026-10-25");
    EXPECT_EQ(berlin().date(utc(10, 25, 22, 59)), "2026-10-25");
    EXPECT_EQ(berlin().date(utc(10, 25, 23, 0)), "2026-10-26");
}

TEST(TimeFormat, DurationAcrossSpringForwardIsRealTime) {
    // 01:30 to 03:30 on the wall clock, one hour in real time.
    const auto start = utc(3, 29, 0, 30);
    const auto end = utc(3, 29, 1, 30);
    EXPECT_EQ(berlin().hhmm(start), "01:30");
    EXPECT_EQ(berlin().hhmm(end), "03:30");
    EXPECT_EQ(format_duration(end - start), "1 h");
}

TEST(TimeFormat, DurationAcrossFallBackIsRealTime) {
    // 02:30 CEST to 02:30 CET: the same wall-clock time, one hour apart.
    const auto start = utc(10, 25, 0, 30);
    const auto end = utc(10, 25, 1, 30);
    EXPECT_EQ(berlin().hhmm(start), berlin().hhmm(end));
    EXPECT_EQ(format_duration(end - start), "1 h");
}

TEST(TimeFormat, UnknownZoneThrowsNamingIt) {
    try {
        const TimeFormat tf{"Europe/Atlantis"};
        FAIL() << "accepted Europe/Atlantis";
    } catch (const std::runtime_error& e) {
        EXPECT_TRUE(std::string{e.what()}.starts_with("unknown time zone \"Europe/Atlantis\""))
            << e.what();
    }
}

TEST(FormatDuration, ShowsSecondsUnderAMinute) {
    EXPECT_EQ(format_duration(milliseconds{0}), "0 s");
    EXPECT_EQ(format_duration(seconds{45}), "45 s");
    EXPECT_EQ(format_duration(milliseconds{59'999}), "59 s");
}

TEST(FormatDuration, ShowsMinutesHoursAndDays) {
    EXPECT_EQ(format_duration(seconds{60}), "1 min");
    EXPECT_EQ(format_duration(minutes{12} + seconds{59}), "12 min");
    EXPECT_EQ(format_duration(hours{1}), "1 h");
    EXPECT_EQ(format_duration(minutes{72}), "1 h 12 min");
    EXPECT_EQ(format_duration(hours{24}), "1 d");
    EXPECT_EQ(format_duration(hours{51}), "2 d 3 h");
    EXPECT_EQ(format_duration(hours{48} + minutes{30}), "2 d");
}

TEST(ParseDuration, ReadsEachUnit) {
    EXPECT_EQ(parsed("90s"), seconds{90});
    EXPECT_EQ(parsed("15m"), minutes{15});
    EXPECT_EQ(parsed("1h"), hours{1});
    EXPECT_EQ(parsed("2d"), hours{48});
    EXPECT_EQ(parsed("0m"), milliseconds{0});
}

TEST(ParseDuration, AddsUpParts) {
    EXPECT_EQ(parsed("4h30m"), minutes{270});
    EXPECT_EQ(parsed("1d2h3m4s"), hours{26} + minutes{3} + seconds{4});
}

TEST(ParseDuration, RejectsAnythingElse) {
    for (const std::string_view text :
         {"",
          "15",
          "m",
          "15x",
          "15M",
          "1.5h",
          "-5m",
          "15 m",
          " 15m",
          "15m ",
          "h1",
          "4h30",
          "99999999999999999999s",
          "9999999999999d"}) {
        milliseconds out{123};
        EXPECT_FALSE(parse_duration(text, out)) << '"' << text << '"';
        EXPECT_EQ(out, milliseconds{123}) << '"' << text << '"';
    }
}

}  // namespace
}  // namespace sitrep::bot
