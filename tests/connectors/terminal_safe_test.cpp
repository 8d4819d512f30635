#include "connectors/console/terminal_safe.hpp"

#include <string>

#include <gtest/gtest.h>

namespace sitrep::connectors {
namespace {

TEST(TerminalSafe, KeepsPrintableTextLineFeedsAndTabs) {
    const std::string text = "INC-1 | P1 — café 日本語 🔥\n\tindented ~`*[x]";
    EXPECT_EQ(terminal_safe(text), text);
    EXPECT_EQ(terminal_safe(""), "");
}

TEST(TerminalSafe, ShowsAsciiControlsAsHexEscapes) {
    EXPECT_EQ(terminal_safe("\x1b[2J"), "\\x1b[2J");
    EXPECT_EQ(terminal_safe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
    EXPECT_EQ(terminal_safe("over\rwrite"), "over\\x0dwrite");
    EXPECT_EQ(terminal_safe("back\bspace\x7f"), "back\\x08space\\x7f");
    EXPECT_EQ(terminal_safe(std::string("nul\0byte", 8)), "nul\\x00byte");
    EXPECT_EQ(terminal_safe("\v\f\x01\x1f"), "\\x0b\\x0c\\x01\\x1f");
}

TEST(TerminalSafe, ShowsC1ControlsAsCodePointEscapes) {
    EXPECT_EQ(
        terminal_safe("\xc2\x9b"
                      "2J"),
        "\\u009b2J"
    );  // CSI
    EXPECT_EQ(terminal_safe("a\xc2\x80z\xc2\x9f"), "a\\u0080z\\u009f");
    EXPECT_EQ(terminal_safe("\xc2\xa0\xc2\xa9"), "\xc2\xa0\xc2\xa9");  // U+00A0, U+00A9 stay
}

TEST(TerminalSafe, ShowsBidirectionalOverridesAsCodePointEscapes) {
    // "Trojan Source": a right-to-left override makes "approve" display as written backwards.
    EXPECT_EQ(terminal_safe("ok \u202eevorppa\u202c done"), "ok \\u202eevorppa\\u202c done");
    EXPECT_EQ(
        terminal_safe("\u202a\u202b\u202c\u202d\u202e"), "\\u202a\\u202b\\u202c\\u202d\\u202e"
    );
    EXPECT_EQ(terminal_safe("\u2066\u2067\u2068\u2069"), "\\u2066\\u2067\\u2068\\u2069");
    // Their neighbours are ordinary characters: U+2029 is a paragraph separator, U+206A a
    // deprecated format character; the marks U+200E and U+200F only nudge neutral characters.
    EXPECT_EQ(terminal_safe("\u2029\u2065\u206a\u200e\u200f"), "\u2029\u2065\u206a\u200e\u200f");
    EXPECT_EQ(terminal_safe("مرحبا hello"), "مرحبا hello");
}

TEST(TerminalSafe, ShowsBytesThatAreNotUtf8AsHexEscapes) {
    // A raw 0x9B is CSI to a terminal in an 8-bit mode.
    EXPECT_EQ(
        terminal_safe("\x9b"
                      "2J"),
        "\\x9b2J"
    );
    EXPECT_EQ(terminal_safe("cut \xe2\x80"), "cut \\xe2\\x80");
    EXPECT_EQ(terminal_safe("\xc0\x9b"), "\\xc0\\x9b");           // overlong
    EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
    EXPECT_EQ(terminal_safe("\xff\xfe"), "\\xff\\xfe");
}

}  // namespace
}  // namespace sitrep::connectors
