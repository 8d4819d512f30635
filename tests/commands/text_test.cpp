#include "commands/text.hpp"

#include <gtest/gtest.h>

namespace sitrep::commands::text {
namespace {

TEST(CutUtf8, KeepsTextThatFits) {
    EXPECT_EQ(cut_utf8("disk full", 9), "disk full");
    EXPECT_EQ(cut_utf8("", 0), "");
}

TEST(CutUtf8, CutsAndMarksWithinTheLimit) {
    const auto cut = cut_utf8("checkout is down for everyone", 12);
    EXPECT_EQ(cut, "checkout …");
    EXPECT_LE(cut.size(), 12U);
}

TEST(CutUtf8, NeverSplitsACharacter) {
    // "Zürich" is Z, ü (two bytes), r, i, c, h: a cut inside ü steps back before it.
    EXPECT_EQ(cut_utf8("Zürich", 5), "Z…");
    // Four-byte emoji are kept whole or not at all.
    EXPECT_EQ(cut_utf8("🔥🔥🔥", 9), "🔥…");
}

TEST(CutUtf8, LimitSmallerThanTheMarkGivesNothing) {
    EXPECT_EQ(cut_utf8("overload", 2), "");
}

}  // namespace
}  // namespace sitrep::commands::text
