#include "bot/incident.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sitrep::bot {
namespace {

using commands::NoteField;

Incident with_notes(const std::vector<std::pair<NoteField, std::string>>& notes) {
    Incident incident;
    for (const auto& [field, text] : notes) {
        incident.notes.push_back(PostmortemNote{field, text, "@alice", {}});
    }
    return incident;
}

TEST(Slugify, LowersAndJoinsWordsWithDashes) {
    EXPECT_EQ(slugify("Checkout errors on EU cluster"), "checkout-errors-on-eu-cluster");
}

TEST(Slugify, SplitsCamelCase) {
    EXPECT_EQ(slugify("CheckoutErrorRate"), "checkout-error-rate");
    EXPECT_EQ(slugify("Api500Errors"), "api500-errors");
    EXPECT_EQ(slugify("HTTPS down"), "https-down");
}

TEST(Slugify, CollapsesPunctuationRuns) {
    EXPECT_EQ(slugify("checkout -- errors!!! (5xx)"), "checkout-errors-5xx");
    EXPECT_EQ(slugify("  ...login: 503s...  "), "login-503s");
}

TEST(Slugify, DropsNonLatinCharacters) {
    EXPECT_EQ(slugify("Ошибка checkout"), "checkout");
    EXPECT_EQ(slugify("café down"), "caf-down");
}

TEST(Slugify, IsEmptyWithoutUsableCharacter) {
    EXPECT_EQ(slugify(""), "");
    EXPECT_EQ(slugify("Пожар в дата-центре"), "");
    EXPECT_EQ(slugify("🔥🔥🔥"), "");
    EXPECT_EQ(slugify("!!! ???"), "");
}

TEST(Slugify, CutsLongTitleAtWordBoundary) {
    const auto slug = slugify("Database connection pool exhausted on primary cluster");
    EXPECT_EQ(slug, "database-connection-pool-exhausted-on");
    EXPECT_LE(slug.size(), 40U);
}

TEST(Slugify, CutsAtFortyWhenNoBoundaryIsNearby) {
    const auto slug = slugify("a " + std::string(50, 'x'));
    EXPECT_EQ(slug, "a-" + std::string(38, 'x'));
}

TEST(Slugify, CutNeverEndsWithDash) {
    // The 41st character is a dash: the cut lands right before it.
    const auto slug = slugify(std::string(40, 'x') + " tail");
    EXPECT_EQ(slug, std::string(40, 'x'));
}

TEST(Slugify, KeepsExactlyFortyCharacters) {
    const std::string title(40, 'y');
    EXPECT_EQ(slugify(title), title);
}

TEST(Incident, LatestNoteIsTheNewestOfItsField) {
    const auto incident = with_notes({
        {NoteField::root_cause, "dns"},
        {NoteField::factor, "no canary"},
        {NoteField::root_cause, "bad config push"},
    });
    EXPECT_EQ(incident.latest_note(NoteField::root_cause), "bad config push");
    EXPECT_EQ(incident.latest_note(NoteField::factor), "no canary");
    EXPECT_EQ(incident.latest_note(NoteField::impact), "");
}

TEST(Incident, NotesOfListsFieldOldestFirst) {
    const auto incident = with_notes({
        {NoteField::factor, "no canary"},
        {NoteField::lesson, "stage first"},
        {NoteField::factor, "alert too late"},
    });
    EXPECT_EQ(
        incident.notes_of(NoteField::factor),
        (std::vector<std::string>{"no canary", "alert too late"})
    );
    EXPECT_EQ(incident.notes_of(NoteField::lesson), std::vector<std::string>{"stage first"});
    EXPECT_TRUE(incident.notes_of(NoteField::went_well).empty());
}

TEST(Incident, ReferenceAndArtifactName) {
    Incident incident;
    incident.id = 42;
    incident.slug = "checkout-errors";
    EXPECT_EQ(incident.reference(), "INC-42");
    incident.declared_on = "2026-12-03";
    EXPECT_EQ(incident.artifact_name(), "INCIDENT-2026-12-03-checkout-errors");
}

TEST(Incident, CurrentAttemptIsOnlyPendingLastAttempt) {
    Incident incident;
    EXPECT_EQ(incident.current_attempt(), nullptr);

    incident.attempts.push_back(ContainmentAttempt{
        "rollback", "reverted", "@bob", {}, AttemptOutcome::pending, {}, {}, {}});
    EXPECT_EQ(incident.current_attempt(), &incident.attempts.back());

    incident.attempts.back().outcome = AttemptOutcome::failed;
    EXPECT_EQ(incident.current_attempt(), nullptr);
}

TEST(IncidentState, NamesRoundTrip) {
    for (const auto state :
         {IncidentState::declared,
          IncidentState::triaged,
          IncidentState::containing,
          IncidentState::contained,
          IncidentState::resolved,
          IncidentState::closed}) {
        EXPECT_EQ(parse_state(state_name(state)), state) << state_name(state);
    }
    EXPECT_EQ(state_name(IncidentState::containing), "CONTAINING");
}

TEST(IncidentState, UnknownNameIsNotParsed) {
    EXPECT_EQ(parse_state("triaged"), std::nullopt);
    EXPECT_EQ(parse_state(""), std::nullopt);
    EXPECT_EQ(parse_state("OPEN"), std::nullopt);
}

TEST(AttemptOutcome, NamesRoundTrip) {
    for (const auto outcome :
         {AttemptOutcome::pending,
          AttemptOutcome::verified,
          AttemptOutcome::failed,
          AttemptOutcome::down,
          AttemptOutcome::superseded}) {
        EXPECT_EQ(parse_outcome(outcome_name(outcome)), outcome) << outcome_name(outcome);
    }
    EXPECT_EQ(outcome_name(AttemptOutcome::superseded), "superseded");
    EXPECT_EQ(parse_outcome("VERIFIED"), std::nullopt);
}

}  // namespace
}  // namespace sitrep::bot
