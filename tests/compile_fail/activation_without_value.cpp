// SPDX-License-Identifier: MIT
// An elementwise activation needs its value as well as its derivative; used in a network
// that runs a forward pass, ffn's message still comes first and alone.
// first error: ffn: the activation has derivative(sum, output) but no value(sum)
// expect: my_activation
#include <string_view>

#include <ffn/ffn.hpp>

struct my_activation {
    static constexpr std::string_view name = "my_activation";
#ifdef FFN_COMPILE_FAIL_CONTROL
    template <class Sum>
    auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.tanh();
    }
#endif
    template <class Sum, class Output>
    auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                    const Eigen::ArrayBase<Output>& output) const {
        return 1 - output.square();
    }
};

int main() {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, my_activation>>;
    const net_type net;
    ffn::workspace<net_type> ws;
    return net.forward(Eigen::Vector2d(0.5, 0.5), ws)(0) > 0 ? 0 : 1;
}
