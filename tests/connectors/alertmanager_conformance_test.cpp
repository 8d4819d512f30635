// Checks the parser and the engine against real Alertmanager deliveries, from the shared
// fixtures (../shared/fixtures). Without that folder every test here is skipped, saying so.
#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>

#include "bot/config.hpp"
#include "bot/engine.hpp"
#include "bot/runtime.hpp"
#include "bot/store_thread.hpp"
#include "connectors/console/console_connector.hpp"
#include "connectors/webhooks/alertmanager_parser.hpp"
#include "store/sqlite_incident_store.hpp"
#include "templates/template_set.hpp"
#include "tests/support/shared_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

namespace sitrep::connectors {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

/// The seven bodies Alertmanager 0.25 posted, in delivery order.
const std::vector<std::string> captured_sequence = {
    "seq1-disk-firing.json",
    "seq2-checkout-firing-truncated.json",
    "seq3-checkout-repeat.json",
    "seq4-disk-repeat.json",
    "seq5-disk-resolved.json",
    "seq6-checkout-partly-resolved.json",
    "seq7-checkout-resolved.json",
};

/// Every payload file of the shared Alertmanager fixtures (request-headers.json is not one).
std::vector<std::filesystem::path> payload_files(const std::filesystem::path& fixtures) {
    std::vector<std::filesystem::path> files;
    for (const auto& folder :
         {fixtures / "alertmanager", fixtures / "alertmanager" / "captured-0.25"}) {
        for (const auto& entry : std::filesystem::directory_iterator{folder}) {
            const auto& path = entry.path();
            if (path.extension() == ".json" && path.filename() != "request-headers.json") {
                files.push_back(path);
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

bot::AlertNotification parse_file(const std::filesystem::path& path) {
    auto result = parse_alertmanager(test::read_file(path));
    if (!result) {
        ADD_FAILURE() << path.filename().string() << " refused: " << result.error().message;
        return {};
    }
    return *std::move(result);
}

TEST(AlertmanagerConformance, ParsesEveryPayloadFile) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);
    const auto files = payload_files(fixtures);
    ASSERT_GE(files.size(), captured_sequence.size());

    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        const auto n = parse_file(file);
        EXPECT_FALSE(n.group_key.empty());
        EXPECT_FALSE(n.alerts.empty());
        for (const auto& alert : n.alerts) {
            EXPECT_FALSE(alert.fingerprint.empty());
            EXPECT_FALSE(alert.labels.empty());
        }
    }
}

TEST(AlertmanagerConformance, ParsesEveryCapturedDelivery) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);
    const auto folder = fixtures / "alertmanager" / "captured-0.25";

    for (const auto& name : captured_sequence) {
        SCOPED_TRACE(name);
        const auto n = parse_file(folder / name);
        EXPECT_EQ(n.receiver, "sitrep");
        EXPECT_EQ(n.external_url, "http://vm:19093");
        EXPECT_EQ(n.group_labels.count("alertname"), 1U);
        for (const auto& alert : n.alerts) {
            EXPECT_TRUE(alert.starts_at.has_value());
            // Alerts pushed through the API fire with Go's zero endsAt: not set.
            EXPECT_EQ(alert.ends_at.has_value(), alert.status == bot::AlertStatus::resolved);
        }
    }
}

TEST(AlertmanagerConformance, CapturedHeadersDescribeAJsonDeliveryFromAlertmanager) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);
    const auto folder = fixtures / "alertmanager" / "captured-0.25";
    const auto headers = json::parse(test::read_file(folder / "request-headers.json")).as_object();

    EXPECT_EQ(headers.at("Content-Type").as_string(), "application/json");
    EXPECT_EQ(headers.at("User-Agent").as_string().subview().substr(0, 13), "Alertmanager/");
    // The body it described is one of the captured ones, byte for byte.
    const auto length = std::stoul(std::string{headers.at("Content-Length").as_string()});
    const bool matches =
        std::any_of(captured_sequence.begin(), captured_sequence.end(), [&](const auto& name) {
            return std::filesystem::file_size(folder / name) == length;
        });
    EXPECT_TRUE(matches) << "no captured body has " << length << " bytes";
}

TEST(AlertmanagerConformance, ReproducesEveryFingerprintAlertmanagerSent) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);

    std::size_t checked = 0;
    for (const auto& file : payload_files(fixtures)) {
        // Read the raw body: the parser would fill a missing fingerprint in itself.
        const auto body = json::parse(test::read_file(file)).as_object();
        for (const auto& value : body.at("alerts").as_array()) {
            const auto& alert = value.as_object();
            const auto* sent = alert.if_contains("fingerprint");
            if (sent == nullptr) {
                continue;  // senders before Alertmanager 0.19
            }
            bot::Labels labels;
            for (const auto& [name, label] : alert.at("labels").as_object()) {
                labels.emplace(std::string{name}, std::string{label.as_string()});
            }
            EXPECT_EQ(label_fingerprint(labels), sent->as_string())
                << file.filename().string() << " " << json::serialize(alert.at("labels"));
            ++checked;
        }
    }
    EXPECT_GE(checked, 11U);  // the captured sequence alone sends eleven
}

/// The engine, runtime and console, as `sitrep console` builds them, fed the captured bodies.
class CapturedReplayTest : public ::testing::Test {
protected:
    /// Delivers one captured body a few seconds after the previous one; returns what the
    /// console printed for it.
    std::string deliver(const std::filesystem::path& folder, const std::string& name) {
        auto notification = parse_file(folder / name);
        clock_.set(clock_.now() + 4s);
        const auto printed_before = out_.str().size();

        std::exception_ptr failure;
        net::co_spawn(
            io_,
            [&]() -> net::awaitable<void> {
                co_await runtime_.deliver(notification, std::string{console_.name()});
            },
            [&](std::exception_ptr e) { failure = e; }
        );
        io_.run();
        io_.restart();
        if (failure) {
            std::rethrow_exception(failure);
        }
        return out_.str().substr(printed_before);
    }

    static bot::Config config_in(const test::TempDir& dir) {
        auto config = bot::Config::from_yaml("");
        config.data_dir = dir.path();
        return config;
    }

    std::optional<bot::Incident> incident_titled(const std::string& title) {
        for (const auto& incident : store_.recent_incidents(10)) {
            if (incident.title == title) {
                return incident;
            }
        }
        return std::nullopt;
    }

    test::TempDir dir_;
    bot::Config config_ = config_in(dir_);
    store::SqliteIncidentStore store_{dir_.path() / "sitrep.db"};
    templates::TemplateSet templates_ = templates::TemplateSet::load();
    // The captured alerts started at 16:01:15 UTC.
    bot::ManualClock clock_{bot::Timestamp{
        std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}.time_since_epoch() + 16h + 1min +
        16s}};
    spdlog::logger log_{"test", std::make_shared<spdlog::sinks::null_sink_mt>()};
    net::io_context io_;
    bot::StoreThread store_thread_;
    bot::Engine engine_{config_, store_, templates_, clock_, log_};
    bot::Runtime runtime_{io_, engine_, store_, store_thread_, clock_, log_};
    std::ostringstream out_;
    ConsoleConnector console_{out_, "#ops", "sitrep"};
};

TEST_F(CapturedReplayTest, ReplaysTheCapturedSequenceAsTwoIncidents) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);
    const auto folder = fixtures / "alertmanager" / "captured-0.25";
    runtime_.add_connector(console_);

    // seq1: the disk group opens the first incident.
    const auto seq1 = deliver(folder, captured_sequence[0]);
    EXPECT_NE(seq1.find("alertmanager: 1 alert firing — Disk 95% full"), std::string::npos) << seq1;
    EXPECT_NE(seq1.find("Suggested from the alert: P2 (severity=warning)"), std::string::npos)
        << seq1;
    EXPECT_EQ(store_.recent_incidents(10).size(), 1U);

    // seq2: the checkout group opens the second; its post says what was left out.
    const auto seq2 = deliver(folder, captured_sequence[1]);
    EXPECT_NE(
        seq2.find("alertmanager: 2 alerts firing, 1 more not sent — Checkout 5xx ratio above 2%"), std::string::npos
    ) << seq2;
    EXPECT_NE(
        seq2.find("1 more alert of this group was not sent (the sender's max_alerts limit); see "
                  "http://vm:19093"),
        std::string::npos
    ) << seq2;
    EXPECT_EQ(store_.recent_incidents(10).size(), 2U);

    // seq3, seq4: repeats open nothing and say nothing in the rooms.
    EXPECT_EQ(deliver(folder, captured_sequence[2]), "");
    EXPECT_EQ(deliver(folder, captured_sequence[3]), "");
    EXPECT_EQ(store_.recent_incidents(10).size(), 2U);

    // seq5: the disk group resolves; its incident stays open.
    const auto seq5 = deliver(folder, captured_sequence[4]);
    EXPECT_NE(seq5.find("resolved: DiskFull"), std::string::npos) << seq5;
    EXPECT_NE(
        seq5.find("the whole group is resolved"),
        std::string::npos
    ) << seq5;

    // seq6: checkout-a resolves while the group still fires.
    const auto seq6 = deliver(folder, captured_sequence[5]);
    EXPECT_NE(
        seq6.find("resolved: CheckoutErrorRate (instance=checkout-a:8080)"), std::string::npos
    ) << seq6;
    EXPECT_EQ(seq6.find("checkout-b"), std::string::npos) << seq6;
    EXPECT_EQ(seq6.find("the whole group is resolved"), std::string::npos) << seq6;

    // seq7: the whole group resolves, which does not close the incident.
    const auto seq7 = deliver(folder, captured_sequence[6]);
    EXPECT_NE(
        seq7.find("the whole group is resolved"),
        std::string::npos
    ) << seq7;

    const auto incidents = store_.recent_incidents(10);
    ASSERT_EQ(incidents.size(), 2U);
    const auto disk = incident_titled("DiskFull: Disk 95% full");
    const auto checkout = incident_titled("CheckoutErrorRate: Checkout 5xx ratio above 2%");
    ASSERT_TRUE(disk.has_value());
    ASSERT_TRUE(checkout.has_value());
    EXPECT_EQ(disk->service, "db");
    EXPECT_EQ(checkout->service, "checkout");
    EXPECT_TRUE(disk->is_open());
    EXPECT_TRUE(checkout->is_open());
    EXPECT_EQ(checkout->state, bot::IncidentState::declared);
    ASSERT_TRUE(checkout->alert.has_value());
    EXPECT_EQ(checkout->alert->suggested_severity, "P1");
    EXPECT_EQ(store_.outbox_depth(), 0U);
}

TEST_F(CapturedReplayTest, RecordsRepeatsInTheTimelineOnly) {
    SITREP_REQUIRE_SHARED_FIXTURES(fixtures);
    const auto folder = fixtures / "alertmanager" / "captured-0.25";
    runtime_.add_connector(console_);

    (void)deliver(folder, captured_sequence[1]);
    (void)deliver(folder, captured_sequence[2]);

    const auto checkout = incident_titled("CheckoutErrorRate: Checkout 5xx ratio above 2%");
    ASSERT_TRUE(checkout.has_value());
    std::vector<std::string> alerts;
    for (const auto& entry : store_.timeline(checkout->id)) {
        if (entry.kind == bot::EntryKind::alert) {
            alerts.push_back(entry.text);
        }
    }
    ASSERT_EQ(alerts.size(), 2U);
    EXPECT_EQ(alerts[1], "alertmanager: 2 alerts still firing (a repeat), 1 more not sent");
}

}  // namespace
}  // namespace sitrep::connectors
