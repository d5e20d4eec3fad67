// SPDX-License-Identifier: MIT
// The lecture's 2-2-2 sigmoid network (per-unit biases, half squared error, double), one
// sample at a time: ffn beside a hand-written scalar loop and a hand-written fixed-size Eigen
// version. Each does the same work per training step: forward pass, backward pass (no
// gradient for the input), SGD update of every weight and bias.

#include <cmath>
#include <cstdio>

#include <Eigen/Core>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "benchmarks.hpp"
#include "harness.hpp"

namespace {

using lecture_net = ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid>,
                                 ffn::dense<2, 2, ffn::sigmoid>>;

constexpr double learning_rate = 0.6;
// The lecture's weights, row j holding the weights into unit j, and its sample.
constexpr double start_w1[2][2] = {{0.1, 0.3}, {0.2, 0.4}};
constexpr double start_w2[2][2] = {{0.5, 0.6}, {0.7, 0.8}};
constexpr double start_b1[2] = {0.25, 0.25};
constexpr double start_b2[2] = {0.35, 0.35};
constexpr double sample_in[2] = {0.1, 0.5};
constexpr double sample_target[2] = {0.05, 0.95};

/// The whole network written out by hand with scalars, as one would in C.
struct scalar_net {
    double w1[2][2], b1[2], w2[2][2], b2[2];
    double h[2], o[2];

    void reset() {
        for (int j = 0; j < 2; ++j) {
            for (int i = 0; i < 2; ++i) {
                w1[j][i] = start_w1[j][i];
                w2[j][i] = start_w2[j][i];
            }
            b1[j] = start_b1[j];
            b2[j] = start_b2[j];
        }
    }

    void forward(const double* x) {
        for (int j = 0; j < 2; ++j) {
            h[j] = 1.0 / (1.0 + std::exp(-(w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j])));
        }
        for (int j = 0; j < 2; ++j) {
            o[j] = 1.0 / (1.0 + std::exp(-(w2[j][0] * h[0] + w2[j][1] * h[1] + b2[j])));
        }
    }

    void train(const double* x, const double* t) {
        forward(x);
        double d2[2], d1[2];
        for (int j = 0; j < 2; ++j) {
            d2[j] = (o[j] - t[j]) * o[j] * (1.0 - o[j]);
        }
        for (int i = 0; i < 2; ++i) {
            d1[i] = (w2[0][i] * d2[0] + w2[1][i] * d2[1]) * h[i] * (1.0 - h[i]);
        }
        for (int j = 0; j < 2; ++j) {
            for (int i = 0; i < 2; ++i) {
                w2[j][i] -= learning_rate * d2[j] * h[i];
                w1[j][i] -= learning_rate * d1[j] * x[i];
            }
            b2[j] -= learning_rate * d2[j];
            b1[j] -= learning_rate * d1[j];
        }
    }
};

/// The same network written by hand with fixed-size Eigen objects.
struct eigen_net {
    Eigen::Matrix2d w1, w2;
    Eigen::Vector2d b1, b2, h, o;

    void reset() {
        w1 << start_w1[0][0], start_w1[0][1], start_w1[1][0], start_w1[1][1];
        w2 << start_w2[0][0], start_w2[0][1], start_w2[1][0], start_w2[1][1];
        b1 << start_b1[0], start_b1[1];
        b2 << start_b2[0], start_b2[1];
    }

    void forward(const Eigen::Vector2d& x) {
        h = (1.0 + (-(w1 * x + b1)).array().exp()).inverse().matrix();
        o = (1.0 + (-(w2 * h + b2)).array().exp()).inverse().matrix();
    }

    void train(const Eigen::Vector2d& x, const Eigen::Vector2d& t) {
        forward(x);
        const Eigen::Vector2d d2 = ((o - t).array() * o.array() * (1.0 - o.array())).matrix();
        const Eigen::Vector2d d1 =
            ((w2.transpose() * d2).array() * h.array() * (1.0 - h.array())).matrix();
        w2.noalias() -= learning_rate * d2 * h.transpose();
        b2 -= learning_rate * d2;
        w1.noalias() -= learning_rate * d1 * x.transpose();
        b1 -= learning_rate * d1;
    }
};

struct ffn_state {
    lecture_net net;
    ffn::workspace<lecture_net> ws;
    ffn::inference_workspace<lecture_net> inference;
    ffn::gradients<lecture_net> grads;
    ffn::sgd<lecture_net> opt{net, learning_rate};

    void reset() {
        net.layer<0>().weights() << start_w1[0][0], start_w1[0][1], start_w1[1][0], start_w1[1][1];
        net.layer<1>().weights() << start_w2[0][0], start_w2[0][1], start_w2[1][0], start_w2[1][1];
        net.layer<0>().bias() << start_b1[0], start_b1[1];
        net.layer<1>().bias() << start_b2[0], start_b2[1];
    }

    void train(const Eigen::Vector2d& x, const Eigen::Vector2d& t) {
        net.forward(x, ws);
        net.backward(ws, t, grads);
        opt.step(net, grads);
    }
};

double max_difference(const ffn_state& f, const scalar_net& s, const eigen_net& e) {
    double d = 0;
    for (int j = 0; j < 2; ++j) {
        for (int i = 0; i < 2; ++i) {
            d = std::max(d, std::abs(f.net.layer<0>().weights()(j, i) - s.w1[j][i]));
            d = std::max(d, std::abs(f.net.layer<1>().weights()(j, i) - s.w2[j][i]));
            d = std::max(d, std::abs(e.w1(j, i) - s.w1[j][i]));
            d = std::max(d, std::abs(e.w2(j, i) - s.w2[j][i]));
        }
        d = std::max(d, std::abs(f.net.layer<0>().bias()(j) - s.b1[j]));
        d = std::max(d, std::abs(f.net.layer<1>().bias()(j) - s.b2[j]));
        d = std::max(d, std::abs(f.ws.output()(j) - s.o[j]));
        d = std::max(d, std::abs(e.o(j) - s.o[j]));
    }
    return d;
}

} // namespace

bench_ratios::lecture bench_lecture(const bench::settings& s) {
    scalar_net scalar{};
    eigen_net eig{};
    ffn_state f{};
    const Eigen::Vector2d x(sample_in[0], sample_in[1]);
    const Eigen::Vector2d t(sample_target[0], sample_target[1]);

    // The same 1000 steps on all three, then one more forward pass: the same numbers?
    scalar.reset();
    eig.reset();
    f.reset();
    for (int i = 0; i < 1000; ++i) {
        scalar.train(sample_in, sample_target);
        eig.train(x, t);
        f.train(x, t);
    }
    scalar.forward(sample_in);
    eig.forward(x);
    f.net.forward(x, f.ws);
    std::printf("lecture 2-2-2 sigmoid, double, one sample: max |difference| from the scalar "
                "loop after 1000 steps: %.3g\n",
                max_difference(f, scalar, eig));

    // Training: every block starts again from the lecture's weights.
    const bench::result train =
        bench::compare("lecture 2-2-2 training step (forward + backward + SGD update)",
                       {{"scalar loop (hand-written)", [&] { scalar.reset(); },
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 scalar.train(sample_in, sample_target);
                                 bench::keep(scalar);
                             }
                         }},
                        {"Eigen fixed-size (hand-written)", [&] { eig.reset(); },
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 eig.train(x, t);
                                 bench::keep(eig);
                             }
                         }},
                        {"ffn", [&] { f.reset(); },
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 f.train(x, t);
                                 bench::keep(f);
                             }
                         }}},
                       1.0, s);

    scalar.reset();
    eig.reset();
    f.reset();
    const bench::result forward = bench::compare("lecture 2-2-2 forward pass",
                                                 {{"scalar loop (hand-written)", [] {},
                                                   [&](long n) {
                                                       for (long i = 0; i < n; ++i) {
                                                           bench::keep(scalar);
                                                           scalar.forward(sample_in);
                                                           bench::keep(scalar);
                                                       }
                                                   }},
                                                  {"Eigen fixed-size (hand-written)", [] {},
                                                   [&](long n) {
                                                       for (long i = 0; i < n; ++i) {
                                                           bench::keep(eig);
                                                           eig.forward(x);
                                                           bench::keep(eig);
                                                       }
                                                   }},
                                                  {"ffn", [] {},
                                                   [&](long n) {
                                                       for (long i = 0; i < n; ++i) {
                                                           bench::keep(f);
                                                           f.net.forward(x, f.ws);
                                                           bench::keep(f);
                                                       }
                                                   }},
                                                  {"ffn predict", [] {},
                                                   [&](long n) {
                                                       for (long i = 0; i < n; ++i) {
                                                           bench::keep(f);
                                                           f.net.predict(x, f.inference);
                                                           bench::keep(f);
                                                       }
                                                   }}},
                                                 1.0, s);
    std::printf("\n");
    return {train.ratio(2, 0), forward.ratio(2, 0), forward.ratio(3, 1)};
}
