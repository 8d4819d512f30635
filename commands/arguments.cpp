#include "commands/arguments.hpp"

#include <algorithm>
#include <numeric>

#include "commands/command_parser.hpp"
#include "commands/text.hpp"

namespace sitrep::commands {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

int read_number(std::string_view digits) {
    int number = 0;
    for (const char c : digits) {
        number = number * 10 + (c - '0');
    }
    return number;
}

}  // namespace

std::string_view Arguments::raw(std::size_t index) const {
    const auto& token = tokens_[index];
    return line_.substr(token.begin, token.end - token.begin);
}

std::string Arguments::rest(std::size_t first) const {
    if (first >= tokens_.size()) {
        return {};
    }
    std::vector<std::size_t> indices(tokens_.size() - first);
    std::iota(indices.begin(), indices.end(), first);
    return text_of(indices);
}

std::string Arguments::text_of(std::span<const std::size_t> indices) const {
    // Words that are blank once unquoted say nothing, and blank characters at either end are
    // dropped: a no-break space or a quoted " " is no impact, no root cause, no evidence.
    const auto blank = [this](std::size_t index) {
        return text::trim(tokens_[index].value).empty();
    };
    if (std::all_of(indices.begin(), indices.end(), blank)) {
        return {};
    }
    if (indices.size() == 1 && tokens_[indices.front()].quoted) {
        return std::string(text::trim(tokens_[indices.front()].value));
    }

    std::string text;
    std::size_t run_start = 0;
    while (run_start < indices.size()) {
        auto run_end = run_start + 1;
        while (run_end < indices.size() && indices[run_end] == indices[run_end - 1] + 1) {
            ++run_end;
        }

        const auto begin = tokens_[indices[run_start]].begin;
        const auto end = tokens_[indices[run_end - 1]].end;
        const auto run = text::trim(line_.substr(begin, end - begin));
        if (!text.empty() && !run.empty()) {
            text += ' ';
        }
        text += run;
        run_start = run_end;
    }
    return text;
}

std::optional<std::string> find_choice(
    std::string_view typed, const std::vector<std::string>& choices
) {
    const auto found = std::find_if(choices.begin(), choices.end(), [typed](const auto& choice) {
        return text::iequals(typed, choice);
    });
    if (found == choices.end()) {
        return std::nullopt;
    }
    return *found;
}

bool is_mention(std::string_view candidate) {
    if (candidate.size() > max_mention_bytes ||
        std::any_of(candidate.begin(), candidate.end(), text::is_space)) {
        return false;
    }
    if (candidate.starts_with("<@")) {
        return candidate.size() > 3 && candidate.ends_with('>');
    }
    return candidate.size() > 1 && candidate.starts_with('@');
}

std::optional<std::chrono::year_month_day> read_iso_date(std::string_view text) {
    constexpr std::string_view shape = "dddd-dd-dd";
    if (text.size() != shape.size()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const bool fits = shape[i] == 'd' ? is_digit(text[i]) : text[i] == shape[i];
        if (!fits) {
            return std::nullopt;
        }
    }

    const std::chrono::year year{read_number(text.substr(0, 4))};
    const std::chrono::month month{static_cast<unsigned>(read_number(text.substr(5, 2)))};
    const std::chrono::day day{static_cast<unsigned>(read_number(text.substr(8, 2)))};
    return std::chrono::year_month_day{year, month, day};
}

}  // namespace sitrep::commands
