// SPDX-License-Identifier: MIT
// One const network, several threads, each with its own workspace: the results are those of
// one thread alone. Built on its own so that the tsan preset can run it under
// ThreadSanitizer, which then also reports any data race.

#include <cstddef>
#include <latch>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace {

constexpr Eigen::Index dyn = Eigen::Dynamic;
constexpr int rounds = 20;

template <class Scalar>
using matrix = Eigen::Matrix<Scalar, dyn, dyn>;

template <class Net>
void fill(Net& net, std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    net.visit_tensors([&engine](std::size_t, std::string_view, auto& tensor, bool) {
        using scalar = typename std::remove_cvref_t<decltype(tensor)>::Scalar;
        for (Eigen::Index i = 0; i < tensor.size(); ++i) {
            tensor.data()[i] = static_cast<scalar>(engine.uniform() - 0.5);
        }
    });
}

template <class Scalar>
matrix<Scalar> random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    matrix<Scalar> m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = static_cast<Scalar>(2.0 * engine.uniform() - 1.0);
    }
    return m;
}

/// Runs `a` and `b` on two threads that start together.
template <class A, class B>
void run_together(A&& a, B&& b) {
    std::latch start(2);
    std::thread first([&] {
        start.arrive_and_wait();
        a();
    });
    std::thread second([&] {
        start.arrive_and_wait();
        b();
    });
    first.join();
    second.join();
}

} // namespace

TEMPLATE_TEST_CASE("threads: forward and predict sample by sample on one const network", "[thread]",
                   float, double) {
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<dyn, dyn, ffn::sigmoid, TestType>,
                     ffn::dense<dyn, dyn, ffn::sigmoid, TestType>>;
    net_type built({16, 48, 8});
    fill(built, 1);
    const net_type& net = built;
    const matrix<TestType> inputs = random_matrix<TestType>(16, 64, 2);

    // One thread alone.
    matrix<TestType> expected(8, inputs.cols());
    {
        ffn::workspace<net_type> ws;
        for (Eigen::Index s = 0; s < inputs.cols(); ++s) {
            expected.col(s) = net.forward(inputs.col(s), ws);
        }
    }

    // Two at once: one through forward with its own workspace, one through predict.
    matrix<TestType> by_forward = matrix<TestType>::Zero(8, inputs.cols());
    matrix<TestType> by_predict = matrix<TestType>::Zero(8, inputs.cols());
    run_together(
        [&] {
            ffn::workspace<net_type> ws;
            for (int r = 0; r < rounds; ++r) {
                for (Eigen::Index s = 0; s < inputs.cols(); ++s) {
                    by_forward.col(s) = net.forward(inputs.col(s), ws);
                }
            }
        },
        [&] {
            for (int r = 0; r < rounds; ++r) {
                for (Eigen::Index s = 0; s < inputs.cols(); ++s) {
                    by_predict.col(s) = net.predict(inputs.col(s));
                }
            }
        });
    CHECK(by_forward == expected);
    CHECK(by_predict == expected);
}

TEMPLATE_TEST_CASE("threads: batches, losses and gradients on one const network", "[thread]", float,
                   double) {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<4, 8, ffn::sigmoid, TestType>,
                                  ffn::dense<8, 3, ffn::sigmoid, TestType>>;
    net_type built;
    fill(built, 3);
    const net_type& net = built;
    const matrix<TestType> inputs = random_matrix<TestType>(4, 32, 4);
    const matrix<TestType> targets = random_matrix<TestType>(3, 32, 5).array().abs().matrix();

    struct result {
        matrix<TestType> output;
        TestType loss{};
        ffn::gradients<net_type> grads;
    };
    const auto pass = [&](result& out) {
        ffn::workspace<net_type, dyn> ws;
        for (int r = 0; r < rounds; ++r) {
            out.output = net.forward(inputs, ws);
            out.loss = net.loss(ws, targets);
            net.backward(ws, targets, out.grads);
        }
    };
    result alone;
    pass(alone);
    result a;
    result b;
    run_together([&] { pass(a); }, [&] { pass(b); });
    for (const result* r : {&a, &b}) {
        CHECK(r->output == alone.output);
        CHECK(r->loss == alone.loss);
        CHECK(r->grads.template layer<0>().weights == alone.grads.template layer<0>().weights);
        CHECK(r->grads.template layer<1>().bias == alone.grads.template layer<1>().bias);
    }
}
