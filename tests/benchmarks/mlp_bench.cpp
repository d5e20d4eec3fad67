// SPDX-License-Identifier: MIT
// Mini-batch training of multilayer perceptrons (float, relu hidden units, a softmax output
// with categorical cross-entropy, SGD): ffn with fixed and with dynamic sizes beside a
// hand-written Eigen MLP on dynamic matrices. Two shapes: the digits data set's 64-32-10 with batches of 32, and
// 784-256-128-10 with batches of 128. The data are random numbers of those shapes.

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>

#include <ffn/activations/relu.hpp>
#include <ffn/activations/softmax.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "benchmarks.hpp"
#include "harness.hpp"
#include "mlp_parameters.hpp"

namespace {

using matrix = Eigen::MatrixXf;
using vector = Eigen::VectorXf;
constexpr float learning_rate = 0.1F;

/// A multilayer perceptron written by hand on dynamic Eigen matrices, the way one would
/// without a library: buffers allocated once, products with noalias, no gradient for the
/// network's input. Relu hidden units; a softmax output whose cross-entropy gradient with
/// respect to the output sums is `(p - y) / batch` (the mean over the batch).
class eigen_mlp {
public:
    explicit eigen_mlp(const std::vector<Eigen::Index>& units, Eigen::Index batch) {
        const std::size_t layers = units.size() - 1;
        for (std::size_t l = 0; l < layers; ++l) {
            w_.emplace_back(units[l + 1], units[l]);
            b_.emplace_back(units[l + 1]);
            gw_.emplace_back(units[l + 1], units[l]);
            gb_.emplace_back(units[l + 1]);
            z_.emplace_back(units[l + 1], batch);
            a_.emplace_back(units[l + 1], batch);
            d_.emplace_back(units[l + 1], batch);
        }
        column_max_.resize(batch);
        column_sum_.resize(batch);
    }

    std::vector<matrix>& weights() { return w_; }
    std::vector<vector>& biases() { return b_; }
    [[nodiscard]] const matrix& output() const { return a_.back(); }

    void forward(const matrix& x) {
        const std::size_t last = w_.size() - 1;
        for (std::size_t l = 0; l <= last; ++l) {
            const matrix& in = l == 0 ? x : a_[l - 1];
            z_[l].noalias() = w_[l] * in;
            z_[l].colwise() += b_[l];
            if (l < last) {
                a_[l].array() = z_[l].array().max(0.0F);
            }
        }
        // Softmax of each column, shifted by the column's largest sum.
        column_max_.noalias() = z_[last].colwise().maxCoeff();
        a_[last].noalias() = z_[last] - vector::Ones(z_[last].rows()) * column_max_;
        a_[last].array() = a_[last].array().exp();
        column_sum_.noalias() = a_[last].colwise().sum();
        a_[last].array().rowwise() /= column_sum_.array();
    }

    void train(const matrix& x, const matrix& y) {
        forward(x);
        const std::size_t last = w_.size() - 1;
        const float scale = 1.0F / static_cast<float>(x.cols());
        d_[last].noalias() = scale * (a_[last] - y);
        for (std::size_t l = last + 1; l-- > 0;) {
            const matrix& in = l == 0 ? x : a_[l - 1];
            gw_[l].noalias() = d_[l] * in.transpose();
            gb_[l].noalias() = d_[l].rowwise().sum();
            if (l > 0) {
                d_[l - 1].noalias() = w_[l].transpose() * d_[l];
                d_[l - 1].array() *= (z_[l - 1].array() > 0.0F).cast<float>();
            }
        }
        for (std::size_t l = 0; l <= last; ++l) {
            w_[l].noalias() -= learning_rate * gw_[l];
            b_[l].noalias() -= learning_rate * gb_[l];
        }
    }

private:
    std::vector<matrix> w_, gw_, z_, a_, d_;
    std::vector<vector> b_, gb_;
    Eigen::RowVectorXf column_max_, column_sum_;
};

/// Random batches: inputs uniform in [0, 1), one-hot targets.
struct data_set {
    std::vector<matrix> inputs, targets;

    data_set(Eigen::Index in, Eigen::Index out, Eigen::Index batch, int batches) {
        std::mt19937 gen(2024);
        std::uniform_real_distribution<float> uniform(0.0F, 1.0F);
        std::uniform_int_distribution<Eigen::Index> label(0, out - 1);
        for (int k = 0; k < batches; ++k) {
            matrix x(in, batch);
            for (Eigen::Index i = 0; i < x.size(); ++i) {
                x.data()[i] = uniform(gen);
            }
            matrix y = matrix::Zero(out, batch);
            for (Eigen::Index c = 0; c < batch; ++c) {
                y(label(gen), c) = 1.0F;
            }
            inputs.push_back(x);
            targets.push_back(y);
        }
    }
};

/// ffn's network, workspace, gradients and optimizer for one shape.
template <class Net, Eigen::Index Batch>
struct ffn_state {
    Net net;
    ffn::workspace<Net, Batch> ws;
    ffn::gradients<Net> grads;
    ffn::sgd<Net> opt{net, learning_rate};

    explicit ffn_state(const Net& n) : net(n) {}

    template <class X, class Y>
    void train(const X& x, const Y& y) {
        net.forward(x, ws);
        net.backward(ws, y, grads);
        opt.step(net, grads);
    }
};

/// Runs the comparison for one shape; returns ffn (fixed sizes) over the Eigen MLP.
template <class FixedNet, class DynamicNet, Eigen::Index Batch>
double compare_shape(const std::string& title, const std::vector<Eigen::Index>& units,
                     const DynamicNet& dynamic_net, const bench::settings& s) {
    constexpr int batches = 4;
    const data_set data(units.front(), units.back(), Batch, batches);
    eigen_mlp start(units, Batch);
    bench::initialise(start);

    eigen_mlp hand = start;
    ffn_state<FixedNet, Batch> fixed(FixedNet{});
    ffn_state<DynamicNet, Eigen::Dynamic> dynamic(dynamic_net);
    bench::copy_parameters(start, fixed.net);
    bench::copy_parameters(start, dynamic.net);

    // The same 20 steps on each: the same parameters?
    for (int k = 0; k < 20; ++k) {
        const auto& x = data.inputs[static_cast<std::size_t>(k % batches)];
        const auto& y = data.targets[static_cast<std::size_t>(k % batches)];
        hand.train(x, y);
        fixed.train(x, y);
        dynamic.train(x, y);
    }
    std::printf("%s: max |difference| of the parameters from the Eigen MLP after 20 steps: "
                "ffn fixed %.3g, ffn dynamic %.3g\n",
                title.c_str(), static_cast<double>(bench::max_difference(hand, fixed.net)),
                static_cast<double>(bench::max_difference(hand, dynamic.net)));

    // Training goes on from block to block (the parameters are not reset): the work of a step
    // does not depend on the values.
    int next = 0;
    const auto batch_index = [&next] {
        next = (next + 1) % batches;
        return static_cast<std::size_t>(next);
    };
    const bench::result r = bench::compare(title + " training step, batch " + std::to_string(Batch),
                                           {{"Eigen MLP (hand-written, dynamic)", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     const std::size_t k = batch_index();
                                                     hand.train(data.inputs[k], data.targets[k]);
                                                     bench::keep(hand);
                                                 }
                                             }},
                                            {"ffn, fixed sizes", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     const std::size_t k = batch_index();
                                                     fixed.train(data.inputs[k], data.targets[k]);
                                                     bench::keep(fixed);
                                                 }
                                             }},
                                            {"ffn, dynamic sizes", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     const std::size_t k = batch_index();
                                                     dynamic.train(data.inputs[k], data.targets[k]);
                                                     bench::keep(dynamic);
                                                 }
                                             }}},
                                           static_cast<double>(Batch), s);
    std::printf("\n");
    return r.ratio(1, 0);
}

template <Eigen::Index In, Eigen::Index Out>
using relu_layer = ffn::dense<In, Out, ffn::relu, float>;
template <Eigen::Index In, Eigen::Index Out>
using softmax_layer = ffn::dense<In, Out, ffn::softmax, float>;
constexpr Eigen::Index any = Eigen::Dynamic;

} // namespace

double bench_digits(const bench::settings& s) {
    using fixed_net =
        ffn::network<ffn::categorical_cross_entropy, relu_layer<64, 32>, softmax_layer<32, 10>>;
    using dynamic_net =
        ffn::network<ffn::categorical_cross_entropy, relu_layer<any, any>, softmax_layer<any, any>>;
    return compare_shape<fixed_net, dynamic_net, 32>("digits 64-32-10 relu softmax, float",
                                                     {64, 32, 10}, dynamic_net({64, 32, 10}), s);
}

double bench_mlp784(const bench::settings& s) {
    using fixed_net = ffn::network<ffn::categorical_cross_entropy, relu_layer<784, 256>,
                                   relu_layer<256, 128>, softmax_layer<128, 10>>;
    using dynamic_net = ffn::network<ffn::categorical_cross_entropy, relu_layer<any, any>,
                                     relu_layer<any, any>, softmax_layer<any, any>>;
    return compare_shape<fixed_net, dynamic_net, 128>("mlp 784-256-128-10 relu softmax, float",
                                                      {784, 256, 128, 10},
                                                      dynamic_net({784, 256, 128, 10}), s);
}
