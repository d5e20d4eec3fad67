// SPDX-License-Identifier: MIT
// A custom layer must provide everything the layer concept lists; this one lacks
// input_gradient, which the backward pass needs to reach the layers before it. Checking the
// type against the concept where it is written names the missing member with g++ and
// clang++ alike. (Used only as a layer of ffn::network, g++ 12 names the layer type but does
// not look inside the constraint over the whole pack of layers; clang++ names the member.)
// first error: ffn: a layer needs input_gradient(t, dest)
// expect: my_layer
#include <string>
#include <string_view>

#include <ffn/ffn.hpp>

/// A layer that scales its two inputs by one factor each (a diagonal weight matrix).
struct my_layer {
    using scalar_type = double;
    static constexpr std::string_view name = "scale";
    static constexpr Eigen::Index input_size = 2;
    static constexpr Eigen::Index output_size = 2;

    template <Eigen::Index Batch>
    struct trace_type {
        Eigen::Matrix<double, 2, Batch> sum, output, error_signal;
    };
    struct gradient_type {
        Eigen::Vector2d factors = Eigen::Vector2d::Zero();
    };

    [[nodiscard]] Eigen::Index inputs() const noexcept { return 2; }
    [[nodiscard]] Eigen::Index outputs() const noexcept { return 2; }
    [[nodiscard]] std::string shape_error() const { return {}; }

    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t) const {
        t.sum = factors.asDiagonal() * input;
        t.output = t.sum;
    }
    template <Eigen::Index Batch>
    void activation_backward(trace_type<Batch>& /*t*/) const {}
    template <class Input, Eigen::Index Batch>
    void gradient(const Eigen::MatrixBase<Input>& input, const trace_type<Batch>& t,
                  gradient_type& g) const {
        g.factors = t.error_signal.cwiseProduct(input).rowwise().sum();
    }
#ifdef FFN_COMPILE_FAIL_CONTROL
    template <Eigen::Index Batch, class Dest>
    void input_gradient(const trace_type<Batch>& t, Eigen::MatrixBase<Dest>& dest) const {
        dest.derived().resize(2, t.error_signal.cols());
        dest = factors.asDiagonal() * t.error_signal;
    }
#endif
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) const {
        f(std::string_view("factors"), factors, true, like.factors...);
    }

    Eigen::Vector2d factors = Eigen::Vector2d::Ones();
};

int main() {
    ffn::network<ffn::half_squared_error, my_layer> net;
    return static_cast<int>(net.inputs());
}
