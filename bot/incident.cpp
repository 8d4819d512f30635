#include "bot/incident.hpp"

#include <utility>

#include <fmt/format.h>

#include "bot/enum_names.hpp"

namespace sitrep::bot {

namespace {

constexpr EnumNames<IncidentState, 6> state_names{
    std::pair{IncidentState::declared, std::string_view{"DECLARED"}},
    std::pair{IncidentState::triaged, std::string_view{"TRIAGED"}},
    std::pair{IncidentState::containing, std::string_view{"CONTAINING"}},
    std::pair{IncidentState::contained, std::string_view{"CONTAINED"}},
    std::pair{IncidentState::resolved, std::string_view{"RESOLVED"}},
    std::pair{IncidentState::closed, std::string_view{"CLOSED"}},
};

constexpr EnumNames<AttemptOutcome, 5> outcome_names{
    std::pair{AttemptOutcome::pending, std::string_view{"pending"}},
    std::pair{AttemptOutcome::verified, std::string_view{"verified"}},
    std::pair{AttemptOutcome::failed, std::string_view{"failed"}},
    std::pair{AttemptOutcome::down, std::string_view{"down"}},
    std::pair{AttemptOutcome::superseded, std::string_view{"superseded"}},
};

constexpr std::size_t max_slug_length = 40;

}  // namespace

std::string_view state_name(IncidentState state) {
    return name_in(state_names, state);
}

std::optional<IncidentState> parse_state(std::string_view name) {
    return value_in(state_names, name);
}

std::string_view outcome_name(AttemptOutcome outcome) {
    return name_in(outcome_names, outcome);
}

std::optional<AttemptOutcome> parse_outcome(std::string_view name) {
    return value_in(outcome_names, name);
}

std::string Incident::reference() const {
    return fmt::format("INC-{}", id);
}

std::string Incident::artifact_name() const {
    return fmt::format("INCIDENT-{}-{}", declared_on, slug);
}

std::string Incident::latest_note(commands::NoteField field) const {
    for (auto it = notes.rbegin(); it != notes.rend(); ++it) {
        if (it->field == field) {
            return it->text;
        }
    }
    return {};
}

std::vector<std::string> Incident::notes_of(commands::NoteField field) const {
    std::vector<std::string> texts;
    for (const auto& note : notes) {
        if (note.field == field) {
            texts.push_back(note.text);
        }
    }
    return texts;
}

const ContainmentAttempt* Incident::current_attempt() const {
    if (attempts.empty() || attempts.back().outcome != AttemptOutcome::pending) {
        return nullptr;
    }
    return &attempts.back();
}

ContainmentAttempt* Incident::current_attempt() {
    return const_cast<ContainmentAttempt*>(std::as_const(*this).current_attempt());
}

std::string slugify(std::string_view title) {
    std::string slug;
    bool pending_dash = false;
    bool after_lower = false;

    // Keep ASCII letters and digits; any run of other characters becomes one dash, and so
    // does a step from lower to upper case ("CheckoutErrorRate" → "checkout-error-rate").
    for (const char c : title) {
        const auto u = static_cast<unsigned char>(c);
        const bool lower = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
        const bool upper = u >= 'A' && u <= 'Z';
        if (!lower && !upper) {
            pending_dash = !slug.empty();
            after_lower = false;
            continue;
        }
        if (pending_dash || (upper && after_lower)) {
            slug += '-';
            pending_dash = false;
        }
        slug += static_cast<char>(upper ? u - 'A' + 'a' : u);
        after_lower = lower;
    }

    // A long title is cut at a word boundary where there is one.
    if (slug.size() > max_slug_length) {
        const auto cut = slug.rfind('-', max_slug_length);
        slug.resize(cut != std::string::npos && cut > max_slug_length / 2 ? cut : max_slug_length);
        while (!slug.empty() && slug.back() == '-') {
            slug.pop_back();
        }
    }
    return slug;
}

}  // namespace sitrep::bot
