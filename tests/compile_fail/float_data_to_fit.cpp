// SPDX-License-Identifier: MIT
// Float data given to ffn::fit for a double network: ffn names the mismatch, before Eigen's own message.
// first error: ffn::fit: the inputs' and targets' scalar types must be the network's scalar type
// expect: ffn::fit: the inputs' and targets' scalar types must be the network's scalar type
#include "float_data.hpp"

int main() {
    float_data::setup s;
    ffn::sgd optimizer(s.net, 0.1);
    const auto history = ffn::fit(s.net, optimizer, s.data, s.data);
    return static_cast<int>(history.epochs.size());
}
