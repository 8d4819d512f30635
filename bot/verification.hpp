#pragma once

#include <string>
#include <string_view>

namespace sitrep::bot {

enum class HealthVerdict { all_healthy, degraded, down };
enum class HealthTrend { improving, steady, worsening, unknown };

[[nodiscard]] std::string_view verdict_name(HealthVerdict verdict);  ///< "ALL_HEALTHY", ...
[[nodiscard]] std::string_view trend_name(HealthTrend trend);        ///< "improving", ...

/// The result of verifying a containment: health checks, or a named person's confirmation with
/// written evidence where a service has no checks configured.
struct VerificationReport {
    enum class Method { manual, health_checks };

    Method method = Method::manual;
    HealthVerdict verdict = HealthVerdict::all_healthy;
    HealthTrend trend = HealthTrend::unknown;
    std::string by;        ///< who confirmed (manual) or asked for the check
    std::string evidence;  ///< the written evidence, or the per-endpoint summary

    /// ALL_HEALTHY passes, and so does DEGRADED while it improves.
    [[nodiscard]] bool passes() const {
        return verdict == HealthVerdict::all_healthy ||
               (verdict == HealthVerdict::degraded && trend == HealthTrend::improving);
    }
};

}  // namespace sitrep::bot
