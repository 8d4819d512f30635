#include "connectors/webhooks/payload_error.hpp"

#include <stdexcept>

#include <boost/throw_exception.hpp>

namespace sitrep::connectors {

void throw_exception_from_error(const PayloadError& error, const boost::source_location& location) {
    boost::throw_exception(std::invalid_argument(error.message), location);
}

}  // namespace sitrep::connectors
