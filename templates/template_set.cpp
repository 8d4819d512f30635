#include "templates/template_set.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <kainjow/mustache.hpp>

#include "templates/markdown_escape.hpp"

namespace sitrep::templates {

// Defined in the source file that templates/CMakeLists.txt generates from the *.mustache files.
std::string_view embedded_file(std::string_view name);

namespace {

namespace mustache = kainjow::mustache;

constexpr std::array<std::string_view, 2> template_names = {"postmortem", "decision_record"};

// A template is a page of markdown; a file far larger is a wrong path, not a template.
constexpr std::uintmax_t max_template_bytes = 1024 * 1024;

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string joined;
    for (std::size_t index = 0; index < parts.size(); ++index) {
        joined += index == 0 ? "" : separator;
        joined += parts[index];
    }
    return joined;
}

// ---- Loading ------------------------------------------------------------------------------

void check_override_names(const std::map<std::string, std::filesystem::path>& overrides) {
    for (const auto& [name, path] : overrides) {
        const bool known =
            std::find(template_names.begin(), template_names.end(), name) != template_names.end();
        if (!known) {
            throw TemplateError(
                "unknown template \"" + name + "\" (file " + path.string() +
                "); known: " + join({template_names.begin(), template_names.end()}, ", ")
            );
        }
    }
}

/// The text of an override file; `origin` names the template and the file in errors.
std::string read_template_file(const std::filesystem::path& path, const std::string& origin) {
    // An ifstream opens a directory without complaint and then reads nothing, so look first.
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::status(path, error);
    if (error) {
        throw TemplateError(origin + ": " + error.message());
    }
    if (!std::filesystem::is_regular_file(status)) {
        throw TemplateError(origin + ": not a regular file");
    }
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size > max_template_bytes) {
        throw TemplateError(origin + ": larger than 1 MiB; a template is a page of markdown");
    }

    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw TemplateError(origin + ": the file cannot be opened");
    }
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        throw TemplateError(origin + ": the file cannot be read");
    }
    return text;
}

/// "line 3, column 7" for a byte offset into `text`.
std::string line_and_column(std::string_view text, std::size_t offset) {
    const std::string_view before = text.substr(0, std::min(offset, text.size()));
    const auto line = std::count(before.begin(), before.end(), '\n') + 1;
    const auto line_start = before.rfind('\n');
    const auto column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/// kainjow's error ("Unclosed section \"x\" at 42") with the byte offset given as a line and
/// column, which is what a person editing the file can find.
std::string describe_mustache_error(const std::string& message, std::string_view text) {
    const auto at = message.rfind(" at ");
    if (at == std::string::npos) {
        return message;
    }
    const std::string_view digits = std::string_view(message).substr(at + 4);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return message;
    }
    return message.substr(0, at) + " at " + line_and_column(text, std::stoul(std::string(digits)));
}

/// A tag that another tag opens inside: `{{title}` followed later by `{{#x}}` (or `{{x}}`).
/// kainjow does not report it: it takes everything up to the next `}}` as one tag named
/// "title}\n{{#x" and renders nothing for it, which would silently cut the artifact short.
/// Only checked with the default delimiters; after a `{{=<% %>=}}` the probe render in
/// check_renders() still catches what goes wrong.
std::optional<std::string> find_tag_opened_inside_tag(std::string_view text) {
    if (text.find("{{=") != std::string_view::npos) {
        return std::nullopt;
    }
    for (auto open = text.find("{{"); open != std::string_view::npos;) {
        const auto inside = open + (text.substr(open).starts_with("{{{") ? 3 : 2);
        const auto close = text.find("}}", inside);
        if (close == std::string_view::npos) {
            return std::nullopt;  // kainjow reports an unclosed tag itself
        }
        if (text.substr(inside, close - inside).find("{{") != std::string_view::npos) {
            return "the tag at " + line_and_column(text, open) +
                   " is not closed before the next tag opens (a missing \"}\"?)";
        }
        open = text.find("{{", close + 2);
    }
    return std::nullopt;
}

mustache::mustache compile(const std::string& text, const std::string& origin) {
    mustache::mustache compiled(text);
    if (!compiled.is_valid()) {
        throw TemplateError(
            origin + ": " + describe_mustache_error(compiled.error_message(), text)
        );
    }
    if (const auto problem = find_tag_opened_inside_tag(text)) {
        throw TemplateError(origin + ": " + *problem);
    }
    compiled.set_custom_escape([](const std::string& value) { return markdown_escape(value); });
    return compiled;
}

/// How errors name a template: "template postmortem (/etc/sitrep/pm.mustache)", or
/// "built-in template postmortem".
std::string origin_of(
    std::string_view name, const std::map<std::string, std::filesystem::path>& overrides
) {
    if (const auto found = overrides.find(std::string(name)); found != overrides.end()) {
        return "template " + std::string(name) + " (" + found->second.string() + ")";
    }
    return "built-in template " + std::string(name);
}

mustache::mustache load_one(
    std::string_view name, const std::map<std::string, std::filesystem::path>& overrides
) {
    const std::string origin = origin_of(name, overrides);
    if (const auto found = overrides.find(std::string(name)); found != overrides.end()) {
        return compile(read_template_file(found->second, origin), origin);
    }

    const std::string_view embedded = embedded_file(name);
    if (embedded.empty()) {
        throw TemplateError(origin + " is missing");
    }
    return compile(std::string(embedded), origin);
}

// ---- Views as mustache data ---------------------------------------------------------------
// Every text field `x` comes with `has_x`, because mustache counts an empty string as true; every
// list `xs` with `has_xs` and `no_xs`, because `{{#xs}}` repeats for each item, which a template
// cannot use to write a table header once. Items of object lists carry their 1-based `number`.

void put_text(mustache::data& into, const std::string& name, const std::string& value) {
    into.set(name, value);
    into.set("has_" + name, !value.empty());
}

void put_flag(mustache::data& into, const std::string& name, bool value) {
    into.set(name, value);
}

template <typename Item, typename ToData>
void put_list(
    mustache::data& into, const std::string& name, const std::vector<Item>& items, ToData to_data
) {
    mustache::data list(mustache::data::type::list);
    for (std::size_t index = 0; index < items.size(); ++index) {
        mustache::data item = to_data(items[index]);
        if (item.is_object()) {
            item.set("number", std::to_string(index + 1));
        }
        list.push_back(item);
    }
    into.set(name, list);
    into.set("has_" + name, !items.empty());
    into.set("no_" + name, items.empty());
}

mustache::data text_data(const std::string& text) {
    return mustache::data(text);
}

mustache::data timeline_day_data(const TimelineDayView& day) {
    mustache::data data;
    put_text(data, "date", day.date);
    put_list(data, "entries", day.entries, [](const TimelineEntryView& entry) {
        mustache::data entry_data;
        put_text(entry_data, "time", entry.time);
        put_text(entry_data, "text", entry.text);
        return entry_data;
    });
    return data;
}

mustache::data containment_data(const ContainmentView& attempt) {
    mustache::data data;
    put_text(data, "started", attempt.started);
    put_text(data, "strategy", attempt.strategy);
    put_text(data, "what", attempt.what);
    put_text(data, "by", attempt.by);
    put_text(data, "outcome", attempt.outcome);
    return data;
}

mustache::data action_data(const ActionView& action) {
    mustache::data data;
    put_text(data, "text", action.text);
    put_text(data, "owner", action.owner);
    put_text(data, "due", action.due);
    put_text(data, "priority", action.priority);
    return data;
}

void put_header(mustache::data& data, const PostmortemView& view) {
    put_flag(data, "draft", view.draft);
    put_list(data, "missing", view.missing, text_data);
    // Joined here because mustache has no way to put separators between list items.
    put_text(data, "missing_text", join(view.missing, ", "));

    put_text(data, "reference", view.reference);
    put_text(data, "title", view.title);
    put_text(data, "severity", view.severity);
    put_text(data, "severity_definition", view.severity_definition);
    put_text(data, "date", view.date);
    put_text(data, "started", view.started);
    put_text(data, "ended", view.ended);
    put_text(data, "duration", view.duration);
    put_text(data, "timezone", view.timezone);
    put_text(data, "state", view.state);
}

void put_roles_and_checks(mustache::data& data, const PostmortemView& view) {
    put_text(data, "declared_by", view.declared_by);
    put_text(data, "commander", view.commander);
    put_text(data, "scribe", view.scribe);
    put_text(data, "comms", view.comms);

    put_text(data, "deadline", view.deadline);
    put_text(data, "deadline_outcome", view.deadline_outcome);
    put_flag(data, "deadline_held", view.deadline_held);

    put_text(data, "security", view.security);
    put_flag(data, "security_incident", view.security_incident);
}

void put_analysis(mustache::data& data, const PostmortemView& view) {
    put_text(data, "summary", view.summary);
    put_text(data, "impact_summary", view.impact_summary);
    put_text(data, "impact", view.impact);
    put_list(data, "timeline", view.timeline, timeline_day_data);
    put_list(data, "containment", view.containment, containment_data);
    put_text(data, "root_cause", view.root_cause);
    put_list(data, "contributing_factors", view.contributing_factors, text_data);
    put_list(data, "went_well", view.went_well, text_data);
    put_list(data, "went_wrong", view.went_wrong, text_data);
    put_list(data, "actions", view.actions, action_data);
    put_list(data, "lessons", view.lessons, text_data);
}

mustache::data postmortem_data(const PostmortemView& view) {
    mustache::data data;
    put_header(data, view);
    put_roles_and_checks(data, view);
    put_analysis(data, view);
    return data;
}

mustache::data decision_data(const DecisionView& decision) {
    mustache::data data;
    put_text(data, "when", decision.when);
    put_text(data, "decision", decision.decision);
    put_text(data, "by", decision.by);
    put_text(data, "context", decision.context);
    return data;
}

mustache::data decision_record_data(const DecisionRecordView& view) {
    mustache::data data;
    put_text(data, "reference", view.reference);
    put_text(data, "title", view.title);
    put_text(data, "date", view.date);
    put_text(data, "status", view.status);
    put_text(data, "timezone", view.timezone);
    put_list(data, "decisions", view.decisions, decision_data);
    return data;
}

// ---- Rendering ----------------------------------------------------------------------------

bool is_blank_line(std::string_view line) {
    return line.find_first_not_of(" \t") == std::string_view::npos;
}

/// kainjow leaves an empty line where a skipped section's closing tag stood. Markdown reads any
/// run of blank lines as one, so folding them changes nothing but keeps the file tidy.
std::string fold_blank_lines(std::string_view text) {
    std::string folded;
    folded.reserve(text.size());
    bool after_blank = true;  // also drops blank lines at the start
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);

        const bool blank = is_blank_line(line);
        if (!(blank && after_blank)) {
            folded += blank ? std::string_view() : line;
            folded += '\n';
        }
        after_blank = blank;
    }

    // One newline at the end, not an empty line.
    while (folded.size() >= 2 && folded.ends_with("\n\n")) {
        folded.pop_back();
    }
    return folded;
}

/// The rendered artifact without control characters but its line layout (line feed, carriage
/// return, tab): each other C0 control and DEL becomes U+FFFD. Escaped values have none left;
/// this catches what a template writes verbatim (`{{{x}}}`) or holds itself. A NUL would make
/// git treat the file as binary, an ESC would drive the terminal of whoever prints it.
std::string replace_raw_controls(std::string text) {
    constexpr std::string_view replacement = "\xEF\xBF\xBD";
    const auto is_raw_control = [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20U && c != '\n' && c != '\r' && c != '\t') || byte == 0x7FU;
    };
    if (std::none_of(text.begin(), text.end(), is_raw_control)) {
        return text;
    }

    std::string clean;
    clean.reserve(text.size() + 16);
    for (const char c : text) {
        if (is_raw_control(c)) {
            clean += replacement;
        } else {
            clean += c;
        }
    }
    return clean;
}

std::string render(const mustache::mustache& compiled, const mustache::data& data) {
    // kainjow's render is not const (it records errors in the template object); a copy keeps
    // one TemplateSet safe to render from several threads.
    mustache::mustache copy = compiled;
    return replace_raw_controls(fold_blank_lines(copy.render(data)));
}

// ---- Checking at load ---------------------------------------------------------------------
// Parsing cannot catch every broken template: kainjow accepts an empty file, and a tag with a
// brace missing in ways find_tag_opened_inside_tag() cannot see (after a delimiter change)
// swallows text. So each template also renders a probe incident at load, and one whose output
// is empty, reports an error, or lacks the probe's title is refused before anything runs.

constexpr std::string_view probe_title = "SitrepProbeTitle";

void check_renders(
    const mustache::mustache& compiled, const mustache::data& probe, const std::string& origin
) {
    mustache::mustache copy = compiled;
    const std::string output = fold_blank_lines(copy.render(probe));
    if (!copy.error_message().empty()) {
        throw TemplateError(origin + ": " + copy.error_message());
    }
    if (output.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw TemplateError(origin + ": renders nothing; it must at least show {{title}}");
    }
    if (output.find(probe_title) == std::string::npos) {
        throw TemplateError(
            origin +
            ": a test render does not show the incident's title; use {{title}}, and check that "
            "every tag is closed with \"}}\""
        );
    }
}

mustache::data probe_postmortem() {
    PostmortemView view;
    view.title = std::string(probe_title);
    return postmortem_data(view);
}

mustache::data probe_decision_record() {
    DecisionRecordView view;
    view.title = std::string(probe_title);
    return decision_record_data(view);
}

}  // namespace

struct TemplateSet::Compiled {
    mustache::mustache postmortem;
    mustache::mustache decision_record;
};

TemplateSet TemplateSet::load(const std::map<std::string, std::filesystem::path>& overrides) {
    check_override_names(overrides);
    auto postmortem = load_one("postmortem", overrides);
    check_renders(postmortem, probe_postmortem(), origin_of("postmortem", overrides));
    auto decision_record = load_one("decision_record", overrides);
    check_renders(
        decision_record, probe_decision_record(), origin_of("decision_record", overrides)
    );
    return TemplateSet(std::make_unique<Compiled>(Compiled{
        std::move(postmortem), std::move(decision_record)}));
}

TemplateSet::TemplateSet(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}

TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;

TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;

TemplateSet::~TemplateSet() = default;

std::string TemplateSet::render_postmortem(const PostmortemView& view) const {
    return render(compiled_->postmortem, postmortem_data(view));
}

std::string TemplateSet::render_decision_record(const DecisionRecordView& view) const {
    return render(compiled_->decision_record, decision_record_data(view));
}

}  // namespace sitrep::templates
