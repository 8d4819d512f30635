#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

namespace sitrep::bot {

/// A fixed table of enum values and their names, for the enums stored as text.
template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Enum, std::size_t N>
[[nodiscard]] constexpr std::string_view name_in(const EnumNames<Enum, N>& names, Enum value) {
    for (const auto& [candidate, name] : names) {
        if (candidate == value) {
            return name;
        }
    }
    return "?";
}

template <typename Enum, std::size_t N>
[[nodiscard]] constexpr std::optional<Enum> value_in(
    const EnumNames<Enum, N>& names, std::string_view text
) {
    for (const auto& [value, name] : names) {
        if (name == text) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace sitrep::bot
