#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "templates/postmortem_view.hpp"

namespace sitrep::templates {

/// A template that cannot be read or does not parse. Raised at start-up, never while running.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The mustache templates sitrep renders artifacts with: the defaults compiled into the binary
/// from templates/*.mustache, each replaceable by a file named in the configuration.
///
/// Text that responders typed is escaped for markdown by the renderer (`{{name}}`), so a `|`
/// stays inside its table cell and a leading `#` does not become a heading. Templates that want
/// a value verbatim use `{{{name}}}`.
///
/// Besides the views' fields, templates get `has_x` for each text field `x` (mustache counts an
/// empty string as true), `has_xs` and `no_xs` for each list `xs`, a 1-based `number` in each
/// item of a list of records, and `missing_text`, the missing items joined with ", ". Runs of
/// blank lines in the output fold into one, so a section that renders nothing leaves no gap.
class TemplateSet {
public:
    /// Template names: "postmortem", "decision_record".
    /// Throws TemplateError naming the file and what is wrong: a mustache error (with its line
    /// and column), a file that is not a regular file or is over 1 MiB, or a template whose
    /// test render is empty or does not show the incident's title.
    static TemplateSet load(const std::map<std::string, std::filesystem::path>& overrides = {});

    TemplateSet(TemplateSet&&) noexcept;
    TemplateSet& operator=(TemplateSet&&) noexcept;
    ~TemplateSet();

    [[nodiscard]] std::string render_postmortem(const PostmortemView& view) const;
    [[nodiscard]] std::string render_decision_record(const DecisionRecordView& view) const;

private:
    struct Compiled;
    explicit TemplateSet(std::unique_ptr<Compiled> compiled);

    std::unique_ptr<Compiled> compiled_;
};

}  // namespace sitrep::templates
