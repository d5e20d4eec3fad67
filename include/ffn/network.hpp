// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::network`: layers composed at compile time, with a loss.

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "ffn/concepts/layer.hpp"
#include "ffn/concepts/loss.hpp"
#include "ffn/concepts/settings.hpp"
#include "ffn/detail/storage.hpp"
#include "ffn/errors.hpp"
#include "ffn/layers/training.hpp"
#include "ffn/product_space.hpp"

namespace ffn {

namespace detail {

/// Instantiated once per pair of neighbouring layers; when the sizes differ the compiler
/// prints this template's arguments next to the message, naming the layer and both sizes.
template <std::size_t LayerIndex, Eigen::Index PreviousLayerOutputs, Eigen::Index LayerInputs>
struct check_layer_sizes {
    static constexpr bool value = PreviousLayerOutputs == Eigen::Dynamic ||
                                  LayerInputs == Eigen::Dynamic ||
                                  PreviousLayerOutputs == LayerInputs;
    static_assert(value, "ffn::network: a layer's number of inputs must equal the previous layer's "
                         "number of outputs. The layer index and both sizes are the template "
                         "arguments of ffn::detail::check_layer_sizes<LayerIndex, "
                         "PreviousLayerOutputs, LayerInputs> shown with this error.");
};

/// Instantiated for a fixed-size input or target: when its rows differ from the network's
/// fixed inputs or outputs, the compiler prints both sizes as this template's arguments.
/// (The assertion is in a member function, so that a failed check leaves the class complete
/// and its `value` readable: the compiler reports it once.)
template <Eigen::Index MatrixRows, Eigen::Index NetworkRows>
struct check_matrix_rows {
    static constexpr bool value =
        MatrixRows == Eigen::Dynamic || NetworkRows == Eigen::Dynamic || MatrixRows == NetworkRows;
    static constexpr bool report() {
        static_assert(value, "ffn::network: the input (or target) has a fixed number of rows "
                             "that differs from the network's inputs (or outputs): both are the "
                             "template arguments of ffn::detail::check_matrix_rows<MatrixRows, "
                             "NetworkRows> shown with this error (one row per input or output, "
                             "one column per sample).");
        return value;
    }
};

/// Instantiated for a fixed-size batch: when its columns differ from a fixed-batch
/// workspace's, the compiler prints both counts as this template's arguments.
template <Eigen::Index MatrixColumns, Eigen::Index WorkspaceBatch>
struct check_batch_columns {
    static constexpr bool value = MatrixColumns == Eigen::Dynamic ||
                                  WorkspaceBatch == Eigen::Dynamic ||
                                  MatrixColumns == WorkspaceBatch;
    static constexpr bool report() {
        static_assert(value, "ffn::network: the batch has a fixed number of columns (samples) "
                             "that differs from the batch of the workspace "
                             "(ffn::workspace<Net, Batch>; 1 by default): both are the template "
                             "arguments of ffn::detail::check_batch_columns<MatrixColumns, "
                             "WorkspaceBatch> shown with this error. Use ffn::workspace<Net, N> "
                             "for batches of N, or ffn::workspace<Net, Eigen::Dynamic>.");
        return value;
    }
};

template <class... Layers, std::size_t... I>
constexpr bool layer_sizes_chain(std::index_sequence<I...> /*unused*/) {
    using tuple = std::tuple<Layers...>;
    return (check_layer_sizes<I + 1, std::tuple_element_t<I, tuple>::output_size,
                              std::tuple_element_t<I + 1, tuple>::input_size>::value &&
            ...);
}

template <class... T>
using first_t = std::tuple_element_t<0, std::tuple<T...>>;

template <class... T>
using last_t = std::tuple_element_t<sizeof...(T) - 1, std::tuple<T...>>;

/// The fewest samples a training-mode pass of layer type `L` takes (2 with batch
/// normalisation, which needs a variance).
template <class L>
constexpr Eigen::Index min_training_batch() {
    if constexpr (requires { L::min_training_batch; }) {
        return L::min_training_batch;
    } else {
        return 1;
    }
}

inline std::string layer_name(std::size_t index) { return "layer " + std::to_string(index); }

/// Naming `type` instantiates `Loss::check_output_layer<OutputLayer>` when the loss has that
/// member template (see concepts/loss.hpp), so that its `static_assert`s can refuse the
/// output layer; for a loss without one, `type` is `void`. (`sizeof` needs the complete type,
/// hence the instantiation; used inside `decltype`, a failed check gives its own message and
/// nothing more.)
template <class Loss, class OutputLayer>
struct output_layer_check {
    using type = void;
};
// clang-format off
template <class Loss, class OutputLayer>
    requires requires { typename Loss::template check_output_layer<OutputLayer>; }
struct output_layer_check<Loss, OutputLayer> {
    // clang-format on
    using type = decltype(sizeof(typename Loss::template check_output_layer<OutputLayer>));
};

/// The product space (`ffn::product_space`) an inference workspace keeps for a layer of type
/// `L` on batches of `Batch` samples.
template <class L, Eigen::Index Batch>
using inference_products =
    products_for<typename L::scalar_type, L::output_size, L::input_size, Batch>;

/// Whether `network::predict` can run layer type `L` on batches of `Batch` samples through
/// `infer(input, output, products)`, which keeps only the outputs.
template <class L, Eigen::Index Batch>
constexpr bool infers = requires(const L l, const probe_input<L>& input,
                                 matrix<typename L::scalar_type, L::output_size, Batch>& output,
                                 inference_products<L, Batch>& products) {
    l.infer(input, output, products);
};

/// The outputs of a layer of type `L` for batches of `Batch` samples: all that
/// `network::predict` keeps of a layer that `infers`, with the space for its products.
template <class L, Eigen::Index Batch>
struct inference_output {
    /// One row per unit, one column per sample; zero until the first pass.
    matrix<typename L::scalar_type, L::output_size, Batch> output =
        zero_matrix<typename L::scalar_type, L::output_size, Batch>();
    /// The packing buffers of the layer's large products.
    [[no_unique_address]] inference_products<L, Batch> products =
        make_products<typename L::scalar_type, L::output_size, L::input_size, Batch, false>();
};

/// What `network::predict` keeps of layer type `L`: its outputs when it `infers`, else the
/// trace its `forward` fills.
template <class L, Eigen::Index Batch>
using inference_storage = std::conditional_t<infers<L, Batch>, inference_output<L, Batch>,
                                             typename L::template trace_type<Batch>>;

} // namespace detail

/// A feedforward network: `Layers...` applied in order, trained against the loss `Loss`.
///
/// The network object holds parameters only. A forward pass writes its intermediate values
/// (each layer's sums and outputs) into a `workspace` that the caller owns, and a backward
/// pass writes error signals there and gradients into a `gradients` object, so `forward`,
/// `backward`, `loss` and `predict` are `const` and several threads may use one network at
/// once, each with its own workspace.
///
/// Inputs and targets are matrices with one column per sample (a vector is one sample).
///
/// @tparam Loss   the loss policy (see concepts/loss.hpp)
/// @tparam Layers the layers, input side first (see concepts/layer.hpp); all share one
///                scalar type, and each takes as many inputs as the previous one gives
///                outputs
template <class Loss, class... Layers>
class network {
    // Checked here rather than in the template's constraints, so that a mistake is reported
    // by ffn's own message, naming what is missing.
    using checked_loss_ = std::bool_constant<detail::check_loss<Loss>()>;
    // Each layer type is made complete first, here, so that a layer's own check (a dense
    // layer's activation) is reported from this line rather than from deep in a concept.
    // NOLINTBEGIN(bugprone-sizeof-expression)
    using complete_layers_ =
        std::integral_constant<std::size_t, (std::size_t{0} + ... + sizeof(Layers))>;
    // NOLINTEND(bugprone-sizeof-expression)
    using checked_layers_ = std::bool_constant<(detail::check_layer<Layers>() && ...)>;
    static_assert(sizeof...(Layers) > 0 || !checked_loss_::value,
                  "ffn::network: a network needs at least one layer.");
    static_assert((std::is_same_v<typename detail::first_t<Layers...>::scalar_type,
                                  typename Layers::scalar_type> &&
                   ...),
                  "ffn::network: all layers must use the same scalar type (all float or all "
                  "double).");
    static_assert(
        detail::layer_sizes_chain<Layers...>(std::make_index_sequence<sizeof...(Layers) - 1>{}),
        "ffn::network: the layer sizes do not chain; see the error above.");
    // The loss may refuse the output layer (cross-entropy needs probabilities).
    using output_layer_checked_ =
        typename detail::output_layer_check<Loss, detail::last_t<Layers...>>::type;

    using first_layer = detail::first_t<Layers...>;
    using last_layer = detail::last_t<Layers...>;

    // Whether the loss works from the output layer's sums (cross-entropy after a softmax); a
    // last layer without an activation (dropout) gives its output as it is.
    static constexpr bool fused_output_ = [] {
        if constexpr (requires { typename last_layer::activation_type; }) {
            return fused_with<Loss, typename last_layer::activation_type>;
        } else {
            return false;
        }
    }();

public:
    using loss_type = Loss;                                ///< The loss policy.
    using scalar_type = typename first_layer::scalar_type; ///< The layers' scalar type.
    using layers_type = std::tuple<Layers...>;             ///< The layers, input side first.
    /// The number of layers.
    static constexpr std::size_t layer_count = sizeof...(Layers);
    /// The number of inputs, or `Eigen::Dynamic`.
    static constexpr Eigen::Index input_size = first_layer::input_size;
    /// The number of outputs, or `Eigen::Dynamic`.
    static constexpr Eigen::Index output_size = last_layer::output_size;
    /// Whether every layer's sizes are fixed, so that the type holds the shape of every tensor.
    /// Then `forward`, `loss` and `backward` with fixed-size inputs, targets and workspaces
    /// check every size at compile time, do no check at run time and are `noexcept`, and so is
    /// an optimizer's `step`.
    static constexpr bool fixed_size =
        ((Layers::input_size != Eigen::Dynamic && Layers::output_size != Eigen::Dynamic) && ...);

    /// The type of layer `I`.
    template <std::size_t I>
    using layer_type = std::tuple_element_t<I, layers_type>;

    /// A batch of `Batch` inputs (one column each).
    template <Eigen::Index Batch>
    using input_matrix = detail::matrix<scalar_type, input_size, Batch>;
    /// A batch of `Batch` outputs (one column each).
    template <Eigen::Index Batch>
    using output_matrix = detail::matrix<scalar_type, output_size, Batch>;

    /// What a forward pass computes and a backward pass reads, for batches of `Batch` samples
    /// (`1`, another fixed count, or `Eigen::Dynamic`). Owned by the caller; reused across
    /// calls without allocating once its sizes are set. Spelled `ffn::workspace<Net, Batch>`.
    template <Eigen::Index Batch>
    class workspace_type {
    public:
        /// The trace of layer `I`: its `sum`, `output` and `error_signal` matrices.
        template <std::size_t I>
        [[nodiscard]] const auto& layer() const noexcept {
            return std::get<I>(layers_);
        }
        /// The inputs of the last forward pass.
        [[nodiscard]] const input_matrix<Batch>& input() const noexcept { return input_; }
        /// The network's outputs from the last forward pass.
        [[nodiscard]] const auto& output() const noexcept {
            return std::get<layer_count - 1>(layers_).output;
        }
        /// Number of samples of the last forward pass (0 before the first).
        [[nodiscard]] Eigen::Index batch_size() const noexcept {
            return forwarded_ ? input_.cols() : 0;
        }

    private:
        friend class network;
        input_matrix<Batch> input_ = detail::zero_matrix<scalar_type, input_size, Batch>();
        std::tuple<typename Layers::template trace_type<Batch>...> layers_;
        bool forwarded_ = false;
    };

    /// What `predict(input, ws)` computes, for batches of `Batch` samples: each layer's
    /// outputs, which the next layer reads, and nothing else (no input copy, no sums, no error
    /// signals; a layer without `infer`, such as a dense layer with a softmax, keeps its whole
    /// trace). Owned by the caller; reused across calls without allocating once its sizes are
    /// set. Spelled `ffn::inference_workspace<Net, Batch>`.
    template <Eigen::Index Batch>
    class inference_workspace_type {
    public:
        /// The network's outputs from the last `predict` (zero, or empty with dynamic sizes,
        /// before the first).
        [[nodiscard]] const auto& output() const noexcept {
            return std::get<layer_count - 1>(layers_).output;
        }

    private:
        friend class network;
        std::tuple<detail::inference_storage<Layers, Batch>...> layers_;
    };

    /// The gradient of the loss with respect to every parameter tensor, layer by layer. Also
    /// the shape of an optimizer's per-parameter state. Spelled `ffn::gradients<Net>`.
    class gradient_type {
    public:
        /// Empty (dynamic layers) or zero (fixed layers) gradients.
        gradient_type() = default;
        /// Zero gradients shaped like the parameters of `net`.
        explicit gradient_type(const network& net) {
            net.visit_tensors([](std::size_t, std::string_view, const auto& tensor, bool,
                                 auto& like) { like.setZero(tensor.rows(), tensor.cols()); },
                              *this);
        }
        /// The gradients of layer `I`: `weights` and `bias` for a dense layer.
        template <std::size_t I>
        [[nodiscard]] auto& layer() noexcept {
            return std::get<I>(layers_);
        }
        /// The gradients of layer `I`, read-only.
        template <std::size_t I>
        [[nodiscard]] const auto& layer() const noexcept {
            return std::get<I>(layers_);
        }

    private:
        friend class network;
        std::tuple<typename Layers::gradient_type...> layers_;
    };

    // clang-format off
    /// A network of default-constructed layers. With fixed sizes its weights and biases are
    /// zero. With dynamic sizes it is empty: good only to load into (`ffn::load`,
    /// `ffn::load_safetensors`, which shape it from the file) or to assign to; every other use
    /// throws `std::invalid_argument` saying so.
    network()
        requires(std::default_initializable<Layers> && ...) && std::default_initializable<Loss>
    = default;

    /// A network of the given layers.
    /// @throws std::invalid_argument if a layer's inputs differ from the previous layer's
    ///         outputs (possible with dynamic sizes).
    explicit network(const Layers&... layers)
        requires std::default_initializable<Loss>
        : network(Loss{}, layers...) {}

    /// A network of the given layers and a loss object (for a loss with settings).
    network(const Loss& loss, const Layers&... layers) : layers_(layers...), loss_(loss) {
        check_shapes("ffn::network");
    }

    /// A network whose layers are built from unit counts: inputs first, then each layer's
    /// number of outputs (`{2, 2, 2}` for the lecture). Each layer must be constructible from
    /// `(inputs, outputs)`; fixed sizes must agree with the counts.
    /// @throws std::invalid_argument if the count of counts is not `layer_count + 1`, or a
    ///         count contradicts a fixed size or is not positive.
    explicit network(std::initializer_list<Eigen::Index> unit_counts)
        requires std::default_initializable<Loss>
        : network(from_counts(unit_counts, std::make_index_sequence<layer_count>{})) {}
    // clang-format on

    /// Layer `I`, to read or set its parameters.
    template <std::size_t I>
    [[nodiscard]] layer_type<I>& layer() noexcept {
        return std::get<I>(layers_);
    }
    /// Layer `I`, read-only.
    template <std::size_t I>
    [[nodiscard]] const layer_type<I>& layer() const noexcept {
        return std::get<I>(layers_);
    }
    /// The loss policy object.
    [[nodiscard]] const Loss& loss_function() const noexcept { return loss_; }
    /// Replaces the loss policy object (its settings: a Huber loss's delta, say).
    void set_loss_function(const Loss& loss) noexcept(std::is_nothrow_copy_assignable_v<Loss>) {
        loss_ = loss;
    }

    /// Number of inputs the network takes.
    [[nodiscard]] Eigen::Index inputs() const noexcept { return std::get<0>(layers_).inputs(); }
    /// Number of outputs the network gives.
    [[nodiscard]] Eigen::Index outputs() const noexcept {
        return std::get<layer_count - 1>(layers_).outputs();
    }
    /// Number of parameters (weights and biases) over all layers.
    [[nodiscard]] Eigen::Index parameter_count() const noexcept {
        return std::apply([](const auto&... l) { return (l.parameter_count() + ...); }, layers_);
    }

    /// Forward pass over a batch (one column per sample): fills `ws` with every layer's sums
    /// and outputs and returns the network's outputs (a reference into `ws`).
    /// @throws std::invalid_argument if `input` has the wrong number of rows, no columns, or
    ///         more columns than a fixed-batch workspace holds. With fixed sizes everywhere
    ///         (`fixed_size`, a fixed-size input and a fixed-batch workspace) these are compile
    ///         errors instead, and the call is `noexcept`.
    template <class Input, Eigen::Index Batch>
    const auto& forward(const Eigen::MatrixBase<Input>& input, workspace_type<Batch>& ws) const
        noexcept(proven_by_type<Input, Batch>) {
        check_input<Batch>(input);
        // A mistake the types show stops here, reported once, by check_input.
        if constexpr (fits_<Input, input_size, Batch>) {
            ws.forwarded_ = false;
            ws.input_ = input;
            forward_layers<0>(ws);
            ws.forwarded_ = true;
        }
        return ws.output();
    }

    /// Training-mode forward pass (see layers/training.hpp): as `forward(input, ws)`, but
    /// dropout draws its masks from `mode` and batch normalisation uses the batch's statistics
    /// and updates its running ones, which is why this form is not `const`. Ends one pass of
    /// `mode`, so the next call draws new masks.
    /// @throws std::invalid_argument as the inference form does, and if the network has a
    ///         batch normalisation layer and `input` has fewer than 2 columns (nothing is
    ///         changed then).
    template <class Input, Eigen::Index Batch>
    const auto& forward(const Eigen::MatrixBase<Input>& input, workspace_type<Batch>& ws,
                        training& mode) noexcept(proven_by_type<Input, Batch>) {
        check_input<Batch>(input);
        if constexpr (fits_<Input, input_size, Batch>) {
            static_assert(Batch == Eigen::Dynamic || Batch >= min_training_batch,
                          "ffn::network::forward: a training-mode pass through a batch "
                          "normalisation layer needs batches of at least 2 samples (a variance "
                          "needs two); use a workspace for larger batches.");
            if constexpr (!proven_by_type<Input, Batch>) {
                if (input.cols() < min_training_batch) [[unlikely]] {
                    throw_training_batch_error(input.cols());
                }
            }
            ws.forwarded_ = false;
            ws.input_ = input;
            train_layers<0>(ws, mode);
            mode.end_pass();
            ws.forwarded_ = true;
        }
        return ws.output();
    }

    /// The fewest samples a training-mode pass takes: 2 if a layer normalises with the batch's
    /// statistics, else 1.
    static constexpr Eigen::Index min_training_batch =
        std::max({detail::min_training_batch<Layers>()...});

    /// The network's outputs for `input` (one column per sample), computed in `ws`, which keeps
    /// only what each layer passes to the next: the inference pass, for deployed programs. The
    /// outputs equal `forward`'s; use `forward` for the sums and outputs of every layer (for
    /// `backward`, or to look inside). Returns a reference into `ws`.
    /// @throws std::invalid_argument as `forward` does; with fixed sizes everywhere, never.
    template <class Input, Eigen::Index Batch>
    const auto& predict(const Eigen::MatrixBase<Input>& input,
                        inference_workspace_type<Batch>& ws) const
        noexcept(proven_by_type<Input, Batch>) {
        check_input<Batch>(input, "ffn::network::predict");
        if constexpr (fits_<Input, input_size, Batch>) {
            predict_layers<0>(input, ws);
        }
        return ws.output();
    }

    /// The network's outputs for `input` (one column per sample), as a new matrix. Allocates
    /// an inference workspace for the call; use `predict(input, ws)` with a reused
    /// `ffn::inference_workspace` in loops.
    template <class Input>
    [[nodiscard]] output_matrix<Input::ColsAtCompileTime> predict(
        const Eigen::MatrixBase<Input>& input) const
        noexcept(proven_by_type<Input, Input::ColsAtCompileTime>) {
        inference_workspace_type<Input::ColsAtCompileTime> ws;
        predict(input, ws);
        return std::move(std::get<layer_count - 1>(ws.layers_).output);
    }

    /// The loss of the last forward pass in `ws` against `target` (the lecture's
    /// \f$E_{total}\f$ for one sample).
    /// @throws std::invalid_argument if `ws` holds no forward pass or `target`'s shape differs
    ///         from the output's. With fixed sizes everywhere the shapes are checked at compile
    ///         time and the call is `noexcept`; a fixed-size workspace starts at zero, so before
    ///         the first forward pass the loss is that of zero outputs.
    template <class Target, Eigen::Index Batch>
    [[nodiscard]] scalar_type loss(const workspace_type<Batch>& ws,
                                   const Eigen::MatrixBase<Target>& target) const
        noexcept(proven_by_type<Target, Batch>) {
        check_target("ffn::network::loss", ws, target);
        const auto& last = std::get<layer_count - 1>(ws.layers_);
        if constexpr (!fits_<Target, output_size, Batch>) {
            return scalar_type{}; // reported by check_target
        } else if constexpr (fused_output_) {
            return static_cast<scalar_type>(loss_.value_from_sum(
                std::get<layer_count - 1>(layers_).activation(), last.sum, target.derived()));
        } else {
            return static_cast<scalar_type>(loss_.value(last.output, target.derived()));
        }
    }

    /// Backward pass: from the forward pass in `ws` and `target`, writes every layer's error
    /// signal \f$\partial E/\partial sum\f$ into `ws` and every parameter's gradient into
    /// `grads`.
    /// @throws std::invalid_argument if `ws` holds no forward pass or `target`'s shape differs
    ///         from the output's; with fixed sizes everywhere, as for `loss`, never.
    template <class Target, Eigen::Index Batch>
    void backward(workspace_type<Batch>& ws, const Eigen::MatrixBase<Target>& target,
                  gradient_type& grads) const noexcept(proven_by_type<Target, Batch>) {
        check_target("ffn::network::backward", ws, target);
        if constexpr (fits_<Target, output_size, Batch>) {
            auto& last = std::get<layer_count - 1>(ws.layers_);
            const auto& output_layer = std::get<layer_count - 1>(layers_);
            last.error_signal.resize(last.output.rows(), last.output.cols());
            if constexpr (fused_output_) {
                last.error_signal = loss_.error_signal(output_layer.activation(), last.sum,
                                                       last.output, target.derived());
            } else {
                last.error_signal = loss_.gradient(last.output, target.derived());
                output_layer.activation_backward(last);
            }
            backward_layers<layer_count - 1>(ws, grads);
        }
    }

    /// Calls `f(layer_index, name, tensor, trainable, like.tensor...)` for every parameter
    /// tensor, input side first; each `like` is a `gradients` object (or an optimizer's state
    /// of that shape) whose matching tensor is passed along.
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) {
        visit_layers(*this, f, std::make_index_sequence<layer_count>{}, like...);
    }
    /// The read-only form of `visit_tensors`.
    template <class F, class... Like>
    void visit_tensors(F&& f, Like&... like) const {
        visit_layers(*this, f, std::make_index_sequence<layer_count>{}, like...);
    }

    /// Throws `std::invalid_argument` naming the layer and both sizes if the layers' sizes do
    /// not chain (possible with dynamic sizes, or after resizing a tensor by hand).
    void check_shapes(std::string_view where) const noexcept(fixed_size) {
        if constexpr (fixed_size) {
            static_cast<void>(where); // the type proves it
        } else if (!shapes_chain(std::make_index_sequence<layer_count>{})) [[unlikely]] {
            throw_shape_error(where, std::make_index_sequence<layer_count>{});
        }
    }

    /// Same layers with the same parameters, settings and frozen flags, and the same loss
    /// settings.
    friend bool operator==(const network& a, const network& b) {
        return a.layers_ == b.layers_ && detail::same_settings(a.loss_, b.loss_);
    }

private:
    template <std::size_t... I>
    static network from_counts(std::initializer_list<Eigen::Index> counts,
                               std::index_sequence<I...> /*unused*/) {
        if (counts.size() != layer_count + 1) {
            detail::raise(std::invalid_argument("ffn::network: " + std::to_string(layer_count) +
                                                " layers need " + std::to_string(layer_count + 1) +
                                                " unit counts (inputs, then each layer's "
                                                "outputs), got " +
                                                std::to_string(counts.size())));
        }
        const Eigen::Index* c = counts.begin();
        // A braced list builds the layers in order, so the first bad count is the one named.
        return std::make_from_tuple<network>(
            std::tuple<Layers...>{make_layer<I>(c[I], c[I + 1])...});
    }

    template <std::size_t I>
    static layer_type<I> make_layer(Eigen::Index inputs, Eigen::Index outputs) {
        return detail::on_invalid_argument(
            [&] { return layer_type<I>(inputs, outputs); },
            [](const char* what) {
                detail::raise(
                    std::invalid_argument("ffn::network: " + detail::layer_name(I) + ": " + what));
            });
    }

    /// Whether the types of the network, of a matrix (an input or a target) and of a workspace
    /// for batches of `Batch` prove every size: then a pass needs no check at run time.
    template <class Matrix, Eigen::Index Batch>
    static constexpr bool proven_by_type =
        fixed_size&& Batch != Eigen::Dynamic&& Matrix::RowsAtCompileTime !=
        Eigen::Dynamic&& Matrix::ColsAtCompileTime != Eigen::Dynamic;

    /// Whether a matrix of type `Matrix` (an input, with `Rows = input_size`, or a target) can
    /// go with a workspace for batches of `Batch`, as far as the types tell: when not,
    /// `check_input` or `check_target` reports why, and the pass does nothing more, so that
    /// the report is the only error.
    template <class Matrix, Eigen::Index Rows, Eigen::Index Batch>
    static constexpr bool fits_ = std::is_same_v<typename Matrix::Scalar, scalar_type>&&
        detail::check_matrix_rows<Matrix::RowsAtCompileTime, Rows>::value&&
            detail::check_batch_columns<Matrix::ColsAtCompileTime, Batch>::value;

    /// What `forward` and `predict` check of the input: its scalar type and fixed sizes at
    /// compile time, the network's shapes and the input's at run time.
    template <Eigen::Index Batch, class Input>
    void check_input(const Eigen::MatrixBase<Input>& input,
                     std::string_view where = "ffn::network::forward") const {
        static_assert(std::is_same_v<typename Input::Scalar, scalar_type>,
                      "ffn::network::forward: the input's scalar type must be the network's "
                      "scalar type (convert it with .template cast<Scalar>()).");
        static_cast<void>(
            detail::check_matrix_rows<Input::RowsAtCompileTime, input_size>::report());
        static_cast<void>(detail::check_batch_columns<Input::ColsAtCompileTime, Batch>::report());
        if constexpr (!proven_by_type<Input, Batch>) {
            check_shapes(where);
            check_batch(where, "input", input.rows(), inputs(), input.cols(), Batch);
        } else {
            static_cast<void>(where); // the types prove every size
        }
    }

    // The checks below run on every call, so each is a few inline comparisons; the messages
    // are built in separate cold functions, only when a check fails.

    template <std::size_t... I>
    [[nodiscard]] bool shapes_chain(std::index_sequence<I...> /*unused*/) const {
        return (layer_shape_ok<I>() && ...);
    }

    template <std::size_t I>
    [[nodiscard]] bool layer_shape_ok() const {
        const auto& l = std::get<I>(layers_);
        if constexpr (I > 0) {
            if (std::get<I - 1>(layers_).outputs() != l.inputs()) {
                return false;
            }
        }
        return l.shape_error().empty();
    }

    template <std::size_t... I>
    [[gnu::cold, gnu::noinline]] void throw_shape_error(
        std::string_view where, std::index_sequence<I...> /*unused*/) const {
        (throw_if_layer_shape_error<I>(where), ...);
    }

    template <std::size_t I>
    void throw_if_layer_shape_error(std::string_view where) const {
        const auto& l = std::get<I>(layers_);
        if (std::string problem = l.shape_error(); !problem.empty()) {
            detail::raise(std::invalid_argument(std::string(where) + ": " + detail::layer_name(I) +
                                                ": " + problem));
        }
        if constexpr (I > 0) {
            const auto& previous = std::get<I - 1>(layers_);
            if (previous.outputs() != l.inputs()) {
                detail::raise(std::invalid_argument(
                    std::string(where) + ": " + detail::layer_name(I) + " (" +
                    std::string(layer_type<I>::name) + ") takes " + std::to_string(l.inputs()) +
                    " inputs, but " + detail::layer_name(I - 1) + " (" +
                    std::string(layer_type<I - 1>::name) + ") gives " +
                    std::to_string(previous.outputs()) + " outputs"));
            }
        }
    }

    static void check_batch(std::string_view where, std::string_view what, Eigen::Index rows,
                            Eigen::Index expected_rows, Eigen::Index cols, Eigen::Index batch) {
        if (rows != expected_rows || cols == 0 || (batch != Eigen::Dynamic && cols != batch))
            [[unlikely]] {
            throw_batch_error(where, what, rows, expected_rows, cols, batch);
        }
    }

    [[gnu::cold, gnu::noinline]] static void throw_batch_error(
        std::string_view where, std::string_view what, Eigen::Index rows,
        Eigen::Index expected_rows, Eigen::Index cols, Eigen::Index batch) {
        if (rows != expected_rows) {
            detail::raise(std::invalid_argument(
                std::string(where) + ": the " + std::string(what) + " has " + std::to_string(rows) +
                " rows, but the network expects " + std::to_string(expected_rows) +
                " (one row per " + (what == "input" ? "input" : "output") + ")"));
        }
        if (cols == 0) {
            detail::raise(std::invalid_argument(std::string(where) + ": the " + std::string(what) +
                                                " has no columns (no samples)"));
        }
        detail::raise(std::invalid_argument(
            std::string(where) + ": the " + std::string(what) + " has " + std::to_string(cols) +
            " columns, but the workspace holds batches of exactly " + std::to_string(batch)));
    }

    template <class Target, Eigen::Index Batch>
    void check_target(std::string_view where, const workspace_type<Batch>& ws,
                      const Eigen::MatrixBase<Target>& target) const {
        static_assert(std::is_same_v<typename Target::Scalar, scalar_type>,
                      "ffn::network: the target's scalar type must be the network's scalar "
                      "type (convert it with .template cast<Scalar>()).");
        static_cast<void>(
            detail::check_matrix_rows<Target::RowsAtCompileTime, output_size>::report());
        static_cast<void>(detail::check_batch_columns<Target::ColsAtCompileTime, Batch>::report());
        // When the types prove every size nothing is left to check: a fixed-size workspace
        // starts at zero, so a loss or a backward pass before the first forward pass is that of
        // zero outputs.
        if constexpr (!proven_by_type<Target, Batch>) {
            const Eigen::Index samples = ws.batch_size();
            if (samples == 0 || !shapes_chain(std::make_index_sequence<layer_count>{}) ||
                ws.input_.rows() != inputs() || target.rows() != outputs() ||
                target.cols() != samples || (Batch != Eigen::Dynamic && target.cols() != Batch))
                [[unlikely]] {
                throw_target_error(where, ws, target.rows(), target.cols());
            }
        } else {
            static_cast<void>(where);
            static_cast<void>(ws);
        }
    }

    template <Eigen::Index Batch>
    [[gnu::cold, gnu::noinline]] void throw_target_error(std::string_view where,
                                                         const workspace_type<Batch>& ws,
                                                         Eigen::Index target_rows,
                                                         Eigen::Index target_cols) const {
        if (ws.batch_size() == 0) {
            detail::raise(std::invalid_argument(
                std::string(where) + ": the workspace holds no forward pass; call forward "
                                     "first"));
        }
        check_shapes(where);
        if (ws.input_.rows() != inputs()) {
            detail::raise(std::invalid_argument(
                std::string(where) + ": the workspace's forward pass was run on a network "
                                     "of another shape"));
        }
        check_batch(where, "target", target_rows, outputs(), target_cols, Batch);
        detail::raise(std::invalid_argument(
            std::string(where) + ": the target has " + std::to_string(target_cols) +
            " columns, but the forward pass had " + std::to_string(ws.batch_size()) + " samples"));
    }

    template <std::size_t I, Eigen::Index Batch>
    void forward_layers(workspace_type<Batch>& ws) const {
        if constexpr (I == 0) {
            std::get<0>(layers_).forward(ws.input_, std::get<0>(ws.layers_));
        } else {
            std::get<I>(layers_).forward(std::get<I - 1>(ws.layers_).output,
                                         std::get<I>(ws.layers_));
        }
        if constexpr (I + 1 < layer_count) {
            forward_layers<I + 1>(ws);
        }
    }

    template <std::size_t I, class Input, Eigen::Index Batch>
    void predict_layers(const Eigen::MatrixBase<Input>& input,
                        inference_workspace_type<Batch>& ws) const {
        const auto& l = std::get<I>(layers_);
        auto& kept = std::get<I>(ws.layers_);
        if constexpr (detail::infers<layer_type<I>, Batch>) {
            l.infer(input, kept.output, kept.products);
        } else {
            l.forward(input, kept);
        }
        if constexpr (I + 1 < layer_count) {
            predict_layers<I + 1>(kept.output, ws);
        }
    }

    template <std::size_t I, Eigen::Index Batch>
    void train_layers(workspace_type<Batch>& ws, training& mode) {
        auto& l = std::get<I>(layers_);
        auto& t = std::get<I>(ws.layers_);
        const auto& input = [&]() -> const auto& {
            if constexpr (I == 0) {
                return ws.input_;
            } else {
                return std::get<I - 1>(ws.layers_).output;
            }
        }
        ();
        if constexpr (requires(training_pass & pass) { l.forward(input, t, pass); }) {
            training_pass pass = mode.layer_pass(I);
            l.forward(input, t, pass);
        } else {
            l.forward(input, t);
        }
        if constexpr (I + 1 < layer_count) {
            train_layers<I + 1>(ws, mode);
        }
    }

    [[gnu::cold, gnu::noinline]] static void throw_training_batch_error(Eigen::Index samples) {
        std::string message = "ffn::network::forward: a training-mode pass through a batch "
                              "normalisation layer needs at least ";
        message += std::to_string(min_training_batch);
        message += " samples (a variance needs two), got ";
        message += std::to_string(samples);
        detail::raise(std::invalid_argument(message));
    }

    template <std::size_t I, Eigen::Index Batch>
    void backward_layers(workspace_type<Batch>& ws, gradient_type& grads) const {
        const auto& l = std::get<I>(layers_);
        auto& t = std::get<I>(ws.layers_);
        if constexpr (I == 0) {
            l.gradient(ws.input_, t, std::get<I>(grads.layers_));
        } else {
            l.gradient(std::get<I - 1>(ws.layers_).output, t, std::get<I>(grads.layers_));
            auto& previous = std::get<I - 1>(ws.layers_);
            l.input_gradient(t, previous.error_signal);
            std::get<I - 1>(layers_).activation_backward(previous);
            backward_layers<I - 1>(ws, grads);
        }
    }

    template <class Self, class F, std::size_t... I, class... Like>
    static void visit_layers(Self& self, F& f, std::index_sequence<I...> /*unused*/,
                             Like&... like) {
        (visit_layer<I>(self, f, like...), ...);
    }

    template <std::size_t I, class Self, class F, class... Like>
    static void visit_layer(Self& self, F& f, Like&... like) {
        std::get<I>(self.layers_)
            .visit_tensors([&f](std::string_view name, auto& tensor, bool trainable,
                                auto&... tensors) { f(I, name, tensor, trainable, tensors...); },
                           std::get<I>(like.layers_)...);
    }

    std::tuple<Layers...> layers_;
    [[no_unique_address]] Loss loss_;
};

/// The workspace of network type `Net` for batches of `Batch` samples (`1` by default; a fixed
/// count, or `Eigen::Dynamic` for batches whose size varies).
template <class Net, Eigen::Index Batch = 1>
using workspace = typename Net::template workspace_type<Batch>;

/// The inference workspace of network type `Net` for batches of `Batch` samples (`1` by
/// default), which `predict(input, ws)` fills with each layer's outputs only.
template <class Net, Eigen::Index Batch = 1>
using inference_workspace = typename Net::template inference_workspace_type<Batch>;

/// The gradients of network type `Net`, one tensor per parameter tensor.
template <class Net>
using gradients = typename Net::gradient_type;

} // namespace ffn
