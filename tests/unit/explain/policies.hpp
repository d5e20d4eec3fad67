// SPDX-License-Identifier: MIT
#pragma once

// Policies the explanation tests need beyond ffn's own: activations with and without a
// notation, a vector-valued activation, and a loss fused with its output activation. Each
// follows its concept's contract; the formulas are the textbook ones.

#include <cmath>
#include <string_view>

#include <Eigen/Core>

#include <ffn/activations/sigmoid.hpp>

namespace explain_test {

/// tanh, with its derivative 1 - tanh^2 taken from the output.
struct tanh_activation {
    static constexpr std::string_view name = "test_tanh";
    static constexpr std::string_view derivative_notation = "1 - out^2";

    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.tanh();
    }
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& /*sum*/,
                                  const Eigen::ArrayBase<Output>& output) const {
        using scalar = typename Output::Scalar;
        return scalar(1) - output.square();
    }
};

/// softplus, log(1 + e^x), whose derivative is the sigmoid of the sum. It states no notation,
/// so explanations fall back to f'(sum).
struct softplus_activation {
    static constexpr std::string_view name = "test_softplus";

    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        using scalar = typename Sum::Scalar;
        return (scalar(1) + sum.exp()).log();
    }
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return (scalar(1) + (-sum).exp()).inverse();
    }
};

/// softmax over each column: out_m = e^{sum_m} / sum_k e^{sum_k}; its Jacobian is
/// dout_m/dsum_j = out_m (delta_mj - out_j).
struct softmax_activation {
    static constexpr std::string_view name = "test_softmax";
    static constexpr std::string_view derivative_notation = "out_m(delta_mj - out_j)";

    template <class Sum, class Output>
    void forward(const Eigen::MatrixBase<Sum>& sum, Eigen::MatrixBase<Output>& output) const {
        for (Eigen::Index s = 0; s < sum.cols(); ++s) {
            const auto top = sum.col(s).maxCoeff();
            output.col(s) = (sum.col(s).array() - top).exp().matrix();
            output.col(s) /= output.col(s).sum();
        }
    }
    template <class Sum, class Output, class Signal>
    void backward(const Eigen::MatrixBase<Sum>& /*sum*/, const Eigen::MatrixBase<Output>& output,
                  Eigen::MatrixBase<Signal>& signal) const {
        for (Eigen::Index s = 0; s < output.cols(); ++s) {
            const auto dot = output.col(s).dot(signal.col(s));
            signal.col(s) = (output.col(s).array() * (signal.col(s).array() - dot)).matrix();
        }
    }
};

/// Binary cross-entropy, -sum_k [t log o + (1 - t) log(1 - o)] per sample, mean over the
/// batch; fused with the sigmoid, whose error signal is then o - t.
struct binary_cross_entropy {
    static constexpr std::string_view name = "test_binary_cross_entropy";
    static constexpr std::string_view gradient_notation = "(out - target) / (out(1 - out))";
    static constexpr std::string_view error_signal_notation = "out - target";

    template <class Output, class Target>
    [[nodiscard]] typename Output::Scalar value(const Eigen::MatrixBase<Output>& output,
                                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        const auto o = output.array();
        const auto t = target.array();
        return -(t * o.log() + (scalar(1) - t) * (scalar(1) - o).log()).sum() /
               static_cast<scalar>(output.cols());
    }
    template <class Output, class Target>
    [[nodiscard]] auto gradient(const Eigen::MatrixBase<Output>& output,
                                const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return ((output - target).array() / (output.array() * (scalar(1) - output.array())) /
                static_cast<scalar>(output.cols()))
            .matrix();
    }
    template <class Sum, class Target>
    [[nodiscard]] typename Sum::Scalar value_from_sum(
        const ffn::sigmoid& a, const Eigen::MatrixBase<Sum>& sum,
        const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Sum::Scalar;
        const Eigen::Matrix<scalar, Eigen::Dynamic, Eigen::Dynamic> output =
            a.value(sum.array()).matrix();
        return value(output, target);
    }
    template <class Sum, class Output, class Target>
    [[nodiscard]] auto error_signal(const ffn::sigmoid& /*a*/,
                                    const Eigen::MatrixBase<Sum>& /*sum*/,
                                    const Eigen::MatrixBase<Output>& output,
                                    const Eigen::MatrixBase<Target>& target) const {
        using scalar = typename Output::Scalar;
        return (output - target) / static_cast<scalar>(output.cols());
    }
};

/// A deterministic, irregular value for weight (row, col) of layer `layer`, in about
/// [-0.8, 0.8], so that tests need no random generator.
inline double test_weight(int layer, Eigen::Index row, Eigen::Index col) {
    return 0.8 * std::sin(1.7 * static_cast<double>(row) + 0.9 * static_cast<double>(col) +
                          2.3 * layer + 0.4);
}

/// Sets every weight and bias of layer `I` of `net` from test_weight.
template <std::size_t I, class Net>
void fill_layer(Net& net) {
    using scalar = typename Net::scalar_type;
    auto& layer = net.template layer<I>();
    for (Eigen::Index r = 0; r < layer.weights().rows(); ++r) {
        for (Eigen::Index c = 0; c < layer.weights().cols(); ++c) {
            layer.weights()(r, c) = static_cast<scalar>(test_weight(static_cast<int>(I), r, c));
        }
    }
    for (Eigen::Index r = 0; r < layer.bias().size(); ++r) {
        layer.bias()(r) = static_cast<scalar>(0.3 * test_weight(static_cast<int>(I) + 7, r, 3));
    }
}

template <class Net>
void fill(Net& net) {
    [&net]<std::size_t... I>(std::index_sequence<I...> /*unused*/) { (fill_layer<I>(net), ...); }
    (std::make_index_sequence<Net::layer_count>{});
}

} // namespace explain_test
