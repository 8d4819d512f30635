#include "bot/logging.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace sitrep::bot {

std::string_view log_pattern() {
    return "%Y-%m-%dT%H:%M:%S.%e%z %l %n %v";
}

Loggers make_loggers(std::string_view level, const std::filesystem::path& file) {
    const auto parsed = spdlog::level::from_str(std::string{level});
    if (parsed == spdlog::level::off && level != "off") {
        throw std::runtime_error("unknown log level \"" + std::string{level} + "\"");
    }

    spdlog::sink_ptr sink;
    if (file.empty()) {
        sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
        std::filesystem::create_directories(file.parent_path());
        sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string());
    }
    // Log times are UTC whatever the machine's zone, so lines from several hosts sort.
    sink->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        std::string{log_pattern()}, spdlog::pattern_time_type::utc
    ));

    auto make = [&](const char* name) {
        auto logger = std::make_shared<spdlog::logger>(name, sink);
        logger->set_level(parsed);
        logger->flush_on(spdlog::level::warn);
        // A failing sink must never take the service down; say so once on stderr instead.
        logger->set_error_handler([](const std::string& message) {
            std::fprintf(stderr, "sitrep: logging failed: %s\n", message.c_str());
        });
        return logger;
    };
    return Loggers{make("bot"), make("store"), make("connector.console")};
}

}  // namespace sitrep::bot
