// SPDX-License-Identifier: MIT
// Float data given to a double network's predict: ffn names the mismatch, before Eigen's own message.
// first error: ffn::network::forward: the input's scalar type must be the network's scalar type
// expect: ffn::network::forward: the input's scalar type must be the network's scalar type
#include "float_data.hpp"

int main() {
    float_data::setup s;
    return s.net.predict(s.data)(0) > 0 ? 0 : 1;
}
