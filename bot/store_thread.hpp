#pragma once

#include <type_traits>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>

#include "bot/net.hpp"

namespace sitrep::bot {

/// The one thread that owns the SQLite connection. SQLite calls block, so they never run on
/// the I/O thread: a coroutine hands its store work here and resumes when it is done.
/// Work runs one piece at a time, in the order it was handed over.
class StoreThread {
public:
    StoreThread() : pool_(1) {}

    StoreThread(const StoreThread&) = delete;
    StoreThread& operator=(const StoreThread&) = delete;

    ~StoreThread() { pool_.join(); }

    /// Runs `work()` on the store thread and returns its result; an exception it throws is
    /// rethrown in the awaiting coroutine.
    template <typename Work>
    net::awaitable<std::invoke_result_t<Work&>> run(Work work) {
        using Result = std::invoke_result_t<Work&>;
        if constexpr (std::is_void_v<Result>) {
            co_await net::co_spawn(
                pool_,
                [&work]() -> net::awaitable<void> {
                    work();
                    co_return;
                },
                net::use_awaitable
            );
        } else {
            co_return co_await net::co_spawn(
                pool_, [&work]() -> net::awaitable<Result> { co_return work(); }, net::use_awaitable
            );
        }
    }

private:
    net::thread_pool pool_;
};

}  // namespace sitrep::bot
