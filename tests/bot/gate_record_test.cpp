#include "bot/gate_record.hpp"

#include <string>

#include <gtest/gtest.h>

namespace sitrep::bot {
namespace {

TEST(GateRecord, AcceptedDecisionReadsAsSentence) {
    EXPECT_EQ(
        gate_record_text({"triage", true, "severity P2 by alice"}),
        "triage accepted: severity P2 by alice"
    );
}

TEST(GateRecord, RefusedDecisionReadsAsSentence) {
    EXPECT_EQ(
        gate_record_text({"containment", false, "no strategy applied"}),
        "containment refused: no strategy applied"
    );
}

TEST(GateRecord, ParsesAcceptedRecord) {
    const auto decision = parse_gate_record("security accepted: BLOCK by @dave");
    ASSERT_TRUE(decision);
    EXPECT_EQ(decision->gate, "security");
    EXPECT_TRUE(decision->accepted);
    EXPECT_EQ(decision->detail, "BLOCK by @dave");
}

TEST(GateRecord, ParsesRefusedRecord) {
    const auto decision = parse_gate_record("order refused: INC-7 is CLOSED");
    ASSERT_TRUE(decision);
    EXPECT_EQ(decision->gate, "order");
    EXPECT_FALSE(decision->accepted);
    EXPECT_EQ(decision->detail, "INC-7 is CLOSED");
}

TEST(GateRecord, RoundTripsEveryGate) {
    for (const auto* gate : {"triage", "containment", "security", "postmortem", "order"}) {
        for (const bool accepted : {true, false}) {
            const GateDecision original{gate, accepted, "severity P2 → P1 by @carol: \"why\""};
            const auto parsed = parse_gate_record(gate_record_text(original));
            ASSERT_TRUE(parsed) << gate;
            EXPECT_EQ(parsed->gate, original.gate);
            EXPECT_EQ(parsed->accepted, original.accepted);
            EXPECT_EQ(parsed->detail, original.detail);
        }
    }
}

TEST(GateRecord, RefusalWhoseDetailMentionsAcceptedParsesAsRefusal) {
    const GateDecision original{"postmortem", false, "the item accepted: earlier is gone"};
    const auto parsed = parse_gate_record(gate_record_text(original));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->gate, "postmortem");
    EXPECT_FALSE(parsed->accepted);
    EXPECT_EQ(parsed->detail, "the item accepted: earlier is gone");
}

TEST(GateRecord, EmptyDetailRoundTrips) {
    const auto parsed = parse_gate_record(gate_record_text({"order", true, ""}));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->gate, "order");
    EXPECT_EQ(parsed->detail, "");
}

TEST(GateRecord, OtherTextIsNotParsed) {
    EXPECT_FALSE(parse_gate_record(""));
    EXPECT_FALSE(parse_gate_record("TRIAGE: P2 — login returns 503"));
    EXPECT_FALSE(parse_gate_record("triage accepted severity P2"));
    EXPECT_FALSE(parse_gate_record("the triage accepted: severity P2"));
}

}  // namespace
}  // namespace sitrep::bot
