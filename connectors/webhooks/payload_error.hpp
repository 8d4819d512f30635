#pragma once

#include <string>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace sitrep::connectors {

/// Why a webhook body was refused, precisely enough for the sender to fix it:
/// "missing field \"groupKey\"", "malformed JSON at byte 17: ...".
struct PayloadError {
    std::string message;
};

/// Lets boost::system::result<T, PayloadError> throw when its value is taken without a check.
[[noreturn]] void throw_exception_from_error(
    const PayloadError& error, const boost::source_location& location
);

template <typename T>
using PayloadResult = boost::system::result<T, PayloadError>;

}  // namespace sitrep::connectors
