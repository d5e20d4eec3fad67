// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::dropout`: inverted dropout, as PyTorch's `nn.Dropout`.

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ffn/concepts/scalar.hpp"
#include "ffn/detail/same_size_layer.hpp"
#include "ffn/detail/storage.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/training.hpp"

namespace ffn {

/// Inverted dropout over `Units` values: in a training-mode pass each value is zeroed with
/// probability \f$p\f$ and the others are scaled by \f$1 / (1 - p)\f$, so that the expected
/// output equals the input; in inference mode the layer is the identity. It has no parameters.
///
/// The masks come from the `ffn::training` object of the pass (its seed, the pass's number and
/// the layer's index), so a run is reproducible on every platform. With \f$p = 1\f$ every
/// value is zeroed (as in PyTorch); with \f$p = 0\f$ the layer passes everything through.
///
/// @tparam Units  the number of values (inputs and outputs), or `Eigen::Dynamic`
/// @tparam Scalar `float` or `double`
template <Eigen::Index Units, scalar Scalar = double>
class dropout {
    static_assert(Units == Eigen::Dynamic || Units > 0,
                  "ffn::dropout: the number of units must be positive or Eigen::Dynamic.");

public:
    using scalar_type = Scalar; ///< The number type of the values.
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "dropout";
    /// The number of inputs, or `Eigen::Dynamic`.
    static constexpr Eigen::Index input_size = Units;
    /// The number of outputs (as many as inputs), or `Eigen::Dynamic`.
    static constexpr Eigen::Index output_size = Units;
    /// The probability of zeroing a value when none is given (PyTorch's default).
    static constexpr double default_probability = 0.5;

    /// What a forward pass leaves behind, for batches of `Batch` samples.
    template <Eigen::Index Batch>
    struct trace_type {
        /// The type of the matrices: one row per unit, one column per sample.
        using matrix_type = detail::matrix<Scalar, Units, Batch>;
        /// The input with the mask applied (the input itself in inference mode).
        matrix_type output = detail::zero_matrix<Scalar, Units, Batch>();
        /// After a backward pass: \f$\partial E / \partial output\f$ (the layer has no
        /// activation, so it is also the error signal of its sum).
        matrix_type error_signal = detail::zero_matrix<Scalar, Units, Batch>();
        /// The mask of a training-mode pass: 0 for a dropped value, \f$1 / (1 - p)\f$ for a
        /// kept one.
        matrix_type mask = detail::zero_matrix<Scalar, Units, Batch>();
        /// Whether the last pass applied `mask` (a training-mode pass with \f$p > 0\f$).
        bool masked = false;
    };

    /// The values a trace holds: `output`, `error_signal` and `mask` (for `ffn::summary`).
    [[nodiscard]] static constexpr Eigen::Index trace_values(Eigen::Index units,
                                                             Eigen::Index batch) noexcept {
        return 3 * units * batch;
    }

    /// No parameters, so no gradients.
    struct gradient_type {};

    /// With a fixed size, dropout of `Units` values with \f$p = 0.5\f$. With a dynamic size, an
    /// empty layer, good only to load into (a loader gives it its neighbour's size).
    dropout() = default;

    /// Dropout of `Units` values (a fixed size) with probability `p`.
    /// @throws std::invalid_argument if `p` is not in [0, 1].
    explicit dropout(double p) requires(Units != Eigen::Dynamic) { set_probability(p); }

    /// Dropout of `inputs` values; `outputs` must equal `inputs` (the form
    /// `ffn::network{...}` uses to build layers from unit counts).
    /// @throws std::invalid_argument if the sizes differ, are not positive or contradict a
    ///         fixed size, or if `p` is not in [0, 1].
    dropout(Eigen::Index inputs, Eigen::Index outputs, double p = default_probability) {
        detail::check_same_size_layer("ffn::dropout", "a dropout layer", Units, inputs, outputs);
        units_ = inputs;
        set_probability(p);
    }

    /// Number of inputs.
    [[nodiscard]] Eigen::Index inputs() const noexcept { return units_; }
    /// Number of outputs (as many as inputs).
    [[nodiscard]] Eigen::Index outputs() const noexcept { return units_; }
    /// Number of trainable values: none.
    [[nodiscard]] static constexpr Eigen::Index parameter_count() noexcept { return 0; }
    /// The probability of zeroing a value in training mode.
    [[nodiscard]] double probability() const noexcept { return p_; }

    /// Sets the probability of zeroing a value in training mode.
    /// @throws std::invalid_argument if `p` is not in [0, 1].
    void set_probability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            detail::raise(std::invalid_argument(
                "ffn::dropout: the probability p must be in [0, 1], got " + std::to_string(p)));
        }
        p_ = p;
    }

    /// Gives a dynamic-size layer its size (loaders call it with a neighbour's size, since the
    /// layer has no tensor to take it from).
    /// @throws std::invalid_argument if `units` is not positive or contradicts a fixed size.
    void set_units(Eigen::Index units) { *this = dropout(units, units, p_); }

    /// The settings files record (concepts/settings.hpp): `p`.
    static constexpr std::array<std::string_view, 1> setting_names = {"p"};
    /// The probability, as files record it.
    [[nodiscard]] std::array<double, 1> settings() const noexcept { return {p_}; }
    /// Sets what `settings()` gives.
    /// @throws std::invalid_argument if `p` is not in [0, 1].
    void set_settings(const std::array<double, 1>& values) { set_probability(values[0]); }

    /// Empty if the layer has a size; otherwise what is wrong.
    [[nodiscard]] std::string shape_error() const {
        if (units_ == 0) {
            return "the layer is empty (a network with dynamic sizes made by its default "
                   "constructor holds no sizes until ffn::load, ffn::load_safetensors or an "
                   "assignment gives it some)";
        }
        return {};
    }

    /// Inference-mode pass: the output is the input.
    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t) const {
        t.output = input;
        t.masked = false;
    }

    /// Training-mode pass: draws a mask from `pass`, sample by sample and unit by unit, and
    /// applies it.
    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t,
                 training_pass& pass) const {
        if (p_ == 0.0) {
            forward(input, t);
            return;
        }
        const Scalar kept = p_ == 1.0 ? Scalar(0) : static_cast<Scalar>(1.0 / (1.0 - p_));
        t.mask.resize(input.rows(), input.cols());
        for (Eigen::Index c = 0; c < t.mask.cols(); ++c) {
            for (Eigen::Index r = 0; r < t.mask.rows(); ++r) {
                t.mask(r, c) = pass.uniform() < p_ ? Scalar(0) : kept;
            }
        }
        t.output.resize(input.rows(), input.cols());
        t.output.array() = input.array() * t.mask.array();
        t.masked = true;
    }

    /// Nothing to do: the layer has no activation.
    template <Eigen::Index Batch>
    void activation_backward(trace_type<Batch>& /*t*/) const noexcept {}

    /// Nothing to do: the layer has no parameters.
    template <class Input, Eigen::Index Batch>
    void gradient(const Eigen::MatrixBase<Input>& /*input*/, const trace_type<Batch>& /*t*/,
                  gradient_type& /*g*/) const noexcept {}

    /// \f$\partial E / \partial input\f$: the error signal through the mask of the pass.
    template <Eigen::Index Batch, class Dest>
    void input_gradient(const trace_type<Batch>& t, Eigen::MatrixBase<Dest>& dest) const {
        dest.derived().resize(t.error_signal.rows(), t.error_signal.cols());
        if (t.masked) {
            dest.array() = t.error_signal.array() * t.mask.array();
        } else {
            dest = t.error_signal;
        }
    }

    /// No tensors to visit.
    template <class F, class... Like>
    void visit_tensors(F&& /*f*/, Like&... /*like*/) const noexcept {}

    /// Same size, same probability.
    friend bool operator==(const dropout& a, const dropout& b) noexcept {
        return a.units_ == b.units_ && a.p_ == b.p_;
    }

private:
    Eigen::Index units_ = Units == Eigen::Dynamic ? 0 : Units;
    double p_ = default_probability;
};

} // namespace ffn
