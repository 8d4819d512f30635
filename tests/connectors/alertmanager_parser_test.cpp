#include "connectors/webhooks/alertmanager_parser.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/shared_fixtures.hpp"

namespace sitrep::connectors {
namespace {

namespace json = boost::json;
using namespace std::chrono;
using bot::AlertStatus;
using bot::Labels;

bot::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
    return bot::Timestamp{
        sys_days{year{y} / month{mo} / day{d}}.time_since_epoch() + hours{h} + minutes{mi} +
        seconds{s} + milliseconds{ms}};
}

std::filesystem::path payload_dir() {
    return test::test_data_dir() / "alertmanager";
}

std::string payload(const std::string& name) {
    return test::read_file(payload_dir() / name);
}

/// The parsed notification; a refusal fails the test with its message.
bot::AlertNotification parsed(std::string_view body) {
    auto result = parse_alertmanager(body);
    if (!result) {
        ADD_FAILURE() << "refused: " << result.error().message;
        return {};
    }
    return *std::move(result);
}

/// Why the body was refused, or "(accepted)".
std::string refusal(std::string_view body) {
    const auto result = parse_alertmanager(body);
    return result ? std::string{"(accepted)"} : result.error().message;
}

std::string refusal_of(const json::object& tree) {
    return refusal(json::serialize(tree));
}

/// Our own two-alert firing payload as a JSON tree, to break one thing at a time.
json::object firing_tree() {
    return json::parse(payload("payments-firing.json")).as_object();
}

json::object& first_alert(json::object& tree) {
    return tree.at("alerts").as_array().at(0).as_object();
}

const std::string payments_group_key =
    R"({}/{team="money"}:{alertname="PaymentsLatencyHigh", service="payments"})";
const std::string generator_url =
    "http://prometheus.example.net:9090/graph?g0.expr=histogram_quantile%280.99%2C+"
    "payments_request_seconds_bucket%29+%3E+0.8&g0.tab=1";

// ---- Our payloads, field by field ------------------------------------------------------------

TEST(AlertmanagerParser, ReadsEveryGroupFieldOfAFiringNotification) {
    const auto n = parsed(payload("payments-firing.json"));

    EXPECT_EQ(n.source, "alertmanager");
    EXPECT_EQ(n.group_key, payments_group_key);
    EXPECT_EQ(n.status, AlertStatus::firing);
    EXPECT_EQ(n.receiver, R"(payments\.pager)");
    EXPECT_EQ(
        n.group_labels, (Labels{{"alertname", "PaymentsLatencyHigh"}, {"service", "payments"}})
    );
    EXPECT_EQ(
        n.common_labels,
        (Labels{
            {"alertname", "PaymentsLatencyHigh"},
            {"service", "payments"},
            {"severity", "critical"},
            {"team", "money"},
        })
    );
    EXPECT_EQ(n.common_annotations, (Labels{{"summary", "Payments p99 latency above 800ms"}}));
    EXPECT_EQ(n.external_url, "http://alertmanager.example.net:9093");
    EXPECT_EQ(n.truncated, 0U);
    ASSERT_EQ(n.alerts.size(), 2U);
}

TEST(AlertmanagerParser, ReadsEveryAlertFieldOfAFiringNotification) {
    const auto n = parsed(payload("payments-firing.json"));
    ASSERT_EQ(n.alerts.size(), 2U);

    const auto& first = n.alerts[0];
    EXPECT_EQ(first.status, AlertStatus::firing);
    EXPECT_EQ(
        first.labels,
        (Labels{
            {"alertname", "PaymentsLatencyHigh"},
            {"instance", "payments-api-1:8443"},
            {"service", "payments"},
            {"severity", "critical"},
            {"team", "money"},
        })
    );
    EXPECT_EQ(
        first.annotations,
        (Labels{
            {"summary", "Payments p99 latency above 800ms"},
            {"description", "p99 of POST /v1/charge over 5 minutes"},
            {"runbook_url", "https://runbooks.example.net/payments/latency"},
        })
    );
    EXPECT_EQ(first.starts_at, utc(2026, 11, 18, 9, 58, 41, 207));
    // Prometheus sends a future endsAt for a firing alert; it is kept, and means nothing.
    EXPECT_EQ(first.ends_at, utc(2026, 11, 18, 10, 3, 41, 207));
    EXPECT_EQ(first.generator_url, generator_url);
    EXPECT_EQ(first.fingerprint, "0d17e3662cac6e30");
    EXPECT_TRUE(first.silence_url.empty());
    EXPECT_TRUE(first.dashboard_url.empty());
    EXPECT_TRUE(first.panel_url.empty());

    const auto& second = n.alerts[1];
    EXPECT_EQ(second.status, AlertStatus::firing);
    EXPECT_EQ(second.labels.at("instance"), "payments-api-2:8443");
    EXPECT_EQ(second.annotations.size(), 2U);
    EXPECT_EQ(second.annotations.at("description"), "p99 of POST /v1/refund over 5 minutes");
    EXPECT_EQ(second.starts_at, utc(2026, 11, 18, 9, 59, 11, 500));
    EXPECT_EQ(second.fingerprint, "d4e7e0f5d91cfd29");
}

TEST(AlertmanagerParser, ReadsRepeatWithSameGroupKeyAndFingerprints) {
    const auto first = parsed(payload("payments-firing.json"));
    const auto repeat = parsed(payload("payments-repeat.json"));

    EXPECT_EQ(repeat.group_key, first.group_key);
    EXPECT_EQ(repeat.status, AlertStatus::firing);
    ASSERT_EQ(repeat.alerts.size(), first.alerts.size());
    for (std::size_t i = 0; i < repeat.alerts.size(); ++i) {
        EXPECT_EQ(repeat.alerts[i].fingerprint, first.alerts[i].fingerprint);
        EXPECT_EQ(repeat.alerts[i].starts_at, first.alerts[i].starts_at);
    }
    EXPECT_EQ(repeat.alerts[0].ends_at, utc(2026, 11, 18, 14, 3, 41, 207));
}

TEST(AlertmanagerParser, ReadsAlertJoiningTheGroup) {
    const auto n = parsed(payload("payments-new-alert.json"));

    EXPECT_EQ(n.group_key, payments_group_key);
    ASSERT_EQ(n.alerts.size(), 3U);
    EXPECT_EQ(n.alerts[2].labels.at("instance"), "payments-api-3:8443");
    EXPECT_EQ(n.alerts[2].fingerprint, "9bf5ede03da53e0e");
    EXPECT_EQ(n.alerts[2].starts_at, utc(2026, 11, 18, 10, 4, 2, 900));
}

TEST(AlertmanagerParser, ReadsPerAlertStatusWhenGroupIsPartlyResolved) {
    const auto n = parsed(payload("payments-partly-resolved.json"));

    // The group fires while any alert in it fires.
    EXPECT_EQ(n.status, AlertStatus::firing);
    ASSERT_EQ(n.alerts.size(), 3U);
    EXPECT_EQ(n.alerts[0].status, AlertStatus::resolved);
    EXPECT_EQ(n.alerts[0].ends_at, utc(2026, 11, 18, 10, 21, 41, 207));
    EXPECT_EQ(n.alerts[1].status, AlertStatus::firing);
    EXPECT_EQ(n.alerts[2].status, AlertStatus::firing);
}

TEST(AlertmanagerParser, ReadsFullyResolvedGroup) {
    const auto n = parsed(payload("payments-resolved.json"));

    EXPECT_EQ(n.status, AlertStatus::resolved);
    ASSERT_EQ(n.alerts.size(), 3U);
    for (const auto& alert : n.alerts) {
        EXPECT_EQ(alert.status, AlertStatus::resolved) << alert.fingerprint;
        EXPECT_TRUE(alert.ends_at.has_value()) << alert.fingerprint;
    }
    EXPECT_EQ(n.alerts[2].ends_at, utc(2026, 11, 18, 10, 34, 2, 900));
}

TEST(AlertmanagerParser, ComputesFingerprintOfLegacyPayload) {
    const auto n = parsed(payload("legacy-queue-backlog.json"));

    EXPECT_EQ(n.truncated, 0U);  // no truncatedAlerts field before Alertmanager 0.21
    EXPECT_EQ(n.receiver, "ledger-oncall");
    ASSERT_EQ(n.alerts.size(), 1U);
    const auto& alert = n.alerts[0];
    EXPECT_EQ(alert.fingerprint, label_fingerprint(alert.labels));
    EXPECT_EQ(alert.fingerprint, "e6b6a6fb831f2038");
    EXPECT_EQ(alert.starts_at, utc(2026, 11, 20, 6, 15, 3, 500));  // sent as +01:00
    EXPECT_EQ(alert.ends_at, utc(2026, 11, 20, 6, 19, 3, 500));
}

TEST(AlertmanagerParser, ReadsTruncatedAlertCount) {
    const auto n = parsed(payload("truncated-search.json"));

    EXPECT_EQ(n.truncated, 3U);
    EXPECT_EQ(n.alerts.size(), 2U);
    EXPECT_EQ(n.group_key, R"({}:{alertname="SearchErrors"})");
}

TEST(AlertmanagerParser, TreatsGoZeroEndsAtAsNotSet) {
    const auto n = parsed(payload("truncated-search.json"));
    ASSERT_FALSE(n.alerts.empty());

    EXPECT_EQ(n.alerts[0].starts_at, utc(2026, 11, 21, 16, 40, 0));
    EXPECT_EQ(n.alerts[0].ends_at, std::nullopt);
}

TEST(AlertmanagerParser, KeepsRegexEscapedReceiverAsSent) {
    // Alertmanager sends regexp.QuoteMeta(name): "payments.pager" arrives as payments\.pager.
    EXPECT_EQ(parsed(payload("payments-firing.json")).receiver, R"(payments\.pager)");
    EXPECT_EQ(parsed(payload("truncated-search.json")).receiver, R"(search \(primary\))");
}

TEST(AlertmanagerParser, KeepsSentFingerprintsOfEveryOwnPayload) {
    for (const auto& entry : std::filesystem::directory_iterator{payload_dir()}) {
        if (entry.path().extension() != ".json") {
            continue;
        }
        SCOPED_TRACE(entry.path().filename().string());
        const auto n = parsed(test::read_file(entry.path()));
        EXPECT_FALSE(n.alerts.empty());
        for (const auto& alert : n.alerts) {
            EXPECT_EQ(alert.fingerprint, label_fingerprint(alert.labels));
        }
    }
}

TEST(AlertmanagerParser, IgnoresFieldsItDoesNotKnow) {
    auto tree = firing_tree();
    tree["numFiring"] = 2;  // Grafana OnCall's counters
    tree["notification_reason"] = "something new";
    first_alert(tree)["silenceURL"] = "http://am/silence";

    EXPECT_EQ(refusal_of(tree), "(accepted)");
}

TEST(AlertmanagerParser, TakesNullOptionalFieldsAsEmpty) {
    auto tree = firing_tree();
    tree["receiver"] = nullptr;
    tree["externalURL"] = nullptr;
    tree["commonAnnotations"] = nullptr;
    first_alert(tree)["generatorURL"] = nullptr;
    first_alert(tree)["fingerprint"] = nullptr;

    const auto n = parsed(json::serialize(tree));
    EXPECT_TRUE(n.receiver.empty());
    EXPECT_TRUE(n.external_url.empty());
    EXPECT_TRUE(n.common_annotations.empty());
    ASSERT_FALSE(n.alerts.empty());
    EXPECT_TRUE(n.alerts[0].generator_url.empty());
    EXPECT_EQ(n.alerts[0].fingerprint, "0d17e3662cac6e30");  // computed instead
}

// ---- Label fingerprints ----------------------------------------------------------------------

TEST(LabelFingerprint, IsTheFnvOffsetBasisForNoLabels) {
    EXPECT_EQ(label_fingerprint({}), "cbf29ce484222325");
}

TEST(LabelFingerprint, SeparatesNamesFromValues) {
    EXPECT_NE(label_fingerprint({{"a", "bc"}}), label_fingerprint({{"ab", "c"}}));
    EXPECT_NE(label_fingerprint({{"a", "b"}}), label_fingerprint({{"a", "b"}, {"c", ""}}));
}

TEST(LabelFingerprint, IsSixteenLowerCaseHexDigits) {
    const auto fingerprint = label_fingerprint({{"alertname", "X"}});
    EXPECT_EQ(fingerprint.size(), 16U);
    EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
}

// ---- Refusals ----------------------------------------------------------------------------------

TEST(AlertmanagerParser, RefusesMalformedJsonNamingTheByteOffset) {
    EXPECT_EQ(refusal(R"({"version":"4",})"), "malformed JSON at byte 15: syntax error");
    EXPECT_EQ(refusal(R"({"version" "4"})"), "malformed JSON at byte 11: syntax error");
    EXPECT_EQ(refusal(""), "malformed JSON at byte 0: incomplete JSON");

    const auto body = payload("payments-firing.json");
    EXPECT_EQ(refusal(body.substr(0, 100)), "malformed JSON at byte 100: incomplete JSON");
}

TEST(AlertmanagerParser, RefusesTextAfterTheJsonValue) {
    const auto body = json::serialize(firing_tree());
    EXPECT_EQ(
        refusal(body + " {}"),
        "malformed JSON at byte " + std::to_string(body.size() + 1) + ": extra data"
    );
    EXPECT_EQ(refusal(body + "\n"), "(accepted)");
}

TEST(AlertmanagerParser, RefusesBodyThatIsNotAnObject) {
    EXPECT_EQ(refusal("[]"), "the body must be a JSON object");
    EXPECT_EQ(refusal(R"("firing")"), "the body must be a JSON object");
}

TEST(AlertmanagerParser, RefusesMissingRequiredFields) {
    for (const std::string field : {"version", "groupKey", "status", "alerts"}) {
        auto tree = firing_tree();
        tree.erase(field);
        EXPECT_EQ(refusal_of(tree), "missing field \"" + field + "\"");
    }

    auto tree = firing_tree();
    first_alert(tree).erase("status");
    EXPECT_EQ(refusal_of(tree), R"(missing field "alerts[0].status")");
}

TEST(AlertmanagerParser, RefusesWrongTypes) {
    struct Case {
        const char* what;
        void (*spoil)(json::object&);
        std::string message;
    };

    const std::vector<Case> cases = {
        {"groupKey",
         [](json::object& t) { t["groupKey"] = 7; },
         R"(field "groupKey" must be a string)"},
        {"version",
         [](json::object& t) { t["version"] = 4; },
         R"(field "version" must be a string)"},
        {"receiver",
         [](json::object& t) { t["receiver"] = json::array{}; },
         R"(field "receiver" must be a string)"},
        {"alerts",
         [](json::object& t) { t["alerts"] = json::object{}; },
         R"(field "alerts" must be an array)"},
        {"alerts null",
         [](json::object& t) { t["alerts"] = nullptr; },
         R"(field "alerts" must be an array)"},
        {"groupLabels",
         [](json::object& t) { t["groupLabels"] = "alertname"; },
         R"(field "groupLabels" must be an object)"},
        {"truncatedAlerts text",
         [](json::object& t) { t["truncatedAlerts"] = "3"; },
         R"(field "truncatedAlerts" must be a non-negative number)"},
        {"truncatedAlerts negative",
         [](json::object& t) { t["truncatedAlerts"] = -1; },
         R"(field "truncatedAlerts" must be a non-negative number)"},
        {"truncatedAlerts fraction",
         [](json::object& t) { t["truncatedAlerts"] = 1.5; },
         R"(field "truncatedAlerts" must be a non-negative number)"},
        {"alert",
         [](json::object& t) { t["alerts"].as_array()[1] = "firing"; },
         R"("alerts[1]" must be an object)"},
        {"alert labels",
         [](json::object& t) { first_alert(t)["labels"] = json::array{}; },
         R"(field "alerts[0].labels" must be an object)"},
        {"label value",
         [](json::object& t) { first_alert(t)["labels"].as_object()["severity"] = 1; },
         R"(field "alerts[0].labels.severity" must be a string)"},
        {"annotation value",
         [](json::object& t) { first_alert(t)["annotations"].as_object()["summary"] = true; },
         R"(field "alerts[0].annotations.summary" must be a string)"},
        {"startsAt",
         [](json::object& t) { first_alert(t)["startsAt"] = 1700000000; },
         R"(field "alerts[0].startsAt" must be a string)"},
        {"fingerprint",
         [](json::object& t) { first_alert(t)["fingerprint"] = 12; },
         R"(field "alerts[0].fingerprint" must be a string)"},
    };
    for (const auto& c : cases) {
        auto tree = firing_tree();
        c.spoil(tree);
        EXPECT_EQ(refusal_of(tree), c.message) << c.what;
    }
}

TEST(AlertmanagerParser, RefusesUnknownStatus) {
    auto tree = firing_tree();
    tree["status"] = "pending";
    EXPECT_EQ(refusal_of(tree), R"(field "status" is "pending"; expected "firing" or "resolved")");

    tree = firing_tree();
    tree["alerts"].as_array()[1].as_object()["status"] = "Firing";
    EXPECT_EQ(
        refusal_of(tree), R"(field "alerts[1].status" is "Firing"; expected "firing" or "resolved")"
    );
}

TEST(AlertmanagerParser, RefusesOtherPayloadVersions) {
    auto tree = firing_tree();
    tree["version"] = "5";
    EXPECT_EQ(
        refusal_of(tree),
        R"(payload version "5" is not supported; sitrep reads Alertmanager's version "4")"
    );
}

TEST(AlertmanagerParser, RefusesEmptyAlertList) {
    auto tree = firing_tree();
    tree["alerts"] = json::array{};
    EXPECT_EQ(
        refusal_of(tree), R"(field "alerts" is empty; a notification carries at least one alert)"
    );
}

TEST(AlertmanagerParser, RefusesEmptyGroupKey) {
    auto tree = firing_tree();
    tree["groupKey"] = "";
    EXPECT_EQ(refusal_of(tree), "groupKey is empty; sitrep groups alerts by it");
}

TEST(AlertmanagerParser, RefusesByteOrderMarkBeforeTheBody) {
    // HTTP bodies never start with one; the console skips it when it reads a payload file.
    EXPECT_EQ(
        refusal("\xEF\xBB\xBF" + payload("payments-firing.json")),
        "malformed JSON at byte 0: syntax error"
    );
}

TEST(AlertmanagerParser, RefusesAlertWithoutLabels) {
    auto tree = firing_tree();
    first_alert(tree)["labels"] = json::object{};
    EXPECT_EQ(refusal_of(tree), R"("alerts[0].labels" must name the alert)");

    tree = firing_tree();
    first_alert(tree).erase("labels");
    EXPECT_EQ(refusal_of(tree), R"("alerts[0].labels" must name the alert)");
}

TEST(AlertmanagerParser, RefusesTimeThatIsNotRfc3339) {
    auto tree = firing_tree();
    first_alert(tree)["startsAt"] = "yesterday";
    EXPECT_EQ(
        refusal_of(tree), R"(field "alerts[0].startsAt" is "yesterday", not an RFC 3339 time)"
    );

    tree = firing_tree();
    tree["alerts"].as_array()[1].as_object()["endsAt"] = "2026-11-18 10:03:41";
    EXPECT_EQ(
        refusal_of(tree),
        R"(field "alerts[1].endsAt" is "2026-11-18 10:03:41", not an RFC 3339 time)"
    );
}

TEST(AlertmanagerParser, AcceptsMissingOrEmptyTimes) {
    auto tree = firing_tree();
    first_alert(tree).erase("startsAt");
    first_alert(tree)["endsAt"] = "";

    const auto n = parsed(json::serialize(tree));
    ASSERT_FALSE(n.alerts.empty());
    EXPECT_EQ(n.alerts[0].starts_at, std::nullopt);
    EXPECT_EQ(n.alerts[0].ends_at, std::nullopt);
}

}  // namespace
}  // namespace sitrep::connectors
