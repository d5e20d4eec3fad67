// SPDX-License-Identifier: MIT
// ffn::dense on its own: sizes, bias policies, freezing, and its pieces of the backward pass.

#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>

using Catch::Matchers::Contains;

TEMPLATE_TEST_CASE("a new dense layer has zero parameters of the right shapes", "[dense]", float,
                   double) {
    ffn::dense<3, 2, ffn::sigmoid, TestType> fixed;
    ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, TestType> dynamic(3, 2);
    for (const auto* w : {&fixed.weights(), &fixed.weights()}) {
        CHECK(w->rows() == 2);
        CHECK(w->cols() == 3);
        CHECK(w->isZero());
    }
    CHECK(dynamic.weights().rows() == 2);
    CHECK(dynamic.weights().cols() == 3);
    CHECK(dynamic.weights().isZero());
    CHECK(dynamic.bias().size() == 2);
    CHECK(fixed.parameter_count() == 8);
    CHECK(dynamic.parameter_count() == 8);
}

TEST_CASE("bias policies hold one bias per unit, one shared bias, or none", "[dense]") {
    ffn::dense<3, 4, ffn::sigmoid, double, ffn::per_unit_bias> per_unit;
    ffn::dense<3, 4, ffn::sigmoid, double, ffn::shared_bias> shared;
    ffn::dense<3, 4, ffn::sigmoid, double, ffn::no_bias> none;
    CHECK(per_unit.bias().size() == 4);
    CHECK(shared.bias().size() == 1);
    CHECK(none.bias().size() == 0);
    CHECK(none.parameter_count() == 12);

    const Eigen::Vector3d x(1.0, 2.0, 3.0);
    per_unit.bias() << 1, 2, 3, 4;
    shared.bias() << 5;
    decltype(per_unit)::trace_type<1> t1;
    decltype(shared)::trace_type<1> t2;
    decltype(none)::trace_type<1> t3;
    per_unit.forward(x, t1);
    shared.forward(x, t2);
    none.forward(x, t3);
    CHECK(t1.sum == Eigen::Vector4d(1, 2, 3, 4));
    CHECK(t2.sum == Eigen::Vector4d::Constant(5));
    CHECK(t3.sum.isZero());
    CHECK(t3.output == Eigen::Vector4d::Constant(0.5)); // sigmoid(0)

    // The shared bias's gradient collects the error signals of all units.
    t2.error_signal << 0.5, -1.0, 2.0, 0.25;
    decltype(shared)::gradient_type g;
    shared.gradient(x, t2, g);
    CHECK(g.bias(0) == 1.75);
    CHECK(g.weights(2, 1) == 2.0 * 2.0);
}

TEST_CASE("dense layer sizes are checked at construction", "[dense]") {
    using dynamic = ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>;
    CHECK_THROWS_WITH(dynamic(0, 2), Contains("number of inputs must be positive, got 0"));
    CHECK_THROWS_WITH(dynamic(2, -1), Contains("number of units must be positive, got -1"));
    using half_fixed = ffn::dense<4, Eigen::Dynamic, ffn::sigmoid>;
    CHECK_THROWS_WITH(half_fixed(3, 2),
                      Contains("4 inputs fixed at compile time, but 3 were asked for"));
    CHECK_NOTHROW(half_fixed(4, 2));
}

TEST_CASE("a bias resized by hand is reported as a shape error", "[dense]") {
    ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid> layer(3, 2);
    CHECK(layer.shape_error().empty());
    layer.bias().resize(5);
    CHECK_THAT(layer.shape_error(), Contains("2 units and 5 biases"));
}

TEST_CASE("dense layers compare by shape, values and frozen flags", "[dense]") {
    ffn::dense<2, 2, ffn::sigmoid> a;
    ffn::dense<2, 2, ffn::sigmoid> b;
    CHECK(a == b);
    b.weights()(1, 0) = 0.5;
    CHECK_FALSE(a == b);
    b = a;
    b.freeze_weights();
    CHECK_FALSE(a == b);
    CHECK(b.weights_frozen());
    b.freeze_weights(false);
    CHECK(a == b);
}

TEST_CASE("visit_tensors passes weights then bias with their frozen flags", "[dense]") {
    ffn::dense<2, 3, ffn::sigmoid> layer;
    layer.freeze_bias();
    int visited = 0;
    layer.visit_tensors([&](std::string_view name, auto& tensor, bool trainable) {
        if (visited == 0) {
            CHECK(name == "weights");
            CHECK(tensor.size() == 6);
            CHECK(trainable);
        } else {
            CHECK(name == "bias");
            CHECK(tensor.size() == 3);
            CHECK_FALSE(trainable);
        }
        ++visited;
    });
    CHECK(visited == 2);
}
