#include "bot/runtime.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <set>
#include <type_traits>

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

namespace sitrep::bot {

namespace {

/// How many outbox items one pass reads from the store.
constexpr std::size_t outbox_batch = 64;

/// At the first drain after a start, how many unsent items are read to find the incidents a
/// failed send holds back; an outbox deeper than this is an outage of its own.
constexpr std::size_t outbox_resume_scan = 10'000;

/// Retries of a failed send back off exponentially from the first delay to the cap.
constexpr std::chrono::milliseconds first_retry{1000};
constexpr std::chrono::milliseconds retry_cap{std::chrono::minutes{5}};

/// A store locked by another connection is tried again after 1 s, 2 s, ... up to this.
constexpr std::chrono::seconds busy_retry_cap{10};

/// With nothing due, the timer loop still looks again this often (a cheap safety net).
constexpr std::chrono::seconds idle_wake{30};

std::chrono::milliseconds backoff(
    int attempts, const std::optional<std::chrono::milliseconds>& hint
) {
    if (hint) {
        return *hint;
    }

    auto delay = first_retry;
    for (int i = 0; i < attempts && delay < retry_cap; ++i) {
        delay *= 2;
    }
    delay = std::min(delay, retry_cap);

    // Jitter of ±20% keeps many items failing together from retrying together.
    thread_local std::mt19937 random{std::random_device{}()};
    std::uniform_real_distribution<double> spread{0.8, 1.2};
    return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(
        static_cast<double>(delay.count()) * spread(random)
    )};
}

}  // namespace

Runtime::Runtime(
    net::io_context& io,
    Engine& engine,
    IncidentStore& store,
    StoreThread& store_thread,
    const Clock& clock,
    spdlog::logger& log
)
    : engine_(engine),
      store_(store),
      store_thread_(store_thread),
      clock_(clock),
      log_(log),
      timer_(io),
      flush_done_(io, net::steady_timer::time_point::max()) {}

void Runtime::add_connector(Connector& connector) {
    connectors_.emplace(std::string{connector.name()}, &connector);
}

template <typename Work>
net::awaitable<std::invoke_result_t<Work&>> Runtime::with_store(Work work) {
    using Result = std::invoke_result_t<Work&>;

    // A lock held by another connection (a backup, an operator's sqlite3) is waited out: the
    // work rolled back and is tried again, so nothing said is dropped meanwhile.
    for (int attempt = 1;; ++attempt) {
        std::string busy;
        if constexpr (std::is_void_v<Result>) {
            try {
                co_await store_thread_.run(work);
                co_return;
            } catch (const StoreBusy& e) {
                busy = e.what();
            }
        } else {
            std::optional<Result> result;
            try {
                result = co_await store_thread_.run(work);
            } catch (const StoreBusy& e) {
                busy = e.what();
            }
            if (result) {
                co_return std::move(*result);
            }
        }

        const auto delay = std::min(std::chrono::seconds{attempt}, busy_retry_cap);
        log_.warn(
            "store_busy attempt={} retry_in_ms={} error=\"{}\"",
            attempt,
            std::chrono::milliseconds{delay}.count(),
            busy
        );
        net::steady_timer wait{co_await net::this_coro::executor, delay};
        co_await wait.async_wait(as_result);
    }
}

net::awaitable<void> Runtime::deliver(InboundMessage message) {
    const bool queued = co_await with_store([&] { return engine_.on_message(message); });

    // Most messages are chat to record, with nothing to say back.
    if (queued) {
        co_await flush();
        wake();
    }
}

net::awaitable<void> Runtime::deliver(AlertNotification notification, std::string connector) {
    co_await with_store([&] { engine_.on_alert(notification, connector); });
    co_await flush();
    wake();
}

net::awaitable<void> Runtime::flush() {
    // One drain at a time keeps each incident's posts in order. A flush asked for meanwhile
    // makes the running one go round again, and returns only when that one is done, so its
    // caller's posts are out when it returns.
    if (flushing_) {
        flush_again_ = true;
        while (flushing_) {
            co_await flush_done_.async_wait(as_result);
        }
        co_return;
    }

    struct Flushing {
        bool& flag;
        net::steady_timer& done;

        ~Flushing() {
            flag = false;
            done.cancel();
        }
    } flushing{flushing_, flush_done_};

    flushing_ = true;

    do {
        flush_again_ = false;
        for (;;) {
            const bool delivered = co_await drain_once();
            if (!delivered) {
                break;
            }
        }
    } while (flush_again_);
}

net::awaitable<bool> Runtime::drain_once() {
    if (!blocked_loaded_) {
        // A failed item that waits for its retry blocks its incident across restarts too.
        const auto pending = co_await with_store([&] {
            return store_.due_outbox(Timestamp::max(), outbox_resume_scan);
        });
        for (const auto& item : pending) {
            if (item.incident_id && item.attempts > 0) {
                blocked_.try_emplace(*item.incident_id, item.id);
            }
        }
        blocked_loaded_ = true;
    }

    const auto now = clock_.now();
    const auto items = co_await with_store([&] { return store_.due_outbox(now, outbox_batch); });

    // An incident whose item failed sends nothing after it, in this pass or a later one, until
    // that item is delivered: its posts stay in order.
    std::set<std::int64_t> held_back;
    bool delivered_any = false;

    for (const auto& item : items) {
        if (item.incident_id) {
            const auto blocker = blocked_.find(*item.incident_id);
            const bool behind_failure = blocker != blocked_.end() && item.id > blocker->second;
            if (behind_failure || held_back.contains(*item.incident_id)) {
                continue;
            }
        }

        const auto found = connectors_.find(item.connector);
        if (found == connectors_.end()) {
            log_.warn(
                "outbox_connector_missing outbox_id={} connector={}", item.id, item.connector
            );
            continue;
        }
        auto& connector = *found->second;

        // Posts to an incident go to its room, which exists once its create_room went out.
        auto room = item.room;
        if (room.empty() && item.kind != OutboxKind::create_room && item.incident_id) {
            const auto id = *item.incident_id;
            const auto incident = co_await with_store([&] { return store_.find_incident(id); });
            room = incident ? incident->room : std::string{};
            if (room.empty()) {
                held_back.insert(id);
                continue;
            }
        }

        const auto delivery = co_await send(connector, item, room);
        co_await after_delivery(item, delivery, connector, room);
        if (delivery.ok()) {
            delivered_any = true;
            if (item.incident_id) {
                const auto blocker = blocked_.find(*item.incident_id);
                if (blocker != blocked_.end() && blocker->second == item.id) {
                    blocked_.erase(blocker);
                }
            }
        } else if (item.incident_id) {
            held_back.insert(*item.incident_id);
            blocked_.try_emplace(*item.incident_id, item.id);
        }
    }
    // Delivering may have queued more (a room's announcement): look again until a pass
    // delivers nothing.
    co_return delivered_any;
}

net::awaitable<Delivery> Runtime::send(
    Connector& connector, const OutboxItem& item, std::string room
) {
    // Arguments are built as named values before each co_await: GCC 12 mishandles
    // temporaries with destructors inside a co_await expression.
    Delivery delivery;
    if (item.kind == OutboxKind::create_room) {
        RoomRequest request{item.incident_id.value_or(0), item.name, item.text};
        delivery = co_await connector.create_room(std::move(request));
    } else if (item.kind == OutboxKind::post) {
        OutboundPost post{std::move(room), item.text, item.post_kind, item.created_at, item.id};
        delivery = co_await connector.post(std::move(post));
    } else if (item.kind == OutboxKind::set_topic) {
        std::string topic = item.text;
        delivery = co_await connector.set_topic(std::move(room), std::move(topic));
    } else {
        FileUpload file{std::move(room), item.name, item.text, item.created_at, item.id};
        delivery = co_await connector.upload(std::move(file));
    }
    co_return delivery;
}

net::awaitable<void> Runtime::after_delivery(
    const OutboxItem& item, const Delivery& delivery, Connector& connector, const std::string& room
) {
    if (delivery.ok()) {
        const auto mention = item.kind == OutboxKind::create_room
                                 ? connector.room_mention(delivery.id)
                                 : std::string{};
        co_await with_store([&] {
            store_.transaction([&] {
                store_.complete_outbox(item.id);
                // TODO: make room creation idempotent (find the room by name before creating
                // it); a crash between the server's answer and this commit creates it twice.
                if (item.kind == OutboxKind::create_room) {
                    engine_.on_room_created(item, delivery.id, mention);
                } else if (!delivery.id.empty()) {
                    // The platform may echo sitrep's own post back as an event: the post is
                    // already in the timeline, so the echo counts as seen.
                    (void)store_.remember_inbound(item.connector, delivery.id, clock_.now());
                }
            });
        });
        co_return;
    }

    // A failed send stays in the outbox and is tried again later; nothing is dropped.
    const auto& error = *delivery.error;
    const auto delay = backoff(item.attempts, error.retry_after);
    log_.warn(
        "outbox_send_failed outbox_id={} connector={} room={} kind={} attempt={} error={} "
        "retry_in_ms={}",
        item.id,
        item.connector,
        room,
        outbox_kind_name(item.kind),
        item.attempts + 1,
        error.code,
        delay.count()
    );
    const auto retry_at = clock_.now() + delay;
    co_await with_store([&] { store_.retry_outbox(item.id, error.code, retry_at); });
}

net::awaitable<void> Runtime::advance_to(Timestamp target, ManualClock& clock) {
    for (;;) {
        const auto next = co_await with_store([&] { return engine_.next_deadline(); });
        if (!next || *next > target) {
            break;
        }
        // Each deadline fires at its own moment, so its notice carries its own time.
        clock.set(std::max(*next, clock.now()));
        co_await with_store([&] { engine_.on_tick(); });
        co_await flush();
    }
    clock.set(std::max(target, clock.now()));
}

net::awaitable<void> Runtime::run_timers() {
    while (!stopped_) {
        co_await with_store([&] { engine_.on_tick(); });
        co_await flush();

        const auto next = co_await with_store([&] {
            auto deadline = engine_.next_deadline();
            const auto retry = store_.next_outbox_attempt();
            if (retry && (!deadline || *retry < *deadline)) {
                deadline = retry;
            }
            return deadline;
        });

        if (stopped_) {
            break;
        }
        const auto idle_until = clock_.now() + idle_wake;
        const auto wake_at = next && *next < idle_until ? *next : idle_until;
        timer_.expires_at(std::chrono::system_clock::time_point{wake_at.time_since_epoch()});
        co_await timer_.async_wait(as_result);  // cancelled by wake() or stop(): look again
    }
}

void Runtime::wake() {
    timer_.cancel();
}

void Runtime::stop() {
    stopped_ = true;
    timer_.cancel();
}

}  // namespace sitrep::bot
