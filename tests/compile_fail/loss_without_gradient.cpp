// SPDX-License-Identifier: MIT
// A loss must provide its gradient with respect to the network's output.
// first error: ffn: the loss has no gradient(output, target)
// expect: my_loss
#include <string_view>

#include <ffn/ffn.hpp>

struct my_loss {
    static constexpr std::string_view name = "my_loss";
    template <class Output, class Target>
    typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                  const Eigen::MatrixBase<Target>& target) const {
        return (output - target).squaredNorm();
    }
#ifdef FFN_COMPILE_FAIL_CONTROL
    template <class Output, class Target>
    auto gradient(const Eigen::MatrixBase<Output>& output,
                  const Eigen::MatrixBase<Target>& target) const {
        return 2 * (output - target);
    }
#endif
};

int main() {
    ffn::network<my_loss, ffn::dense<2, 2, ffn::sigmoid>> net;
    return static_cast<int>(net.parameter_count());
}
