// SPDX-License-Identifier: MIT
// An activation must state its own derivative; there is no default.
// first error: ffn: the activation has value(sum) but no derivative(sum, output)
// expect: my_activation
#include <string_view>

#include <ffn/ffn.hpp>

struct my_activation {
    static constexpr std::string_view name = "my_activation";
    template <class Sum>
    auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.tanh();
    }
#ifdef FFN_COMPILE_FAIL_CONTROL
    template <class Sum, class Output>
    auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                    const Eigen::ArrayBase<Output>& output) const {
        return 1 - output.square();
    }
#endif
};

int main() {
    ffn::dense<2, 2, my_activation> layer;
    return static_cast<int>(layer.parameter_count());
}
