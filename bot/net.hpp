#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

/// Short names for the asynchronous libraries, defined once for the whole code base.
namespace sitrep {

namespace net = boost::asio;

/// Completion token that hands errors back as values: `auto [ec, n] = co_await ...`.
constexpr auto as_result = net::as_tuple(net::use_awaitable);

}  // namespace sitrep
