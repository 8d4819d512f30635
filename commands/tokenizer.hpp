#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Splits a command line into words, honouring the quotes people type and the typographic
/// quotes chat clients substitute for them.
///
/// The rules:
/// - Words are separated by ASCII white space. Every other byte, NUL and invalid UTF-8
///   included, is part of a word.
/// - A quote opens a quoted word only at the start of a word: "double", 'single',
///   “typographic double” and ‘typographic single’. Each closes only with its own partner.
///   A quote anywhere else is literal, so `cache's` and `5"` are plain words.
/// - Inside double quotes (either kind) a backslash makes the next byte literal. Elsewhere a
///   backslash is an ordinary character, so paths like `C:\temp` survive.
/// - Inside single quotes (either kind) a closing quote followed by a letter, digit or non-ASCII
///   byte is an apostrophe, not the end: 'don't panic' is one word.
/// - Text straight after a closing quote belongs to the same word, literally: "cache"'s.
/// - A quote that never closes is an error.
namespace sitrep::commands {

/// One word of a command line.
struct Token {
    std::string value;      ///< the word with its quotes removed and escapes applied
    std::size_t begin = 0;  ///< offset of its first byte in the source, opening quote included
    std::size_t end = 0;    ///< offset one past its last byte, closing quote included
    bool quoted = false;    ///< the whole word is one quoted string, like "login 503s"
};

/// Why a line could not be split.
struct TokenizeError {
    std::string message;     ///< "unclosed quote"
    std::size_t offset = 0;  ///< where the offending quote opened
};

/// The words of a line. On error, the words before the offending one, and the error.
struct Tokens {
    std::vector<Token> tokens;
    std::optional<TokenizeError> error;
};

[[nodiscard]] Tokens tokenize(std::string_view source);

}  // namespace sitrep::commands
