#pragma once

#include <map>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>

#include "bot/alert.hpp"
#include "bot/connector.hpp"
#include "bot/engine.hpp"
#include "bot/inbound_message.hpp"
#include "bot/net.hpp"
#include "bot/store_thread.hpp"

namespace spdlog {
class logger;
}

namespace sitrep::bot {

/// The asynchronous shell around the engine, on one io_context: hands inbound events to the
/// engine on the store thread, delivers the outbox through the connectors (in order per
/// incident, retrying with back-off until the chat server confirms), and wakes the engine for
/// deadlines. Touched only from the I/O thread.
class Runtime {
public:
    Runtime(
        net::io_context& io,
        Engine& engine,
        IncidentStore& store,
        StoreThread& store_thread,
        const Clock& clock,
        spdlog::logger& log
    );

    void add_connector(Connector& connector);

    /// A message from a connector: stored and handled before this returns, then the outbox
    /// is delivered.
    net::awaitable<void> deliver(InboundMessage message);

    /// An alerting system's notification, for rooms of `connector`.
    net::awaitable<void> deliver(AlertNotification notification, std::string connector);

    /// Sends every outbox item that is due; items that fail wait for their retry.
    net::awaitable<void> flush();

    /// For simulated time: moves the manual clock to `target`, running each deadline at the
    /// moment it falls due on the way.
    net::awaitable<void> advance_to(Timestamp target, ManualClock& clock);

    /// For real time: runs deadlines and outbox retries when they fall due, until stop().
    net::awaitable<void> run_timers();

    /// Wakes run_timers() early: something due may have changed.
    void wake();

    void stop();

private:
    /// Runs `work` on the store thread, trying again while the database is locked by another
    /// connection.
    template <typename Work>
    net::awaitable<std::invoke_result_t<Work&>> with_store(Work work);

    net::awaitable<bool> drain_once();
    net::awaitable<Delivery> send(Connector& connector, const OutboxItem& item, std::string room);
    net::awaitable<void> after_delivery(
        const OutboxItem& item,
        const Delivery& delivery,
        Connector& connector,
        const std::string& room
    );

    Engine& engine_;
    IncidentStore& store_;
    StoreThread& store_thread_;
    const Clock& clock_;
    spdlog::logger& log_;
    std::map<std::string, Connector*, std::less<>> connectors_;
    net::system_timer timer_;
    net::steady_timer flush_done_;  ///< never expires; cancelled when a flush finishes
    bool flushing_ = false;
    bool flush_again_ = false;
    bool stopped_ = false;

    /// Incidents whose oldest unsent item failed, with that item's id: nothing later of theirs
    /// goes out before it does. Read from the outbox at the first drain after a start.
    std::map<std::int64_t, std::int64_t> blocked_;
    bool blocked_loaded_ = false;
};

}  // namespace sitrep::bot
