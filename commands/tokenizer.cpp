#include "commands/tokenizer.hpp"

#include <array>

#include "commands/text.hpp"

namespace sitrep::commands {

namespace {

struct QuotePair {
    std::string_view open;
    std::string_view close;
    bool escapes;      ///< a backslash makes the next byte literal
    bool apostrophes;  ///< a closing quote inside a word is an apostrophe
};

// The typographic quotes are written as UTF-8 bytes so the source does not depend on the
// compiler's execution character set.
constexpr std::array<QuotePair, 4> quote_pairs{{
    {"\"", "\"", true, false},
    {"\xE2\x80\x9C", "\xE2\x80\x9D", true, false},  // “ ”
    {"'", "'", false, true},
    {"\xE2\x80\x98", "\xE2\x80\x99", false, true},  // ‘ ’
}};

const QuotePair* opening_quote_at(std::string_view source, std::size_t pos) {
    for (const auto& pair : quote_pairs) {
        if (source.substr(pos).starts_with(pair.open)) {
            return &pair;
        }
    }
    return nullptr;
}

// Letters, digits and anything non-ASCII (l’été) count: an apostrophe sits between them.
bool is_word_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') ||
           (byte >= 'A' && byte <= 'Z') || byte >= 0x80U;
}

bool closes_at(std::string_view source, std::size_t pos, const QuotePair& pair) {
    if (!source.substr(pos).starts_with(pair.close)) {
        return false;
    }
    const auto after = pos + pair.close.size();
    return !(pair.apostrophes && after < source.size() && is_word_byte(source[after]));
}

Token read_bare(std::string_view source, std::size_t begin) {
    auto end = begin;
    while (end < source.size() && !text::is_space(source[end])) {
        ++end;
    }
    return Token{std::string(source.substr(begin, end - begin)), begin, end, false};
}

// Returns nullopt when the quote never closes.
std::optional<Token> read_quoted(
    std::string_view source, std::size_t begin, const QuotePair& pair
) {
    Token token{{}, begin, begin, true};
    auto pos = begin + pair.open.size();

    for (;;) {
        if (pos >= source.size()) {
            return std::nullopt;
        }
        if (pair.escapes && source[pos] == '\\') {
            if (pos + 1 >= source.size()) {
                return std::nullopt;
            }
            token.value += source[pos + 1];
            pos += 2;
            continue;
        }
        if (closes_at(source, pos, pair)) {
            pos += pair.close.size();
            break;
        }
        token.value += source[pos];
        ++pos;
    }

    // Whatever touches the closing quote stays in the word, as typed.
    const auto tail = read_bare(source, pos);
    token.value += tail.value;
    token.quoted = tail.value.empty();
    token.end = tail.end;
    return token;
}

}  // namespace

Tokens tokenize(std::string_view source) {
    Tokens result;
    std::size_t pos = 0;

    for (;;) {
        while (pos < source.size() && text::is_space(source[pos])) {
            ++pos;
        }
        if (pos == source.size()) {
            return result;
        }

        const auto* quote = opening_quote_at(source, pos);
        if (quote == nullptr) {
            result.tokens.push_back(read_bare(source, pos));
        } else if (auto token = read_quoted(source, pos, *quote)) {
            result.tokens.push_back(std::move(*token));
        } else {
            result.error = TokenizeError{"unclosed quote", pos};
            return result;
        }
        pos = result.tokens.back().end;
    }
}

}  // namespace sitrep::commands
