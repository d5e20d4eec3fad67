// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::batch_norm`: batch normalisation over features, as PyTorch's `nn.BatchNorm1d`
/// (affine, with running statistics), followed by an activation.

#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ffn/activations/identity.hpp"
#include "ffn/concepts/activation.hpp"
#include "ffn/concepts/scalar.hpp"
#include "ffn/concepts/settings.hpp"
#include "ffn/detail/same_size_layer.hpp"
#include "ffn/detail/storage.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/training.hpp"

namespace ffn {

/// Batch normalisation of `Units` features, then an activation:
/// \f$output = f(\gamma \cdot \hat{x} + \beta)\f$ with
/// \f$\hat{x} = (x - \mu) / \sqrt{\sigma^2 + \epsilon}\f$ for each feature (row).
///
/// In a training-mode pass \f$\mu\f$ and \f$\sigma^2\f$ are the batch's mean and biased
/// variance, and the running statistics move towards them:
/// \f$running\_mean \leftarrow (1 - m) \cdot running\_mean + m \cdot \mu\f$ and
/// \f$running\_var \leftarrow (1 - m) \cdot running\_var + m \cdot \sigma^2 \cdot N / (N - 1)\f$
/// (the unbiased variance of the batch of \f$N\f$ samples), and `num_batches_tracked` counts
/// the passes. In inference mode \f$\mu\f$ and \f$\sigma^2\f$ are the running statistics. These
/// are PyTorch's definitions, with its defaults: momentum \f$m = 0.1\f$,
/// \f$\epsilon = 10^{-5}\f$, \f$\gamma = 1\f$, \f$\beta = 0\f$, running mean 0 and running
/// variance 1. PyTorch's `BatchNorm1d(n)` followed by `ReLU()` is `batch_norm<n, relu>`.
///
/// Tensors, as `visit_tensors` gives them: `weight` (\f$\gamma\f$) and `bias` (\f$\beta\f$),
/// which are trained, and `running_mean` and `running_var`, which no optimizer changes. Their
/// gradients are the true ones of the pass (zero after a training-mode pass, whose output does
/// not depend on them), so `ffn::check_gradients` checks all four.
///
/// @tparam Units      the number of features (inputs and outputs), or `Eigen::Dynamic`
/// @tparam Activation the activation after the normalisation (`ffn::identity` by default)
/// @tparam Scalar     `float` or `double`
template <Eigen::Index Units, class Activation = identity, class Scalar = double>
class batch_norm {
    // Checked here rather than in the template's constraints, so that a mistake is reported
    // by ffn's own message, naming what is missing.
    using checked_activation_ = std::bool_constant<detail::check_activation<Activation>()>;
    using checked_scalar_ = std::bool_constant<detail::check_scalar<Scalar>()>;
    static_assert(Units == Eigen::Dynamic || Units > 0,
                  "ffn::batch_norm: the number of features must be positive or Eigen::Dynamic.");

public:
    using scalar_type = Scalar;         ///< The number type of the parameters.
    using activation_type = Activation; ///< The activation policy.
    /// The name used in messages and saved files.
    static constexpr std::string_view name = "batch_norm";
    /// The number of inputs, or `Eigen::Dynamic`.
    static constexpr Eigen::Index input_size = Units;
    /// The number of outputs (as many as inputs), or `Eigen::Dynamic`.
    static constexpr Eigen::Index output_size = Units;
    /// The momentum of the running statistics when none is given (PyTorch's default).
    static constexpr double default_momentum = 0.1;
    /// The \f$\epsilon\f$ added to the variance when none is given (PyTorch's default).
    static constexpr double default_epsilon = 1e-5;

    /// A training-mode pass needs at least this many samples (a variance needs two).
    static constexpr Eigen::Index min_training_batch = 2;

    /// The tensors that are buffers, not parameters: saved and loaded, never trained.
    static constexpr std::array<std::string_view, 2> buffer_names = {"running_mean", "running_var"};

    /// The type of each of the four tensors: one value per feature.
    using vector_type = detail::matrix<Scalar, Units, 1>;

    /// What a forward pass leaves behind, for batches of `Batch` samples.
    template <Eigen::Index Batch>
    struct trace_type {
        /// The type of the matrices: one row per feature, one column per sample.
        using matrix_type = detail::matrix<Scalar, Units, Batch>;
        /// \f$\gamma \cdot \hat{x} + \beta\f$, what the activation takes.
        matrix_type sum = detail::zero_matrix<Scalar, Units, Batch>();
        /// The activations of the sums.
        matrix_type output = detail::zero_matrix<Scalar, Units, Batch>();
        /// After a backward pass: the error signal \f$\partial E / \partial sum\f$.
        matrix_type error_signal = detail::zero_matrix<Scalar, Units, Batch>();
        /// The normalised inputs \f$\hat{x}\f$.
        matrix_type normalized = detail::zero_matrix<Scalar, Units, Batch>();
        /// The mean \f$\mu\f$ the pass used, per feature.
        vector_type mean = detail::zero_matrix<Scalar, Units, 1>();
        /// \f$1 / \sqrt{\sigma^2 + \epsilon}\f$ the pass used, per feature.
        vector_type inverse_std = detail::zero_matrix<Scalar, Units, 1>();
        /// Whether the pass used the batch's statistics (training mode) or the running ones.
        bool batch_statistics = false;
    };

    /// The values a trace holds: four matrices and two vectors (for `ffn::summary`).
    [[nodiscard]] static constexpr Eigen::Index trace_values(Eigen::Index units,
                                                             Eigen::Index batch) noexcept {
        return 4 * units * batch + 2 * units;
    }

    /// The gradient of the loss with respect to each tensor (same shapes).
    struct gradient_type {
        vector_type weight = detail::zero_matrix<Scalar, Units, 1>();       ///< of \f$\gamma\f$
        vector_type bias = detail::zero_matrix<Scalar, Units, 1>();         ///< of \f$\beta\f$
        vector_type running_mean = detail::zero_matrix<Scalar, Units, 1>(); ///< of the mean
        vector_type running_var = detail::zero_matrix<Scalar, Units, 1>();  ///< of the variance
    };

    /// With a fixed size, a fresh layer (\f$\gamma = 1\f$, \f$\beta = 0\f$, running mean 0,
    /// running variance 1). With a dynamic size, an empty layer, good only to load into.
    batch_norm() { reset(Units == Eigen::Dynamic ? 0 : Units); }

    /// A fresh layer of `inputs` features; `outputs` must equal `inputs` (the form
    /// `ffn::network{...}` uses to build layers from unit counts).
    /// @throws std::invalid_argument if the sizes differ, are not positive or contradict a
    ///         fixed size, or if a setting is out of range (momentum in [0, 1], epsilon
    ///         positive and finite).
    batch_norm(Eigen::Index inputs, Eigen::Index outputs, const Activation& activation = {},
               double momentum = default_momentum, double epsilon = default_epsilon)
        : activation_(activation) {
        detail::check_same_size_layer("ffn::batch_norm", "a batch normalisation layer", Units,
                                      inputs, outputs);
        set_settings({momentum, epsilon});
        reset(inputs);
    }

    /// Number of inputs.
    [[nodiscard]] Eigen::Index inputs() const noexcept { return weight_.size(); }
    /// Number of outputs (as many as inputs).
    [[nodiscard]] Eigen::Index outputs() const noexcept { return weight_.size(); }
    /// Number of trainable values (\f$\gamma\f$ and \f$\beta\f$), as PyTorch counts them.
    [[nodiscard]] Eigen::Index parameter_count() const noexcept {
        return weight_.size() + bias_.size();
    }

    /// \f$\gamma\f$, one scale per feature.
    [[nodiscard]] vector_type& weight() noexcept { return weight_; }
    /// \f$\gamma\f$, read-only.
    [[nodiscard]] const vector_type& weight() const noexcept { return weight_; }
    /// \f$\beta\f$, one shift per feature.
    [[nodiscard]] vector_type& bias() noexcept { return bias_; }
    /// \f$\beta\f$, read-only.
    [[nodiscard]] const vector_type& bias() const noexcept { return bias_; }
    /// The running mean, which inference uses.
    [[nodiscard]] vector_type& running_mean() noexcept { return running_mean_; }
    /// The running mean, read-only.
    [[nodiscard]] const vector_type& running_mean() const noexcept { return running_mean_; }
    /// The running (unbiased) variance, which inference uses.
    [[nodiscard]] vector_type& running_var() noexcept { return running_var_; }
    /// The running variance, read-only.
    [[nodiscard]] const vector_type& running_var() const noexcept { return running_var_; }
    /// The number of training-mode passes the running statistics have seen.
    [[nodiscard]] std::int64_t num_batches_tracked() const noexcept { return batches_; }
    /// Sets the count of training-mode passes (as a loader does).
    void set_num_batches_tracked(std::int64_t count) noexcept { batches_ = count; }
    /// The momentum of the running statistics.
    [[nodiscard]] double momentum() const noexcept { return momentum_; }
    /// The \f$\epsilon\f$ added to the variance.
    [[nodiscard]] double epsilon() const noexcept { return epsilon_; }
    /// The activation policy object.
    [[nodiscard]] const Activation& activation() const noexcept { return activation_; }
    /// Replaces the activation policy object.
    void set_activation(const Activation& activation) noexcept(
        std::is_nothrow_copy_assignable_v<Activation>) {
        activation_ = activation;
    }

    /// Freeze (or unfreeze) \f$\gamma\f$: optimizers then leave it unchanged.
    void freeze_weights(bool frozen = true) noexcept { weight_frozen_ = frozen; }
    /// Freeze (or unfreeze) \f$\beta\f$: optimizers then leave it unchanged.
    void freeze_bias(bool frozen = true) noexcept { bias_frozen_ = frozen; }
    /// Whether optimizers leave \f$\gamma\f$ unchanged.
    [[nodiscard]] bool weights_frozen() const noexcept { return weight_frozen_; }
    /// Whether optimizers leave \f$\beta\f$ unchanged.
    [[nodiscard]] bool bias_frozen() const noexcept { return bias_frozen_; }

    /// The settings files record (concepts/settings.hpp): `momentum` and `epsilon`.
    static constexpr std::array<std::string_view, 2> setting_names = {"momentum", "epsilon"};
    /// The momentum and epsilon, as files record them.
    [[nodiscard]] std::array<double, 2> settings() const noexcept { return {momentum_, epsilon_}; }
    /// Sets what `settings()` gives.
    /// @throws std::invalid_argument if the momentum is not in [0, 1] or epsilon is not
    ///         positive and finite.
    void set_settings(const std::array<double, 2>& values) {
        if (!(values[0] >= 0.0 && values[0] <= 1.0)) {
            detail::raise(
                std::invalid_argument("ffn::batch_norm: the momentum must be in [0, 1], got " +
                                      std::to_string(values[0])));
        }
        if (!(values[1] > 0.0) || !std::isfinite(values[1])) {
            detail::raise(
                std::invalid_argument("ffn::batch_norm: epsilon must be positive and finite, got " +
                                      std::to_string(values[1])));
        }
        momentum_ = values[0];
        epsilon_ = values[1];
    }

    /// Sets \f$\gamma\f$ to 1 and \f$\beta\f$ to 0 (each unless frozen) and the running
    /// statistics to mean 0, variance 1, no batches: a fresh layer, as `ffn::initialize` makes
    /// it (as PyTorch's `reset_parameters`).
    void reset_parameters() {
        if (!weight_frozen_) {
            weight_.setOnes();
        }
        if (!bias_frozen_) {
            bias_.setZero();
        }
        running_mean_.setZero();
        running_var_.setOnes();
        batches_ = 0;
    }

    /// Empty if the tensors have a size and agree; otherwise what is wrong.
    [[nodiscard]] std::string shape_error() const {
        if (weight_.size() == 0) {
            return "the layer is empty (a network with dynamic sizes made by its default "
                   "constructor holds no parameters until ffn::load, ffn::load_safetensors or "
                   "an assignment gives it some)";
        }
        if (bias_.size() != weight_.size() || running_mean_.size() != weight_.size() ||
            running_var_.size() != weight_.size()) {
            std::string message = "the layer's tensors differ in size: weight ";
            message += std::to_string(weight_.size());
            message += ", bias ";
            message += std::to_string(bias_.size());
            message += ", running_mean ";
            message += std::to_string(running_mean_.size());
            message += ", running_var ";
            message += std::to_string(running_var_.size());
            return message;
        }
        return {};
    }

    /// Inference-mode pass: normalises with the running statistics.
    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t) const {
        t.batch_statistics = false;
        t.mean = running_mean_;
        t.inverse_std = (running_var_.array() + static_cast<Scalar>(epsilon_)).rsqrt().matrix();
        t.normalized.resize(input.rows(), input.cols());
        t.normalized.array() = (input.colwise() - t.mean).array().colwise() * t.inverse_std.array();
        finish_forward(t);
    }

    /// Training-mode pass: normalises with the batch's mean and biased variance, and updates
    /// the running statistics.
    /// @throws std::invalid_argument if the batch has fewer than 2 samples (no variance).
    template <class Input, Eigen::Index Batch>
    void forward(const Eigen::MatrixBase<Input>& input, trace_type<Batch>& t,
                 training_pass& /*pass*/) {
        const Eigen::Index samples = input.cols();
        if (samples < 2) {
            detail::raise(std::invalid_argument(
                "ffn::batch_norm: a training-mode pass needs at least 2 samples per batch to "
                "compute a variance, got " +
                std::to_string(samples)));
        }
        t.batch_statistics = true;
        t.mean = input.rowwise().mean();
        t.normalized.resize(input.rows(), samples);
        t.normalized = input.colwise() - t.mean;
        // The biased variance, kept in inverse_std until it is turned into 1 / sqrt(var + eps).
        t.inverse_std = t.normalized.array().square().rowwise().mean().matrix();
        const auto m = static_cast<Scalar>(momentum_);
        const Scalar bessel = static_cast<Scalar>(samples) / static_cast<Scalar>(samples - 1);
        running_mean_ = (Scalar(1) - m) * running_mean_ + m * t.mean;
        running_var_ = (Scalar(1) - m) * running_var_ + (m * bessel) * t.inverse_std;
        ++batches_;
        t.inverse_std = (t.inverse_std.array() + static_cast<Scalar>(epsilon_)).rsqrt().matrix();
        t.normalized.array().colwise() *= t.inverse_std.array();
        finish_forward(t);
    }

    /// Turns `t.error_signal` from \f$\partial E / \partial output\f$ into
    /// \f$\partial E / \partial sum\f$, in place.
    template <Eigen::Index Batch>
    void activation_backward(trace_type<Batch>& t) const {
        detail::activate_backward(activation_, t);
    }

    /// The gradients of \f$\gamma\f$ and \f$\beta\f$, and of the running statistics (zero after
    /// a training-mode pass).
    template <class Input, Eigen::Index Batch>
    void gradient(const Eigen::MatrixBase<Input>& /*input*/, const trace_type<Batch>& t,
                  gradient_type& g) const {
        g.weight = (t.error_signal.array() * t.normalized.array()).rowwise().sum().matrix();
        g.bias = t.error_signal.rowwise().sum();
        if (t.batch_statistics) {
            g.running_mean.setZero(weight_.size());
            g.running_var.setZero(weight_.size());
        } else {
            // d sum / d mean = -gamma / sqrt(var + eps);
            // d sum / d var = -gamma * normalized / (2 (var + eps)).
            g.running_mean = -(g.bias.array() * weight_.array() * t.inverse_std.array()).matrix();
            g.running_var =
                (g.weight.array() * weight_.array() * t.inverse_std.array().square() * Scalar(-0.5))
                    .matrix();
        }
    }

    /// \f$\partial E / \partial input\f$. After a training-mode pass the mean and variance
    /// depend on every sample of the batch: with \f$d = \gamma \cdot signal\f$,
    /// \f$\partial E / \partial x = (N d - \sum d - \hat{x} \sum d \hat{x}) /
    /// (N \sqrt{\sigma^2 + \epsilon})\f$, sums over the batch; after an inference-mode pass it
    /// is \f$d / \sqrt{\sigma^2 + \epsilon}\f$.
    template <Eigen::Index Batch, class Dest>
    void input_gradient(const trace_type<Batch>& t, Eigen::MatrixBase<Dest>& dest) const {
        const Eigen::Index samples = t.error_signal.cols();
        dest.derived().resize(t.error_signal.rows(), samples);
        if (!t.batch_statistics) {
            dest.array() =
                (t.error_signal.array().colwise() * (weight_.array() * t.inverse_std.array()));
            return;
        }
        const auto n = static_cast<Scalar>(samples);
        for (Eigen::Index r = 0; r < dest.rows(); ++r) {
            const Scalar scale = weight_(r);
            const Scalar sum_d = scale * t.error_signal.row(r).sum();
            const Scalar sum_dx = scale * t.error_signal.row(r).dot(t.normalized.row(r));
            dest.row(r) = (t.inverse_std(r) / n) * ((n * scale) * t.error_signal.row(r).array() -
                                                    sum_d - t.normalized.row(r).array() * sum_dx)
                                                       .matrix();
        }
    }

    /// Calls `f(name, tensor, trainable, like.tensor...)` for `weight`, `bias`,
    /// `running_mean` and `running_var` (the last two never trainable).
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) {
        f(std::string_view("weight"), weight_, !weight_frozen_, like.weight...);
        f(std::string_view("bias"), bias_, !bias_frozen_, like.bias...);
        f(std::string_view("running_mean"), running_mean_, false, like.running_mean...);
        f(std::string_view("running_var"), running_var_, false, like.running_var...);
    }
    /// The read-only form of `visit_tensors`.
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) const {
        f(std::string_view("weight"), weight_, !weight_frozen_, like.weight...);
        f(std::string_view("bias"), bias_, !bias_frozen_, like.bias...);
        f(std::string_view("running_mean"), running_mean_, false, like.running_mean...);
        f(std::string_view("running_var"), running_var_, false, like.running_var...);
    }

    /// Calls `f(name, count)` for each integer the layer keeps: `num_batches_tracked`.
    template <class F>
    void visit_counters(F&& f) {
        f(std::string_view("num_batches_tracked"), batches_);
    }
    /// The read-only form of `visit_counters`.
    template <class F>
    void visit_counters(F&& f) const {
        f(std::string_view("num_batches_tracked"), batches_);
    }

    /// Same tensors, settings, count of batches and frozen flags.
    friend bool operator==(const batch_norm& a, const batch_norm& b) {
        const auto same = [](const vector_type& x, const vector_type& y) {
            return x.size() == y.size() && x == y;
        };
        return same(a.weight_, b.weight_) && same(a.bias_, b.bias_) &&
               same(a.running_mean_, b.running_mean_) && same(a.running_var_, b.running_var_) &&
               a.momentum_ == b.momentum_ && a.epsilon_ == b.epsilon_ && a.batches_ == b.batches_ &&
               detail::same_settings(a.activation_, b.activation_) &&
               a.weight_frozen_ == b.weight_frozen_ && a.bias_frozen_ == b.bias_frozen_;
    }

private:
    void reset(Eigen::Index units) {
        weight_ = vector_type::Ones(units);
        bias_ = vector_type::Zero(units);
        running_mean_ = vector_type::Zero(units);
        running_var_ = vector_type::Ones(units);
        batches_ = 0;
    }

    template <Eigen::Index Batch>
    void finish_forward(trace_type<Batch>& t) const {
        t.sum.resize(t.normalized.rows(), t.normalized.cols());
        t.sum.array() =
            (t.normalized.array().colwise() * weight_.array()).colwise() + bias_.array();
        t.output.resize(t.sum.rows(), t.sum.cols());
        detail::activate(activation_, t);
    }

    vector_type weight_;
    vector_type bias_;
    vector_type running_mean_;
    vector_type running_var_;
    std::int64_t batches_ = 0;
    double momentum_ = default_momentum;
    double epsilon_ = default_epsilon;
    [[no_unique_address]] Activation activation_;
    bool weight_frozen_ = false;
    bool bias_frozen_ = false;
};

} // namespace ffn
