// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The umbrella header: includes all of ffn.

#include "ffn/version.hpp"
#include "ffn/errors.hpp"

#include "ffn/concepts/activation.hpp"
#include "ffn/concepts/layer.hpp"
#include "ffn/concepts/loss.hpp"
#include "ffn/concepts/scalar.hpp"

#include "ffn/activations/sigmoid.hpp"

#include "ffn/losses/half_squared_error.hpp"

#include "ffn/layers/bias.hpp"
#include "ffn/layers/dense.hpp"

#include "ffn/network.hpp"

#include "ffn/optimizers/sgd.hpp"
