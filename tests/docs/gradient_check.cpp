// SPDX-License-Identifier: MIT
// docs/getting_started.md quotes this file whole: ffn::check_gradients passes a network whose
// backward pass is right and catches an activation whose derivative is wrong.
#include <cstdio>
#include <string_view>

#include <ffn/ffn.hpp>

// softsign(x) = x / (1 + |x|), whose derivative is 1 / (1 + |x|)^2; this one forgets the
// square.
struct careless_softsign {
    static constexpr std::string_view name = "careless_softsign";

    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return sum / (scalar(1) + sum.abs());
    }

    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (scalar(1) + sum.abs()).inverse(); // should be squared
    }
};

template <class Hidden>
using net_type = ffn::network<ffn::mean_squared_error, ffn::dense<2, 3, Hidden>,
                              ffn::dense<3, 1, ffn::identity>>;

template <class Net>
void check(const char* title) {
    Net net;
    ffn::initialize(net, ffn::glorot_uniform{}, 7);
    Eigen::Matrix<double, 2, 4> input;
    input << 0.5, -1, 0.25, 2, //
        1, 0.5, -0.75, 0;
    const Eigen::Matrix<double, 1, 4> target(0.5, -0.5, 1, 0);

    const ffn::gradient_check_result result = ffn::check_gradients(net, input, target);
    std::printf("%s\n%s", title, result.to_string().c_str());
    std::printf("%s\n\n", result.max_relative_error < 1e-7 ? "agrees" : "DIFFERS");
}

int main() {
    check<net_type<ffn::tanh>>("tanh hidden layer:");
    check<net_type<careless_softsign>>("careless_softsign hidden layer:");
}
