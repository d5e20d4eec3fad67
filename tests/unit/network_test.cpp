// SPDX-License-Identifier: MIT
// ffn::network: batches, fixed and dynamic sizes, run-time checks, and value semantics.

#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

using Catch::Matchers::Contains;

namespace {

template <class Scalar, Eigen::Index Hidden>
using net_3_h_2 = ffn::network<ffn::half_squared_error, ffn::dense<3, Hidden, ffn::sigmoid, Scalar>,
                               ffn::dense<Hidden, 2, ffn::sigmoid, Scalar>>;

using dynamic_net =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

template <class Net>
void fill(Net& net) {
    // Distinct, deterministic values in every parameter.
    double v = 0.05;
    net.visit_tensors([&](std::size_t, std::string_view, auto& tensor, bool) {
        for (Eigen::Index i = 0; i < tensor.size(); ++i) {
            v = -v * 1.1 + 0.013;
            tensor(i) = static_cast<typename Net::scalar_type>(v);
        }
    });
}

} // namespace

TEMPLATE_TEST_CASE("a batch forward and backward equal the per-sample passes averaged", "[network]",
                   float, double) {
    using net_type = net_3_h_2<TestType, 4>;
    using matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
    net_type net;
    fill(net);
    matrix x(3, 5);
    matrix y(2, 5);
    for (Eigen::Index i = 0; i < x.size(); ++i) {
        x(i) = static_cast<TestType>(0.1 * static_cast<double>(i % 7) - 0.3);
    }
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        y(i) = static_cast<TestType>(0.2 * static_cast<double>(i % 4));
    }

    ffn::workspace<net_type, Eigen::Dynamic> batch_ws;
    ffn::gradients<net_type> batch_grads;
    net.forward(x, batch_ws);
    const TestType batch_loss = net.loss(batch_ws, y);
    net.backward(batch_ws, y, batch_grads);

    ffn::workspace<net_type> ws;
    ffn::gradients<net_type> grads;
    ffn::gradients<net_type> sum(net);
    TestType loss_sum = 0;
    for (Eigen::Index s = 0; s < 5; ++s) {
        net.forward(x.col(s), ws);
        CHECK(ws.output().isApprox(batch_ws.output().col(s)));
        loss_sum += net.loss(ws, y.col(s));
        net.backward(ws, y.col(s), grads);
        sum.template layer<0>().weights += grads.template layer<0>().weights;
        sum.template layer<1>().weights += grads.template layer<1>().weights;
        sum.template layer<1>().bias += grads.template layer<1>().bias;
    }
    const auto tol = std::is_same_v<TestType, float> ? 1e-5 : 1e-12;
    CHECK(batch_loss == Approx(loss_sum / 5).epsilon(tol));
    CHECK(batch_grads.template layer<0>().weights.isApprox(sum.template layer<0>().weights / 5,
                                                           static_cast<TestType>(tol)));
    CHECK(batch_grads.template layer<1>().weights.isApprox(sum.template layer<1>().weights / 5,
                                                           static_cast<TestType>(tol)));
    CHECK(batch_grads.template layer<1>().bias.isApprox(sum.template layer<1>().bias / 5,
                                                        static_cast<TestType>(tol)));
}

TEST_CASE("fixed and dynamic sizes compute the same numbers", "[network]") {
    net_3_h_2<double, 4> fixed;
    dynamic_net dynamic({3, 4, 2});
    fill(fixed);
    fill(dynamic);
    const Eigen::Vector3d x(0.3, -0.2, 0.9);
    const Eigen::Vector2d y(1.0, 0.0);
    ffn::workspace<net_3_h_2<double, 4>> fws;
    ffn::workspace<dynamic_net, Eigen::Dynamic> dws;
    ffn::gradients<net_3_h_2<double, 4>> fg;
    ffn::gradients<dynamic_net> dg;
    fixed.forward(x, fws);
    dynamic.forward(x, dws);
    fixed.backward(fws, y, fg);
    dynamic.backward(dws, y, dg);
    CHECK(fws.output() == dws.output());
    CHECK(fg.layer<0>().weights == dg.layer<0>().weights);
    CHECK(fg.layer<1>().bias == dg.layer<1>().bias);
}

TEST_CASE("dynamic layers that do not chain are refused, naming the layer and both sizes",
          "[network]") {
    using layer = ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>;
    CHECK_THROWS_MATCHES(
        dynamic_net(layer(3, 4), layer(5, 2)), std::invalid_argument,
        Catch::Matchers::Message("ffn::network: layer 1 (dense) takes 5 inputs, but layer 0 "
                                 "(dense) gives 4 outputs"));
    CHECK_THROWS_WITH(dynamic_net({3, 4}), Contains("2 layers need 3 unit counts"));
    CHECK_THROWS_WITH(dynamic_net({3, 0, 2}),
                      Contains("layer 0: ffn::dense: the number of units must be positive"));
}

TEST_CASE("a tensor resized by hand is caught by the next forward pass", "[network]") {
    dynamic_net net({3, 4, 2});
    net.layer<1>().weights().resize(2, 5);
    ffn::workspace<dynamic_net, Eigen::Dynamic> ws;
    CHECK_THROWS_WITH(net.forward(Eigen::MatrixXd::Zero(3, 1), ws),
                      Contains("ffn::network::forward: layer 1 (dense) takes 5 inputs, but "
                               "layer 0 (dense) gives 4 outputs"));
}

TEST_CASE("inputs and targets of the wrong shape are refused with both shapes", "[network]") {
    dynamic_net net({3, 4, 2});
    ffn::workspace<dynamic_net, Eigen::Dynamic> ws;
    ffn::gradients<dynamic_net> grads;
    CHECK_THROWS_WITH(net.forward(Eigen::MatrixXd::Zero(2, 1), ws),
                      Contains("the input has 2 rows, but the network expects 3"));
    CHECK_THROWS_WITH(net.forward(Eigen::MatrixXd::Zero(3, 0), ws),
                      Contains("the input has no columns"));
    CHECK_THROWS_WITH(net.backward(ws, Eigen::MatrixXd::Zero(2, 1), grads),
                      Contains("the workspace holds no forward pass"));
    net.forward(Eigen::MatrixXd::Zero(3, 4), ws);
    CHECK_THROWS_WITH(net.loss(ws, Eigen::MatrixXd::Zero(3, 4)),
                      Contains("the target has 3 rows, but the network expects 2"));
    CHECK_THROWS_WITH(net.backward(ws, Eigen::MatrixXd::Zero(2, 3), grads),
                      Contains("the target has 3 columns, but the forward pass had 4 samples"));

    net_3_h_2<double, 4> fixed;
    ffn::workspace<net_3_h_2<double, 4>> one;
    CHECK_THROWS_WITH(fixed.forward(Eigen::MatrixXd::Zero(3, 2), one),
                      Contains("the input has 2 columns, but the workspace holds batches of "
                               "exactly 1"));
}

TEST_CASE("a failed forward pass leaves no stale pass behind", "[network]") {
    dynamic_net net({3, 4, 2});
    ffn::workspace<dynamic_net, Eigen::Dynamic> ws;
    net.forward(Eigen::MatrixXd::Zero(3, 2), ws);
    CHECK(ws.batch_size() == 2);
    CHECK_THROWS(net.forward(Eigen::MatrixXd::Zero(4, 2), ws));
    CHECK(ws.batch_size() == 2); // the checks run before anything is written
}

TEST_CASE("networks are regular values: copies are independent and compare equal", "[network]") {
    dynamic_net a({3, 4, 2});
    fill(a);
    dynamic_net b = a;
    CHECK(a == b);
    b.layer<0>().weights()(0, 0) += 1.0;
    CHECK_FALSE(a == b);
    CHECK(a.layer<0>().weights()(0, 0) != b.layer<0>().weights()(0, 0));
    dynamic_net c = std::move(b);
    CHECK_FALSE(a == c);
    CHECK(c.parameter_count() == 4 * 3 + 4 + 2 * 4 + 2);
}

TEST_CASE("inference on one const network from two threads gives identical results", "[network]") {
    net_3_h_2<double, 4> net_storage;
    fill(net_storage);
    const auto& net = net_storage;
    const Eigen::Matrix<double, 3, 64> x = Eigen::Matrix<double, 3, 64>::Random();
    Eigen::Matrix<double, 2, 64> out_a;
    Eigen::Matrix<double, 2, 64> out_b;
    const auto run = [&](Eigen::Matrix<double, 2, 64>& out) {
        ffn::workspace<net_3_h_2<double, 4>> ws;
        for (int repeat = 0; repeat < 200; ++repeat) {
            for (Eigen::Index s = 0; s < 64; ++s) {
                out.col(s) = net.forward(x.col(s), ws);
            }
        }
    };
    std::thread a(run, std::ref(out_a));
    std::thread b(run, std::ref(out_b));
    a.join();
    b.join();
    CHECK(out_a == out_b);
    CHECK(out_a == net.predict(x));
}

TEST_CASE("sgd refuses a learning rate that is not positive and finite", "[network]") {
    net_3_h_2<double, 4> net;
    CHECK_THROWS_WITH(ffn::sgd(net, 0.0), Contains("learning_rate must be positive"));
    CHECK_THROWS_WITH(ffn::sgd(net, -0.1), Contains("got -0.1"));
    CHECK_THROWS_WITH(ffn::sgd(net, std::numeric_limits<double>::infinity()),
                      Contains("learning_rate must be positive and finite"));
}
