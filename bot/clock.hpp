#pragma once

#include <atomic>
#include <chrono>

namespace sitrep::bot {

/// A point in time, UTC, to the millisecond. Stored as milliseconds since the Unix epoch.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// The engine's notion of now. The service uses the system clock; script replay and tests use
/// a manual clock, so deadlines fire in simulated time.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    [[nodiscard]] Timestamp now() const override {
        return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    }
};

/// A clock that moves only when told to. Safe to read from the store thread while the I/O
/// thread sets it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start = {}) : now_(start.time_since_epoch().count()) {}

    [[nodiscard]] Timestamp now() const override {
        return Timestamp{std::chrono::milliseconds{now_.load()}};
    }

    void set(Timestamp t) { now_.store(t.time_since_epoch().count()); }

private:
    std::atomic<std::chrono::milliseconds::rep> now_;
};

}  // namespace sitrep::bot
