// SPDX-License-Identifier: MIT
// ffn::evaluate (the mean loss over a data set, in chunks) and ffn::accuracy (argmax for
// several outputs, threshold 0.5 for one).

#include <array>
#include <span>
#include <vector>

#include "train_fixtures.hpp"

using train_test::dynamic_double;
using train_test::dynamic_float;
using train_test::fixed_double;
using train_test::fixed_float;

TEMPLATE_TEST_CASE("evaluate is the mean of the per-sample losses, over many chunks", "[train]",
                   fixed_float, fixed_double, dynamic_float, dynamic_double) {
    using scalar = typename TestType::scalar;
    const auto net = TestType::make(4);
    // 1000 samples: three full chunks of 256 and a partial one.
    typename TestType::matrix x(2, 1000);
    typename TestType::matrix y(1, 1000);
    ffn::detail::random_engine engine(5);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x(i) = static_cast<scalar>(4 * engine.uniform() - 2);
    }
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        y(i) = static_cast<scalar>(engine.uniform());
    }
    double sum = 0;
    ffn::workspace<typename TestType::net_type> ws;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        net.forward(x.col(j), ws);
        sum += static_cast<double>(net.loss(ws, y.col(j)));
    }
    const double tolerance = std::is_same_v<scalar, float> ? 1e-5 : 1e-13;
    CHECK(ffn::evaluate(net, x, y) == Approx(sum / 1000).epsilon(tolerance));
    // A single sample: exactly the network's loss.
    net.forward(x.col(7), ws);
    CHECK(ffn::evaluate(net, x.col(7), y.col(7)) == net.loss(ws, y.col(7)));
}

TEMPLATE_TEST_CASE("accuracy thresholds one output at 0.5", "[train]", fixed_float,
                   dynamic_double) {
    using scalar = typename TestType::scalar;
    auto net = TestType::make(1);
    // Output = sigmoid(bias) whatever the input: zero the weights, set the output bias.
    net.template layer<1>().weights().setZero();
    const auto x = TestType::inputs();
    net.template layer<1>().bias()(0) = scalar(0.01); // output just above 0.5
    CHECK(ffn::accuracy(net, x, std::vector<int>{1, 1, 1, 1}) == 1.0);
    CHECK(ffn::accuracy(net, x, std::vector<int>{0, 1, 1, 0}) == 0.5);
    net.template layer<1>().bias()(0) = scalar(-0.01); // just below
    CHECK(ffn::accuracy(net, x, std::vector<unsigned>{0, 1, 0, 0}) == 0.75);
    net.template layer<1>().bias()(0) = scalar(0); // exactly 0.5 counts as class 1
    CHECK(ffn::accuracy(net, x, std::vector<long>{1, 1, 0, 1}) == 0.75);
}

TEST_CASE("accuracy takes the largest of several outputs, labels in any integer range", "[train]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<3, 3, ffn::sigmoid>>;
    net_type net;
    net.layer<0>().weights().setIdentity(); // output k grows with input k
    Eigen::Matrix<double, 3, 5> x;
    x << 1, 0, 0, 0.2, 3, 0, 1, 0, 0.1, 2, 0, 0, 1, 0.3, 1;
    // Predicted classes: 0, 1, 2, 2, 0.
    const std::vector<int> labels{0, 1, 2, 2, 0};
    CHECK(ffn::accuracy(net, x, labels) == 1.0);
    const Eigen::VectorXi eigen_labels = (Eigen::VectorXi(5) << 0, 1, 2, 0, 0).finished();
    CHECK(ffn::accuracy(net, x, eigen_labels) == 0.8);
    const std::array<std::size_t, 5> array_labels{2, 2, 2, 2, 2};
    CHECK(ffn::accuracy(net, x, std::span<const std::size_t>(array_labels)) == 0.4);
}
