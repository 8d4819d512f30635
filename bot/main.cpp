// The `sitrep` command line: the console, and the operator's tools for the data directory.

#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "bot/cli.hpp"
#include "bot/config.hpp"
#include "connectors/console/terminal_safe.hpp"
#include "templates/template_set.hpp"

namespace {

using namespace sitrep;
using namespace sitrep::cli;
using connectors::terminal_safe;

void add_common_options(CLI::App& command, CommonOptions& options) {
    command.add_option(
        "--config", options.config_file, "Configuration file laid over the built-in default"
    );
    command.add_option("--data-dir", options.data_dir, "Where the database and artifacts live");
}

int report(const std::exception& e, int code) {
    std::cerr << "sitrep: " << terminal_safe(e.what()) << '\n';
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sitrep — an incident-response bot for chat"};
    app.require_subcommand(1);

    constexpr const char* incident_help =
        "INC-<n>, <n>, the slug or the artifact name INCIDENT-<date>-<slug>";

    ConsoleOptions console;
    auto* console_command = app.add_subcommand("console", "Run incidents in the terminal");
    add_common_options(*console_command, console.common);
    console_command->add_option("--script", console.script, "Replay a script in simulated time");
    console_command->add_flag("--echo", console.echo, "Print each script line before the answers");
    console_command->add_option("--user", console.user, "Who you are when typing (one word)");

    std::filesystem::path config_to_check;
    auto* check_command = app.add_subcommand("check-config", "Validate a configuration file");
    check_command->add_option("file", config_to_check, "The file")->required();

    CommonOptions listing;
    auto* incidents_command = app.add_subcommand("incidents", "List the latest incidents");
    add_common_options(*incidents_command, listing);

    CommonOptions timeline_options;
    std::string timeline_reference;
    auto* timeline_command = app.add_subcommand("timeline", "Print an incident's full timeline");
    add_common_options(*timeline_command, timeline_options);
    timeline_command->add_option("incident", timeline_reference, incident_help)->required();

    CommonOptions postmortem_options;
    std::string postmortem_reference;
    bool postmortem_write = false;
    auto* postmortem_command = app.add_subcommand(
        "postmortem", "Print an incident's postmortem as it stands; --write saves it"
    );
    add_common_options(*postmortem_command, postmortem_options);
    postmortem_command->add_option("incident", postmortem_reference, incident_help)->required();
    postmortem_command->add_flag(
        "--write",
        postmortem_write,
        "Write the postmortem and decision record into the data directory instead"
    );

    // A mistake on the command line is a usage error like any other: exit code 2.
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : exit_usage;
    }

    try {
        if (console_command->parsed()) {
            return run_console(console);
        }
        if (check_command->parsed()) {
            return check_config(config_to_check);
        }
        if (incidents_command->parsed()) {
            return list_incidents(listing);
        }
        if (timeline_command->parsed()) {
            return show_timeline(timeline_options, timeline_reference);
        }
        if (postmortem_command->parsed()) {
            return render_postmortem(postmortem_options, postmortem_reference, postmortem_write);
        }
    } catch (const UsageError& e) {
        return report(e, exit_usage);
    } catch (const bot::ConfigError& e) {
        return report(e, exit_usage);
    } catch (const templates::TemplateError& e) {
        return report(e, exit_usage);
    } catch (const std::exception& e) {
        return report(e, exit_failure);
    }
    return 0;
}
