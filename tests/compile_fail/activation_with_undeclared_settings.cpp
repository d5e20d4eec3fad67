// SPDX-License-Identifier: MIT
// An activation with a data member (a setting) that it does not declare cannot be saved: no
// file could restore it.
// The message is ffn's only error, but clang++ shows the six calls from save_bytes down to
// the check, three lines each, and the message's own advice is long.
// lines: 35
// first error: does not declare its settings, so a file could not restore it
// expect: does not declare its settings, so a file could not restore it
// expect: setting_names
#include <array>
#include <string_view>

#include <ffn/io/save.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

class scaled_identity {
public:
    static constexpr std::string_view name = "scaled_identity";
    scaled_identity() = default;
    explicit scaled_identity(double scale) : scale_(scale) {}
#ifdef FFN_COMPILE_FAIL_CONTROL
    static constexpr std::array<std::string_view, 1> setting_names = {"scale"};
    [[nodiscard]] std::array<double, 1> settings() const noexcept { return {scale_}; }
#endif
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return static_cast<typename Sum::Scalar>(scale_) * sum;
    }
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return Sum::Constant(sum.rows(), sum.cols(), static_cast<scalar>(scale_));
    }

private:
    double scale_ = 1.0;
};

int main() {
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, scaled_identity>> net;
    return static_cast<int>(ffn::save_bytes(net).size());
}
