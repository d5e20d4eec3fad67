// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// The umbrella header: includes all of ffn.

#include "ffn/version.hpp"
#include "ffn/errors.hpp"

#include "ffn/concepts/activation.hpp"
#include "ffn/concepts/initializer.hpp"
#include "ffn/concepts/layer.hpp"
#include "ffn/concepts/loss.hpp"
#include "ffn/concepts/network.hpp"
#include "ffn/concepts/optimizer.hpp"
#include "ffn/concepts/scalar.hpp"

#include "ffn/activations/elu.hpp"
#include "ffn/activations/gelu.hpp"
#include "ffn/activations/identity.hpp"
#include "ffn/activations/leaky_relu.hpp"
#include "ffn/activations/relu.hpp"
#include "ffn/activations/sigmoid.hpp"
#include "ffn/activations/silu.hpp"
#include "ffn/activations/softmax.hpp"
#include "ffn/activations/softplus.hpp"
#include "ffn/activations/tanh.hpp"

#include "ffn/losses/binary_cross_entropy.hpp"
#include "ffn/losses/categorical_cross_entropy.hpp"
#include "ffn/losses/half_squared_error.hpp"
#include "ffn/losses/huber.hpp"
#include "ffn/losses/mean_squared_error.hpp"

#include "ffn/layers/bias.hpp"
#include "ffn/layers/batch_norm.hpp"
#include "ffn/layers/dense.hpp"
#include "ffn/layers/dropout.hpp"
#include "ffn/layers/training.hpp"

#include "ffn/network.hpp"
#include "ffn/batch_predictor.hpp"
#include "ffn/product_space.hpp"

#include "ffn/init/distribution.hpp"
#include "ffn/init/constant.hpp"
#include "ffn/init/uniform.hpp"
#include "ffn/init/normal.hpp"
#include "ffn/init/glorot.hpp"
#include "ffn/init/he.hpp"
#include "ffn/init/lecun.hpp"
#include "ffn/init/initialize.hpp"

#include "ffn/optimizers/sgd.hpp"
#include "ffn/optimizers/adam.hpp"
#include "ffn/optimizers/adamw.hpp"
#include "ffn/optimizers/rmsprop.hpp"
#include "ffn/optimizers/schedules.hpp"
#include "ffn/optimizers/clipping.hpp"

#include "ffn/train/options.hpp"
#include "ffn/train/history.hpp"
#include "ffn/train/split.hpp"
#include "ffn/train/fit.hpp"
#include "ffn/train/progress.hpp"
#include "ffn/train/evaluate.hpp"
#include "ffn/train/metrics.hpp"

#include "ffn/gradient_check.hpp"
#include "ffn/explain.hpp"
#include "ffn/summary.hpp"

#include "ffn/io/save.hpp"
#include "ffn/io/load.hpp"
#include "ffn/io/safetensors.hpp"
#include "ffn/io/cpp_source.hpp"
#include "ffn/io/file.hpp"
#include "ffn/io/dot.hpp"
