#include "bot/effect.hpp"

namespace sitrep::bot {

std::string_view post_kind_name(PostKind kind) {
    switch (kind) {
        case PostKind::reply:
            return "reply";
        case PostKind::prompt:
            return "prompt";
        case PostKind::status:
            return "status";
        case PostKind::notice:
            return "notice";
    }
    return "reply";
}

}  // namespace sitrep::bot
