// SPDX-License-Identifier: MIT
// ffn::initialize: reproducible, pinned, per-layer streams, frozen tensors and biases.

#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/init/constant.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/he.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/init/lecun.hpp>
#include <ffn/init/uniform.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace {

template <class Scalar>
using net32 = ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid, Scalar>,
                           ffn::dense<4, 2, ffn::sigmoid, Scalar>>;

template <class Scalar>
using net321 =
    ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid, Scalar>,
                 ffn::dense<4, 2, ffn::sigmoid, Scalar>, ffn::dense<2, 1, ffn::sigmoid, Scalar>>;

template <class Scalar>
using dynamic_net32 =
    ffn::network<ffn::half_squared_error,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, Scalar>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, Scalar>>;

/// An initializer that refuses layers with 4 inputs (to test that nothing changes then).
struct refuses_four_inputs {
    [[nodiscard]] ffn::distribution distribution_for(const ffn::fans& f) const {
        if (f.in == 4) {
            throw std::invalid_argument("refuses_four_inputs: fan_in is 4");
        }
        return ffn::distribution::normal(0.0, 1.0);
    }
};

/// The pinned value `expected` (computed in double) as the network's scalar type: the float
/// network's weights are the double network's rounded to float.
template <class Scalar>
Scalar pinned(double expected) {
    return static_cast<Scalar>(expected);
}

} // namespace

TEMPLATE_TEST_CASE("initialize with the same seed gives the same network", "[init]", float,
                   double) {
    net32<TestType> a;
    net32<TestType> b;
    ffn::initialize(a, ffn::he_normal{}, 42);
    ffn::initialize(b, ffn::he_normal{}, 42);
    CHECK(a == b);
    ffn::initialize(b, ffn::he_normal{}, 43);
    CHECK(a.template layer<0>().weights() != b.template layer<0>().weights());
    CHECK(a.template layer<1>().weights() != b.template layer<1>().weights());
    ffn::initialize(b, ffn::he_normal{}, 42);
    CHECK(a == b); // the network's old values play no part
}

TEMPLATE_TEST_CASE("initialize gives pinned values for seed 42", "[init]", float, double) {
    // The values below were computed by reference_draws.py beside this file, an independent
    // model of ffn's engine with exact fma: layer 0 (4 x 3: fan_in 3, fan_out 4) draws from
    // stream 0 of seed 42, row by row; layer 1 (2 x 4) from stream 2^32.
    net32<TestType> net;
    SECTION("he_normal: stddev sqrt(2 / fan_in)") {
        ffn::initialize(net, ffn::he_normal{}, 42);
        const auto& w0 = net.template layer<0>().weights();
        const auto& w1 = net.template layer<1>().weights();
        CHECK(w0(0, 0) == pinned<TestType>(0.14029140477901314));
        CHECK(w0(0, 1) == pinned<TestType>(0.48294964447124117));
        CHECK(w0(0, 2) == pinned<TestType>(0.2077433254413515));
        CHECK(w0(1, 0) == pinned<TestType>(-0.4813750190827558));
        CHECK(w1(0, 0) == pinned<TestType>(-0.06658729761477046));
        CHECK(w1(0, 1) == pinned<TestType>(0.07216220095049375));
        CHECK(w1(0, 2) == pinned<TestType>(1.240300350699196));
    }
    SECTION("glorot_uniform: limit sqrt(6 / (fan_in + fan_out))") {
        ffn::initialize(net, ffn::glorot_uniform{}, 42);
        const auto& w0 = net.template layer<0>().weights();
        CHECK(w0(0, 0) == pinned<TestType>(0.23489476689625038));
        CHECK(w0(0, 1) == pinned<TestType>(0.8086193472750053));
        CHECK(w0(0, 2) == pinned<TestType>(0.33091450354135876));
        CHECK(w0(1, 0) == pinned<TestType>(-0.7667826396759635));
    }
    SECTION("a random bias draws from its own stream (tensor 1 of the layer)") {
        ffn::initialize(net, ffn::he_normal{}, 42, ffn::uniform(-0.1, 0.1));
        const auto& b0 = net.template layer<0>().bias();
        CHECK(b0(0) == pinned<TestType>(0.02337930244972597));
        CHECK(b0(1) == pinned<TestType>(0.08520226098671596));
        CHECK(b0(2) == pinned<TestType>(-0.09869099596544213));
        CHECK(b0(3) == pinned<TestType>(-0.08283744084229053));
        // The weights are the same as with zero biases.
        CHECK(net.template layer<0>().weights()(0, 0) == pinned<TestType>(0.14029140477901314));
    }
    SECTION("another seed") {
        ffn::initialize(net, ffn::he_normal{}, 7);
        CHECK(net.template layer<0>().weights()(0, 0) == pinned<TestType>(-0.3650019547557677));
    }
}

TEMPLATE_TEST_CASE("initialize sets biases to zero unless told otherwise", "[init]", float,
                   double) {
    net32<TestType> net;
    net.template layer<0>().bias().setConstant(TestType(3));
    net.template layer<1>().bias().setConstant(TestType(3));
    ffn::initialize(net, ffn::glorot_normal{}, 1);
    CHECK(net.template layer<0>().bias().isZero(0));
    CHECK(net.template layer<1>().bias().isZero(0));
    ffn::initialize(net, ffn::glorot_normal{}, 1, ffn::constant(0.5));
    CHECK((net.template layer<0>().bias().array() == TestType(0.5)).all());
    CHECK((net.template layer<1>().bias().array() == TestType(0.5)).all());
}

TEMPLATE_TEST_CASE("initialize leaves frozen tensors alone and the others as without them",
                   "[init]", float, double) {
    net32<TestType> reference;
    ffn::initialize(reference, ffn::he_uniform{}, 5, ffn::uniform(-1, 1));

    net32<TestType> net;
    net.template layer<0>().weights().setConstant(TestType(7));
    net.template layer<0>().freeze_weights();
    net.template layer<1>().bias().setConstant(TestType(-2));
    net.template layer<1>().freeze_bias();
    ffn::initialize(net, ffn::he_uniform{}, 5, ffn::uniform(-1, 1));

    CHECK((net.template layer<0>().weights().array() == TestType(7)).all());
    CHECK((net.template layer<1>().bias().array() == TestType(-2)).all());
    CHECK(net.template layer<0>().bias() == reference.template layer<0>().bias());
    CHECK(net.template layer<1>().weights() == reference.template layer<1>().weights());
}

TEMPLATE_TEST_CASE("adding a layer at the end does not change the earlier layers", "[init]", float,
                   double) {
    net32<TestType> two;
    net321<TestType> three;
    ffn::initialize(two, ffn::lecun_normal{}, 2024, ffn::uniform(-0.5, 0.5));
    ffn::initialize(three, ffn::lecun_normal{}, 2024, ffn::uniform(-0.5, 0.5));
    CHECK(two.template layer<0>() == three.template layer<0>());
    CHECK(two.template layer<1>() == three.template layer<1>());
    CHECK(three.template layer<2>().weights().norm() > 0);
}

TEMPLATE_TEST_CASE("fixed and dynamic sizes draw the same values", "[init]", float, double) {
    net32<TestType> fixed;
    dynamic_net32<TestType> dynamic({3, 4, 2});
    ffn::initialize(fixed, ffn::glorot_normal{}, 11, ffn::uniform(-0.1, 0.1));
    ffn::initialize(dynamic, ffn::glorot_normal{}, 11, ffn::uniform(-0.1, 0.1));
    CHECK(fixed.template layer<0>().weights() == dynamic.template layer<0>().weights());
    CHECK(fixed.template layer<0>().bias() == dynamic.template layer<0>().bias());
    CHECK(fixed.template layer<1>().weights() == dynamic.template layer<1>().weights());
    CHECK(fixed.template layer<1>().bias() == dynamic.template layer<1>().bias());
}

TEST_CASE("initialize changes nothing when an initializer throws", "[init]") {
    net32<double> net;
    net.layer<0>().weights().setConstant(0.5);
    net.layer<1>().weights().setConstant(0.25);
    const net32<double> before = net;
    // Layer 0 (3 inputs) is accepted, layer 1 (4 inputs) refused.
    CHECK_THROWS_WITH(ffn::initialize(net, refuses_four_inputs{}, 1),
                      Catch::Contains("fan_in is 4"));
    CHECK(net == before);
}

TEST_CASE("initialize handles shared biases and layers without biases", "[init]") {
    ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid, double, ffn::shared_bias>,
                 ffn::dense<4, 2, ffn::sigmoid, double, ffn::no_bias>>
        net;
    ffn::initialize(net, ffn::he_normal{}, 42, ffn::uniform(-0.1, 0.1));
    // The same streams as the per-unit network: the shared bias is the first per-unit bias.
    CHECK(net.layer<0>().bias()(0) == 0.02337930244972597);
    CHECK(net.layer<0>().weights()(0, 0) == 0.14029140477901314);
    CHECK(net.layer<1>().bias().size() == 0);
    CHECK(net.layer<1>().weights()(0, 0) == -0.06658729761477046);
}
