// SPDX-License-Identifier: MIT
// ffn::product_space computes a product exactly as Eigen's `noalias()` product does, bit for
// bit, on every path: its own buffers for a large product with dynamic sizes, Eigen's for the
// rest (small sizes, a single column or row, fixed sizes).

#include <catch2/catch.hpp>

#include <Eigen/Core>

#include <ffn/detail/random.hpp>
#include <ffn/product_space.hpp>

namespace {

template <class M>
M random_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    M m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = static_cast<typename M::Scalar>(2.0 * engine.uniform() - 1.0);
    }
    return m;
}

} // namespace

TEMPLATE_TEST_CASE("product_space: the same products as Eigen, bit for bit", "[product_space]",
                   float, double) {
    using matrix = Eigen::Matrix<TestType, Eigen::Dynamic, Eigen::Dynamic>;
    ffn::product_space<TestType> space;
    // A dense layer's three products at 784-256 on 128 samples (buffers of the space), then
    // sizes Eigen handles without the heap: the same on 3 samples, one sample, tiny sizes.
    for (const Eigen::Index batch : {128, 3, 1}) {
        for (const Eigen::Index in : {784, 5}) {
            const Eigen::Index out = in == 784 ? 256 : 4;
            const matrix w = random_matrix<matrix>(out, in, 1);
            const matrix x = random_matrix<matrix>(in, batch, 2);
            const matrix signal = random_matrix<matrix>(out, batch, 3);
            INFO("out " << out << ", in " << in << ", batch " << batch);

            matrix sum(out, batch);
            matrix expected_sum(out, batch);
            space.multiply(sum, w, x);
            expected_sum.noalias() = w * x;
            CHECK(sum == expected_sum);

            matrix grad(out, in);
            matrix expected_grad(out, in);
            space.multiply(grad, signal, x.transpose());
            expected_grad.noalias() = signal * x.transpose();
            CHECK(grad == expected_grad);

            matrix back(in, batch);
            matrix expected_back(in, batch);
            space.multiply(back, w.transpose(), signal);
            expected_back.noalias() = w.transpose() * signal;
            CHECK(back == expected_back);

            // A scalar factor, which Eigen folds into the product.
            space.multiply(sum, w, TestType(2) * x);
            expected_sum.noalias() = w * (TestType(2) * x);
            CHECK(sum == expected_sum);
        }
    }
}

TEST_CASE("product_space: a block of columns, and a fixed-size product", "[product_space]") {
    using matrix = Eigen::MatrixXf;
    ffn::product_space<float> space;
    const matrix w = random_matrix<matrix>(300, 400, 4);
    const matrix x = random_matrix<matrix>(400, 200, 5);
    matrix part(300, 150);
    matrix expected(300, 150);
    space.multiply(part, w, x.middleCols(20, 150));
    expected.noalias() = w * x.middleCols(20, 150);
    CHECK(part == expected);

    const Eigen::Matrix<float, 8, 6> a = Eigen::Matrix<float, 8, 6>::Constant(0.5F);
    const Eigen::Matrix<float, 6, 3> b = Eigen::Matrix<float, 6, 3>::Constant(2.0F);
    Eigen::Matrix<float, 8, 3> c;
    space.multiply(c, a, b);
    CHECK(c == Eigen::Matrix<float, 8, 3>::Constant(6.0F));
}

TEST_CASE("product_space: a copy computes the same", "[product_space]") {
    using matrix = Eigen::MatrixXd;
    ffn::product_space<double> first;
    const matrix w = random_matrix<matrix>(256, 784, 6);
    const matrix x = random_matrix<matrix>(784, 64, 7);
    matrix a(256, 64);
    first.multiply(a, w, x);
    ffn::product_space<double> second(first);
    matrix b(256, 64);
    second.multiply(b, w, x);
    CHECK(a == b);
    ffn::product_space<double> third;
    third = second;
    matrix c(256, 64);
    third.multiply(c, w, x);
    CHECK(a == c);
}
