// The one translation unit that compiles Asio, its SSL support and Beast (their separate
// compilation mode, enabled for every target through sitrep_asio). Other files include only
// the headers they use and link this.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
