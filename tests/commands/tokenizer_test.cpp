#include "commands/tokenizer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sitrep::commands {
namespace {

std::vector<std::string> values_of(const Tokens& tokens) {
    std::vector<std::string> values;
    for (const auto& token : tokens.tokens) {
        values.push_back(token.value);
    }
    return values;
}

std::vector<std::string> words(std::string_view source) {
    const auto tokens = tokenize(source);
    EXPECT_FALSE(tokens.error.has_value()) << "unexpected error for: " << source;
    return values_of(tokens);
}

using Words = std::vector<std::string>;

TEST(Tokenizer, ReturnsNothingForEmptyInput) {
    const auto tokens = tokenize("");

    EXPECT_TRUE(tokens.tokens.empty());
    EXPECT_FALSE(tokens.error.has_value());
}

TEST(Tokenizer, ReturnsNothingForWhiteSpaceOnly) {
    const auto tokens = tokenize(" \t\r\n\v\f ");

    EXPECT_TRUE(tokens.tokens.empty());
    EXPECT_FALSE(tokens.error.has_value());
}

TEST(Tokenizer, SplitsOnAnyAsciiWhiteSpace) {
    EXPECT_EQ(words("a b\tc\nd\r\ne\vf\fg"), (Words{"a", "b", "c", "d", "e", "f", "g"}));
}

TEST(Tokenizer, RecordsByteOffsetsOfBareWords) {
    const auto tokens = tokenize("  ab   cde ");

    ASSERT_EQ(tokens.tokens.size(), 2U);
    EXPECT_EQ(tokens.tokens[0].begin, 2U);
    EXPECT_EQ(tokens.tokens[0].end, 4U);
    EXPECT_FALSE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[1].begin, 7U);
    EXPECT_EQ(tokens.tokens[1].end, 10U);
}

TEST(Tokenizer, KeepsSpacesInsideDoubleQuotes) {
    const auto tokens = tokenize(R"(x "login  503s" y)");

    ASSERT_EQ(tokens.tokens.size(), 3U);
    EXPECT_EQ(tokens.tokens[1].value, "login  503s");
    EXPECT_TRUE(tokens.tokens[1].quoted);
    EXPECT_EQ(tokens.tokens[1].begin, 2U);
    EXPECT_EQ(tokens.tokens[1].end, 15U);
}

TEST(Tokenizer, KeepsSpacesInsideSingleQuotes) {
    const auto tokens = tokenize("'login 503s'");

    ASSERT_EQ(tokens.tokens.size(), 1U);
    EXPECT_EQ(tokens.tokens[0].value, "login 503s");
    EXPECT_TRUE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[0].end, 12U);
}

TEST(Tokenizer, AcceptsTypographicDoubleQuotes) {
    const std::string source = "a \u201Clogin 503s\u201D b";
    const auto tokens = tokenize(source);

    ASSERT_EQ(tokens.tokens.size(), 3U);
    EXPECT_EQ(tokens.tokens[1].value, "login 503s");
    EXPECT_TRUE(tokens.tokens[1].quoted);
    EXPECT_EQ(tokens.tokens[1].begin, 2U);
    EXPECT_EQ(tokens.tokens[1].end, source.size() - 2);
}

TEST(Tokenizer, AcceptsTypographicSingleQuotes) {
    EXPECT_EQ(words("\u2018login 503s\u2019 b"), (Words{"login 503s", "b"}));
}

TEST(Tokenizer, AppliesBackslashEscapesInsideDoubleQuotes) {
    EXPECT_EQ(words(R"("say \"hi\" \\ now")"), (Words{R"(say "hi" \ now)"}));
}

TEST(Tokenizer, AppliesBackslashEscapesInsideTypographicDoubleQuotes) {
    EXPECT_EQ(words("\u201Ca \\\u201D b\u201D"), (Words{"a \u201D b"}));
}

TEST(Tokenizer, KeepsBackslashOutsideQuotes) {
    EXPECT_EQ(words(R"(C:\temp \" x\)"), (Words{R"(C:\temp)", R"(\")", R"(x\)"}));
}

TEST(Tokenizer, KeepsBackslashInsideSingleQuotes) {
    EXPECT_EQ(words(R"('a\b' 'c\')"), (Words{R"(a\b)", R"(c\)"}));
}

TEST(Tokenizer, TreatsApostropheInsideWordAsLiteral) {
    EXPECT_EQ(words("the cache's TTL don't"), (Words{"the", "cache's", "TTL", "don't"}));
}

TEST(Tokenizer, TreatsQuoteInsideWordAsLiteral) {
    EXPECT_EQ(
        words(R"(a 5" wide foo"bar baz")"), (Words{"a", R"(5")", "wide", R"(foo"bar)", R"(baz")"})
    );
}

TEST(Tokenizer, KeepsApostropheInsideSingleQuotedWord) {
    const auto tokens = tokenize("'don't panic' x");

    ASSERT_EQ(tokens.tokens.size(), 2U);
    EXPECT_EQ(tokens.tokens[0].value, "don't panic");
    EXPECT_TRUE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[0].end, 13U);
}

TEST(Tokenizer, KeepsTypographicApostropheInsideTypographicSingleQuotes) {
    EXPECT_EQ(words("\u2018don\u2019t panic\u2019"), (Words{"don\u2019t panic"}));
}

TEST(Tokenizer, KeepsNonAsciiApostropheContextInsideSingleQuotes) {
    EXPECT_EQ(words("'l'\u00E9t\u00E9'"), (Words{"l'\u00E9t\u00E9"}));
}

TEST(Tokenizer, JoinsTextAfterClosingQuoteToSameWord) {
    const auto tokens = tokenize(R"("cache"'s TTL)");

    ASSERT_EQ(tokens.tokens.size(), 2U);
    EXPECT_EQ(tokens.tokens[0].value, "cache's");
    EXPECT_FALSE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[0].begin, 0U);
    EXPECT_EQ(tokens.tokens[0].end, 9U);
    EXPECT_EQ(tokens.tokens[1].value, "TTL");
}

TEST(Tokenizer, DoesNotCloseDoubleQuoteWithTypographicQuote) {
    EXPECT_EQ(words("\"a\u201D b\""), (Words{"a\u201D b"}));
}

TEST(Tokenizer, ReadsEmptyQuotedWord) {
    const auto tokens = tokenize(R"("" '')");

    ASSERT_EQ(tokens.tokens.size(), 2U);
    EXPECT_EQ(tokens.tokens[0].value, "");
    EXPECT_TRUE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[1].value, "");
    EXPECT_TRUE(tokens.tokens[1].quoted);
}

TEST(Tokenizer, ReportsUnclosedDoubleQuoteWithItsOffset) {
    const auto tokens = tokenize(R"(a "b c)");

    ASSERT_TRUE(tokens.error.has_value());
    EXPECT_EQ(tokens.error->message, "unclosed quote");
    EXPECT_EQ(tokens.error->offset, 2U);
    EXPECT_EQ(values_of(tokens), (Words{"a"}));
}

TEST(Tokenizer, ReportsUnclosedSingleQuote) {
    const auto tokens = tokenize("'90s config");

    ASSERT_TRUE(tokens.error.has_value());
    EXPECT_EQ(tokens.error->offset, 0U);
    EXPECT_TRUE(tokens.tokens.empty());
}

TEST(Tokenizer, ReportsUnclosedTypographicQuotes) {
    EXPECT_TRUE(tokenize("\u201Cabc").error.has_value());
    EXPECT_TRUE(tokenize("\u2018abc").error.has_value());
}

TEST(Tokenizer, ReportsAsciiQuoteClosedByTypographicQuote) {
    EXPECT_TRUE(tokenize("\"abc\u201D").error.has_value());
    EXPECT_TRUE(tokenize("\u201Cabc\"").error.has_value());
}

TEST(Tokenizer, ReportsEscapedClosingQuoteAsUnclosed) {
    EXPECT_TRUE(tokenize(R"("abc\")").error.has_value());
}

TEST(Tokenizer, ReportsBackslashAtEndInsideQuotesAsUnclosed) {
    EXPECT_TRUE(tokenize(R"("abc\)").error.has_value());
}

TEST(Tokenizer, ReportsLoneQuote) {
    for (const auto* source : {"\"", "'", "\u201C", "\u2018"}) {
        const auto tokens = tokenize(source);

        ASSERT_TRUE(tokens.error.has_value()) << source;
        EXPECT_EQ(tokens.error->offset, 0U) << source;
    }
}

TEST(Tokenizer, ReadsRunOfQuotesAsOneWord) {
    const auto tokens = tokenize(R"("""")");

    ASSERT_EQ(tokens.tokens.size(), 1U);
    EXPECT_EQ(tokens.tokens[0].value, R"("")");
    EXPECT_FALSE(tokens.tokens[0].quoted);
    EXPECT_EQ(tokens.tokens[0].end, 4U);
}

TEST(Tokenizer, ReadsClosingTypographicQuotesAtWordStartAsLiteral) {
    EXPECT_EQ(words("\u201D \u2019tis"), (Words{"\u201D", "\u2019tis"}));
}

TEST(Tokenizer, TreatsNulBytesAsOrdinaryBytes) {
    const std::string source("a\0b \"c\0d\"", 9);
    const auto tokens = tokenize(source);

    ASSERT_FALSE(tokens.error.has_value());
    EXPECT_EQ(values_of(tokens), (Words{std::string("a\0b", 3), std::string("c\0d", 3)}));
}

TEST(Tokenizer, PassesUtf8Through) {
    EXPECT_EQ(
        words("\U0001F525 \u00FCn\u00EFc\u00F6d\u00E9 \u65E5\u672C\u8A9E"),
        (Words{"\U0001F525", "\u00FCn\u00EFc\u00F6d\u00E9", "\u65E5\u672C\u8A9E"})
    );
}

TEST(Tokenizer, PassesInvalidUtf8Through) {
    const std::string source = "\xE2\x80 \xFF\xFE \"\xC3\"";

    EXPECT_EQ(words(source), (Words{"\xE2\x80", "\xFF\xFE", "\xC3"}));
}

TEST(Tokenizer, ReadsPartialTypographicQuoteAtEndAsBytes) {
    EXPECT_EQ(words("\xE2\x80"), (Words{"\xE2\x80"}));
    EXPECT_EQ(words("\xE2"), (Words{"\xE2"}));
}

TEST(Tokenizer, HandlesVeryLongWord) {
    const std::string source(1'000'000, 'x');
    const auto tokens = tokenize(source);

    ASSERT_EQ(tokens.tokens.size(), 1U);
    EXPECT_EQ(tokens.tokens[0].value.size(), source.size());
    EXPECT_EQ(tokens.tokens[0].end, source.size());
}

TEST(Tokenizer, HandlesManyQuotes) {
    const std::string source(100'001, '"');
    const auto tokens = tokenize(source);

    ASSERT_EQ(tokens.tokens.size(), 1U);
    EXPECT_EQ(tokens.tokens[0].value.size(), 99'999U);
}

TEST(Tokenizer, OffsetsCoverTheSourceVerbatim) {
    const std::string source = R"(  the "cache"  was 'stale' )";
    const auto tokens = tokenize(source);

    ASSERT_EQ(tokens.tokens.size(), 4U);
    const auto begin = tokens.tokens.front().begin;
    const auto end = tokens.tokens.back().end;
    EXPECT_EQ(source.substr(begin, end - begin), R"(the "cache"  was 'stale')");
}

}  // namespace
}  // namespace sitrep::commands
