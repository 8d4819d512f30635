#include "bot/verification.hpp"

namespace sitrep::bot {

std::string_view verdict_name(HealthVerdict verdict) {
    switch (verdict) {
        case HealthVerdict::all_healthy:
            return "ALL_HEALTHY";
        case HealthVerdict::degraded:
            return "DEGRADED";
        case HealthVerdict::down:
            return "DOWN";
    }
    return "?";
}

std::string_view trend_name(HealthTrend trend) {
    switch (trend) {
        case HealthTrend::improving:
            return "improving";
        case HealthTrend::steady:
            return "steady";
        case HealthTrend::worsening:
            return "worsening";
        case HealthTrend::unknown:
            return "of unknown trend";
    }
    return "?";
}

}  // namespace sitrep::bot
