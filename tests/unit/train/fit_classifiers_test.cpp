// SPDX-License-Identifier: MIT
// ffn::fit with the classification losses: softmax with categorical cross-entropy and a
// sigmoid with binary cross-entropy (both fused), trained with Adam on separable clusters.

#include <vector>

#include <ffn/activations/softmax.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/losses/binary_cross_entropy.hpp>
#include <ffn/losses/categorical_cross_entropy.hpp>
#include <ffn/optimizers/adam.hpp>

#include "train_fixtures.hpp"

namespace {

/// `per_class` points around each of `classes` centres on a circle of radius 2, with labels.
template <class Scalar>
std::pair<Eigen::Matrix<Scalar, 2, Eigen::Dynamic>, std::vector<int>> clusters(
    int classes, Eigen::Index per_class) {
    Eigen::Matrix<Scalar, 2, Eigen::Dynamic> x(2, classes * per_class);
    std::vector<int> labels;
    ffn::detail::random_engine engine(17);
    for (int c = 0; c < classes; ++c) {
        const double angle = 6.283185307179586 * c / classes;
        for (Eigen::Index i = 0; i < per_class; ++i) {
            const Eigen::Index j = c * per_class + i;
            x(0, j) = static_cast<Scalar>(2 * std::cos(angle) + engine.uniform() - 0.5);
            x(1, j) = static_cast<Scalar>(2 * std::sin(angle) + engine.uniform() - 0.5);
            labels.push_back(c);
        }
    }
    return {x, labels};
}

template <class Scalar, bool Fixed>
struct softmax_case {
    using scalar = Scalar;
    static constexpr Eigen::Index dim(Eigen::Index n) { return Fixed ? n : Eigen::Dynamic; }
    using net_type =
        ffn::network<ffn::categorical_cross_entropy, ffn::dense<dim(2), dim(6), ffn::tanh, Scalar>,
                     ffn::dense<dim(6), dim(3), ffn::softmax, Scalar>>;
};

} // namespace

TEMPLATE_TEST_CASE("fit trains softmax with categorical cross-entropy", "[train]",
                   (softmax_case<float, true>), (softmax_case<double, false>)) {
    using scalar = typename TestType::scalar;
    using net_type = typename TestType::net_type;
    const auto [x, labels] = clusters<scalar>(3, 30);
    Eigen::Matrix<scalar, Eigen::Dynamic, Eigen::Dynamic> y =
        Eigen::Matrix<scalar, Eigen::Dynamic, Eigen::Dynamic>::Zero(3, 90);
    for (std::size_t j = 0; j < labels.size(); ++j) {
        y(labels[j], static_cast<Eigen::Index>(j)) = 1;
    }
    net_type net({2, 6, 3});
    ffn::initialize(net, ffn::glorot_uniform{}, 3);
    ffn::adam opt(net, scalar(0.02));
    const auto before = ffn::evaluate(net, x, y);
    const auto history =
        ffn::fit(net, opt, x, y,
                 ffn::fit_options<scalar>{
                     .batch_size = 16, .epochs = 60, .validation_fraction = 0.2, .accuracy = true});
    CHECK(history.epochs.back().training_loss < before / 4);
    CHECK(*history.epochs.back().validation_accuracy == 1.0);
    CHECK(ffn::accuracy(net, x, labels) == 1.0);
    // The outputs are probabilities.
    const auto outputs = net.predict(x);
    CHECK((outputs.colwise().sum().array() - scalar(1)).abs().maxCoeff() < scalar(1e-5));
}

TEMPLATE_TEST_CASE("fit trains a sigmoid output with binary cross-entropy", "[train]", float,
                   double) {
    using net_type = ffn::network<ffn::binary_cross_entropy, ffn::dense<2, 4, ffn::tanh, TestType>,
                                  ffn::dense<4, 1, ffn::sigmoid, TestType>>;
    const auto [x, labels] = clusters<TestType>(2, 40);
    Eigen::Matrix<TestType, 1, Eigen::Dynamic> y(1, 80);
    for (std::size_t j = 0; j < labels.size(); ++j) {
        y(0, static_cast<Eigen::Index>(j)) = static_cast<TestType>(labels[j]);
    }
    net_type net;
    ffn::initialize(net, ffn::glorot_uniform{}, 4);
    ffn::adam opt(net, TestType(0.02));
    const auto history = ffn::fit(
        net, opt, x, y,
        ffn::fit_options<TestType>{.batch_size = 8, .epochs = 40, .seed = 9, .accuracy = true});
    CHECK(history.epochs.back().training_loss < TestType(0.1));
    CHECK(*history.epochs.back().training_accuracy == 1.0);
    CHECK(ffn::accuracy(net, x, labels) == 1.0);
    CHECK(ffn::evaluate(net, x, y) == Approx(history.epochs.back().training_loss).margin(0.05));
}
