#pragma once

#include <cstddef>

namespace sitrep::connectors {

/// The largest webhook body sitrep reads, from the HTTP listener or from a payload file a
/// script names. Alertmanager's largest bodies (hundreds of alerts with annotations) stay well
/// below it; anything larger is a wrong file or an abuse, and is refused unread.
inline constexpr std::size_t max_webhook_body_bytes = 1024 * 1024;

}  // namespace sitrep::connectors
