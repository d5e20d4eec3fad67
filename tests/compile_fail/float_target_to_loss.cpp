// SPDX-License-Identifier: MIT
// A float target given to a double network's loss: ffn names the mismatch, before Eigen's own message.
// first error: ffn::network: the target's scalar type must be the network's scalar type
// expect: ffn::network: the target's scalar type must be the network's scalar type
#include "float_data.hpp"

int main() {
    float_data::setup s;
    s.net.forward(s.x, s.ws);
    return s.net.loss(s.ws, s.data) > 0 ? 0 : 1;
}
