// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The size check of layers that have as many outputs as inputs (dropout, batch normalisation).

#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/errors.hpp"

namespace ffn::detail {

/// Throws `std::invalid_argument` unless `inputs == outputs`, both positive and equal to
/// `fixed` when it is not `Eigen::Dynamic`; `where` and `kind` name the layer ("ffn::dropout",
/// "a dropout layer").
inline void check_same_size_layer(std::string_view where, std::string_view kind, Eigen::Index fixed,
                                  Eigen::Index inputs, Eigen::Index outputs) {
    if (inputs > 0 && inputs == outputs && (fixed == Eigen::Dynamic || inputs == fixed)) {
        return;
    }
    std::string message(where);
    message += ": ";
    message += kind;
    message += " has as many outputs as inputs";
    if (fixed != Eigen::Dynamic) {
        message += " (";
        message += std::to_string(fixed);
        message += ")";
    }
    message += ", and at least one; got ";
    message += std::to_string(inputs);
    message += " inputs and ";
    message += std::to_string(outputs);
    message += " outputs";
    raise(std::invalid_argument(message));
}

} // namespace ffn::detail
