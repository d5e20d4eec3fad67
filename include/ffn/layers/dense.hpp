// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::dense`: a fully connected layer, \f$output = f(W \cdot input + b)\f$.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/concepts/activation.hpp"
#include "ffn/concepts/scalar.hpp"
#include "ffn/concepts/settings.hpp"
#include "ffn/detail/storage.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/bias.hpp"
#include "ffn/product_space.hpp"

namespace ffn {

/// A fully connected layer of `Out` units, each seeing all `In` inputs.
///
/// The weights form an `Out x In` matrix whose row `j` holds the weights into unit `j`, so for
/// the lecture's hidden layer \f$W = [[w_1, w_3], [w_2, w_4]]\f$ and
/// \f$sum = W \cdot input + b\f$. Either size may be `Eigen::Dynamic`; it is then given to the
/// constructor. A new layer's weights and biases are zero: set them by hand or with an
/// initializer.
///
/// Parameters can be frozen: a frozen tensor still gets its gradient computed, but optimizers
/// leave it unchanged (the lecture updates its weights and keeps its biases).
///
/// @tparam In         number of inputs, or `Eigen::Dynamic`
/// @tparam Out        number of units (outputs), or `Eigen::Dynamic`
/// @tparam Activation the activation policy (see concepts/activation.hpp)
/// @tparam Scalar     `float` or `double`
/// @tparam Bias       `per_unit_bias` (default), `shared_bias` or `no_bias`
template <Eigen::Index In, Eigen::Index Out, class Activation = detail::no_activation,
          class Scalar = double, bias_policy Bias = per_unit_bias>
class dense {
    // Checked here rather than in the template's constraints, so that a mistake is reported
    // by ffn's own message, naming what is missing.
    using checked_activation_ = std::bool_constant<detail::check_activation<Activation>()>;
    using checked_scalar_ = std::bool_constant<detail::check_scalar<Scalar>()>;
    static_assert(In == Eigen::Dynamic || In > 0,
                  "ffn::dense: the number of inputs In must be positive or Eigen::Dynamic.");
    static_assert(Out == Eigen::Dynamic || Out > 0,
                  "ffn::dense: the number of units Out must be positive or Eigen::Dynamic.");

public:
    using scalar_type = Scalar;         ///< The number type of the parameters.
    using activation_type = Activation; ///< The activation policy.
    using bias_type = Bias;             ///< The bias policy.
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "dense";
    /// The number of inputs, or `Eigen::Dynamic`.
    static constexpr Eigen::Index input_size = In;
    /// The number of units, or `Eigen::Dynamic`.
    static constexpr Eigen::Index output_size = Out;
    /// The number of biases the policy gives `Out` units, or `Eigen::Dynamic`.
    static constexpr Eigen::Index bias_size = Bias::size(Out);

    /// The weights' matrix type, `Out x In` (on the heap when large; see detail/storage.hpp).
    using weight_matrix = detail::matrix<Scalar, Out, In>;
    /// The biases' vector type.
    using bias_vector = detail::matrix<Scalar, bias_size, 1>;

    /// What a forward pass leaves behind for one layer; `Batch` is the number of samples
    /// (columns), fixed or `Eigen::Dynamic`.
    template <Eigen::Index Batch>
    struct trace_type {
        /// The type of the three matrices: one row per unit, one column per sample.
        using matrix_type = detail::matrix<Scalar, Out, Batch>;
        /// The weighted sums, \f$W \cdot input + b\f$ (the lecture's \f$sum_{h1}\f$).
        matrix_type sum = detail::zero_matrix<Scalar, Out, Batch>();
        /// The activations of the sums (the lecture's \f$output_{h1}\f$).
        matrix_type output = detail::zero_matrix<Scalar, Out, Batch>();
        /// After a backward pass: the error signal \f$\partial E / \partial sum\f$.
        matrix_type error_signal = detail::zero_matrix<Scalar, Out, Batch>();
        /// The packing buffers of the layer's large products (`ffn::product_space`); scratch,
        /// so the `const` backward members may use them.
        [[no_unique_address]] mutable detail::products_for<Scalar, Out, In, Batch> products =
            detail::make_products<Scalar, Out, In, Batch, true>();
    };

    /// The gradient of the loss with respect to each parameter tensor (same shapes).
    struct gradient_type {
        /// \f$\partial E / \partial W\f$, the shape of the weights.
        weight_matrix weights = detail::zero_matrix<Scalar, Out, In>();
        /// \f$\partial E / \partial b\f$, the shape of the biases.
        bias_vector bias = detail::zero_matrix<Scalar, bias_size, 1>();
    };

    /// With fixed sizes, a layer with zero weights and biases. With a dynamic size, an empty
    /// layer (no weights): good only to load into or to assign to; a network that holds one
    /// refuses every other use with `std::invalid_argument`.
    dense()
        : weights_(
              weight_matrix::Zero(Out == Eigen::Dynamic ? 0 : Out, In == Eigen::Dynamic ? 0 : In)),
          bias_(bias_vector::Zero(Bias::size(Out == Eigen::Dynamic ? 0 : Out))) {}

    /// A layer with `inputs` inputs and `outputs` units, zero weights and biases.
    /// @throws std::invalid_argument if a size is not positive or contradicts a fixed size.
    dense(Eigen::Index inputs, Eigen::Index outputs, const Activation& activation = Activation{})
        : activation_(activation) {
        check_size("inputs", inputs, In);
        check_size("units", outputs, Out);
        weights_ = weight_matrix::Zero(outputs, inputs);
        bias_ = bias_vector::Zero(Bias::size(outputs));
    }

    /// Number of inputs.
    [[nodiscard]] Eigen::Index inputs() const noexcept { return weights_.cols(); }
    /// Number of units (outputs).
    [[nodiscard]] Eigen::Index outputs() const noexcept { return weights_.rows(); }
    /// Number of trainable values (weights and biases).
    [[nodiscard]] Eigen::Index parameter_count() const noexcept {
        return weights_.size() + bias_.size();
    }

    /// The `outputs() x inputs()` weights; row `j` holds the weights into unit `j`.
    [[nodiscard]] weight_matrix& weights() noexcept { return weights_; }
    /// The weights, read-only.
    [[nodiscard]] const weight_matrix& weights() const noexcept { return weights_; }
    /// The biases (`outputs()` of them, one, or none, following the bias policy).
    [[nodiscard]] bias_vector& bias() noexcept { return bias_; }
    /// The biases, read-only.
    [[nodiscard]] const bias_vector& bias() const noexcept { return bias_; }
    /// The activation policy object.
    [[nodiscard]] const Activation& activation() const noexcept { return activation_; }
    /// Replaces the activation policy object (its settings: a leaky relu's slope, say).
    void set_activation(const Activation& activation) noexcept(
        std::is_nothrow_copy_assignable_v<Activation>) {
        activation_ = activation;
    }

    /// Freeze (or unfreeze) the weights: optimizers then leave them unchanged.
    void freeze_weights(bool frozen = true) noexcept { weights_frozen_ = frozen; }
    /// Freeze (or unfreeze) the biases: optimizers then leave them unchanged.
    void freeze_bias(bool frozen = true) noexcept { bias_frozen_ = frozen; }
    /// Whether optimizers leave the weights unchanged.
    [[nodiscard]] bool weights_frozen() const noexcept { return weights_frozen_; }
    /// Whether optimizers leave the biases unchanged.
    [[nodiscard]] bool bias_frozen() const noexcept { return bias_frozen_; }

    /// Empty if the tensors' shapes are consistent; otherwise what is wrong (possible only
    /// after resizing a tensor by hand). Allocates nothing when the shapes are right.
    [[nodiscard]] std::string shape_error() const {
        if (weights_.size() == 0) {
            return "the layer is empty (a network with dynamic sizes made by its default "
                   "constructor holds no parameters until ffn::load, ffn::load_safetensors or "
                   "an assignment gives it some)";
        }
        if (bias_.size() != Bias::size(weights_.rows())) {
            return "the layer has " + std::to_string(weights_.rows()) + " units and " +
                   std::to_string(bias_.size()) + " biases, but its bias policy '" +
                   std::string(Bias::name) + "' needs " +
                   std::to_string(Bias::size(weights_.rows()));
        }
        return {};
    }

    /// Forward pass: `t.sum = W * input + b`, `t.output = f(t.sum)`.
    /// @pre `input.rows() == inputs()` (the network checks it).
    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t) const {
        t.sum.resize(outputs(), input.cols());
        t.products.multiply(t.sum, weights_, input);
        Bias::add(bias_, t.sum);
        t.output.resize(outputs(), input.cols());
        detail::activate(activation_, t);
    }

    /// Inference pass: `output = f(W * input + b)`, keeping nothing else (no sums), for
    /// `ffn::network::predict`. Only with an element-wise activation, which is applied in
    /// place; a vector-valued one (softmax) goes through `forward`, which keeps the sums.
    /// `products` is the space the inference workspace keeps for the layer's product.
    /// @pre `input.rows() == inputs()` (the network checks it).
    template <class Input, class Output, class Products>
    requires elementwise_activation<Activation>
    void infer(const Eigen::MatrixBase<Input>& input, Eigen::MatrixBase<Output>& output,
               Products& products) const {
        output.derived().resize(outputs(), input.cols());
        products.multiply(output, weights_, input);
        Bias::add(bias_, output);
        output.array() = activation_.value(output.array());
    }

    /// Turns `t.error_signal` from \f$\partial E / \partial output\f$ into
    /// \f$\partial E / \partial sum\f$, in place (the chain rule through the activation).
    template <Eigen::Index Batch>
    void activation_backward(trace_type<Batch>& t) const {
        detail::activate_backward(activation_, t);
    }

    /// Parameter gradients from the error signal: \f$\partial E / \partial W =
    /// signal \cdot input^T\f$ and \f$\partial E / \partial b\f$ by the bias policy.
    template <class Input, Eigen::Index Batch>
    void gradient(const Eigen::MatrixBase<Input>& input, const trace_type<Batch>& t,
                  gradient_type& g) const {
        g.weights.resize(outputs(), inputs());
        t.products.multiply(g.weights, t.error_signal, input.transpose());
        g.bias.resize(bias_.size());
        Bias::gradient(t.error_signal, g.bias);
    }

    /// The gradient with respect to the layer's input, \f$W^T \cdot signal\f$, which is the
    /// previous layer's \f$\partial E / \partial output\f$.
    template <Eigen::Index Batch, class Dest>
    void input_gradient(const trace_type<Batch>& t, Eigen::MatrixBase<Dest>& dest) const {
        dest.derived().resize(inputs(), t.error_signal.cols());
        t.products.multiply(dest, weights_.transpose(), t.error_signal);
    }

    /// Calls `f(name, tensor, trainable, like.tensor...)` for the weights, then the bias.
    /// Each `like` is a `gradient_type` (a gradient, or an optimizer's state of that shape).
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) {
        f(std::string_view("weights"), weights_, !weights_frozen_, like.weights...);
        f(std::string_view("bias"), bias_, !bias_frozen_, like.bias...);
    }
    /// The read-only form of `visit_tensors`.
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) const {
        f(std::string_view("weights"), weights_, !weights_frozen_, like.weights...);
        f(std::string_view("bias"), bias_, !bias_frozen_, like.bias...);
    }

    /// Same shapes, same values, same activation settings, same frozen flags.
    friend bool operator==(const dense& a, const dense& b) {
        return a.weights_.rows() == b.weights_.rows() && a.weights_.cols() == b.weights_.cols() &&
               a.bias_.size() == b.bias_.size() && a.weights_ == b.weights_ && a.bias_ == b.bias_ &&
               detail::same_settings(a.activation_, b.activation_) &&
               a.weights_frozen_ == b.weights_frozen_ && a.bias_frozen_ == b.bias_frozen_;
    }

private:
    static void check_size(const char* what, Eigen::Index given, Eigen::Index fixed) {
        if (given <= 0) {
            detail::raise(std::invalid_argument("ffn::dense: the number of " + std::string(what) +
                                                " must be positive, got " + std::to_string(given)));
        }
        if (fixed != Eigen::Dynamic && given != fixed) {
            detail::raise(std::invalid_argument(
                "ffn::dense: this layer has " + std::to_string(fixed) + " " + what +
                " fixed at compile time, but " + std::to_string(given) + " were asked for"));
        }
    }

    weight_matrix weights_;
    bias_vector bias_;
    [[no_unique_address]] Activation activation_;
    bool weights_frozen_ = false;
    bool bias_frozen_ = false;
};

} // namespace ffn
