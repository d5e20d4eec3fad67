// SPDX-License-Identifier: MIT
// Settings of activations and losses survive ffn's format (version 2), are checked on loading,
// and a network with dynamic sizes can be default-constructed empty and shaped by a file.

#include <array>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/io/dot.hpp>
#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "io_test_support.hpp"

using io_test::bytes;
using io_test::dyn;

namespace {

template <class Scalar, Eigen::Index In, Eigen::Index Hidden, Eigen::Index Out>
using settings_net = ffn::network<ffn::huber, ffn::dense<In, Hidden, ffn::leaky_relu, Scalar>,
                                  ffn::dense<Hidden, Hidden, ffn::elu, Scalar>,
                                  ffn::dense<Hidden, Out, ffn::identity, Scalar>>;

/// A network with non-default settings everywhere: leaky_relu(0.3), elu(0.7), huber(0.25).
template <class Net>
Net non_default_net() {
    using l0 = typename Net::template layer_type<0>;
    using l1 = typename Net::template layer_type<1>;
    using l2 = typename Net::template layer_type<2>;
    Net net(ffn::huber(0.25), l0(3, 5, ffn::leaky_relu(0.3)), l1(5, 5, ffn::elu(0.7)), l2(5, 2));
    ffn::initialize(net, ffn::glorot_uniform{}, 7);
    return net;
}

/// Inputs with negative sums, where the settings matter.
template <class Scalar>
Eigen::Matrix<Scalar, 3, 4> inputs() {
    Eigen::Matrix<Scalar, 3, 4> x;
    x << -2, 1, 0.5, -3, 1.5, -1, 2, -0.5, -1, -2, 0.25, 3;
    return x;
}

template <class Scalar>
Eigen::Matrix<Scalar, 2, 4> targets() {
    Eigen::Matrix<Scalar, 2, 4> y;
    y << 3, -3, 0.125, 2, -2, 0.5, 4, -1;
    return y;
}

} // namespace

TEMPLATE_TEST_CASE("settings survive a round trip through ffn's format into a default network",
                   "[io][settings]", (settings_net<float, 3, 5, 2>),
                   (settings_net<double, 3, 5, 2>), (settings_net<float, dyn, dyn, dyn>),
                   (settings_net<double, dyn, dyn, dyn>)) {
    using scalar = typename TestType::scalar_type;
    const TestType original = non_default_net<TestType>();
    const bytes file = ffn::save_bytes(original);

    TestType loaded; // default settings; empty if the sizes are dynamic
    CHECK(loaded.template layer<0>().activation().slope() == ffn::leaky_relu::default_slope);
    ffn::load_bytes(loaded, file);

    CHECK(loaded.template layer<0>().activation().slope() == 0.3);
    CHECK(loaded.template layer<1>().activation().alpha() == 0.7);
    CHECK(loaded.loss_function().delta() == 0.25);
    CHECK(loaded == original);

    // Exactly the same predictions and loss, not merely close ones.
    ffn::workspace<TestType, 4> a;
    ffn::workspace<TestType, 4> b;
    const auto x = inputs<scalar>();
    const auto y = targets<scalar>();
    original.forward(x, a);
    loaded.forward(x, b);
    CHECK(a.output() == b.output());
    CHECK(original.loss(a, y) == loaded.loss(b, y));

    // The same through a file and a stream.
    io_test::scratch_folder folder;
    ffn::save(original, folder.path() / "net.ffn");
    TestType from_file;
    ffn::load(from_file, folder.path() / "net.ffn");
    CHECK(from_file == original);
}

TEST_CASE("a setting that differs makes networks unequal", "[io][settings]") {
    using net_type = settings_net<double, 3, 5, 2>;
    const net_type a = non_default_net<net_type>();
    net_type b = a;
    CHECK(a == b);
    b.layer<0>().set_activation(ffn::leaky_relu(0.2));
    CHECK_FALSE(a == b);
    b = a;
    b.set_loss_function(ffn::huber(0.5));
    CHECK_FALSE(a == b);
}

TEST_CASE("a saved setting is the f64 after its name", "[io][settings]") {
    using net_type = settings_net<double, 3, 5, 2>;
    const bytes file = ffn::save_bytes(non_default_net<net_type>());
    const std::size_t slope = io_test::find_name(file, "slope");
    CHECK(io_test::read_le(file, slope - 4, 4) == 1); // one setting
    CHECK(io_test::read_le(file, slope + 2 + 5, 8) == std::bit_cast<std::uint64_t>(0.3));
    const std::size_t delta = io_test::find_name(file, "delta");
    CHECK(io_test::read_le(file, delta + 2 + 5, 8) == std::bit_cast<std::uint64_t>(0.25));
}

namespace {

using net_type = settings_net<double, 3, 5, 2>;

std::string load_error(net_type& net, const bytes& file) {
    try {
        ffn::load_bytes(net, file);
    } catch (const ffn::format_error& e) {
        return e.what();
    }
    return "no error";
}

struct fixture {
    net_type original = non_default_net<net_type>();
    bytes file = ffn::save_bytes(original);
    net_type net;
};

} // namespace

TEST_CASE("load: a setting of another name", "[io][settings]") {
    fixture f;
    io_test::replace_name(f.file, io_test::find_name(f.file, "alpha"), "gamma");
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) == "ffn::load: layer 1's activation 'elu': setting 0 is "
                                       "'gamma' in the file, the network expects 'alpha'");
    CHECK(f.net == net_type{});
}

TEST_CASE("load: another number of settings", "[io][settings]") {
    fixture f;
    io_test::write_le(f.file, io_test::find_name(f.file, "delta") - 4, 2, 4);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: the loss 'huber' has 2 settings in the file, the network's has 1");
    CHECK(f.net == net_type{});
}

TEST_CASE("load: a setting that is not finite", "[io][settings]") {
    fixture f;
    const std::size_t slope = io_test::find_name(f.file, "slope");
    io_test::write_le(f.file, slope + 2 + 5,
                      std::bit_cast<std::uint64_t>(std::numeric_limits<double>::infinity()), 8);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) == "ffn::load: layer 0's activation 'leaky_relu': setting "
                                       "'slope' is inf, not a finite number");
    CHECK(f.net == net_type{});
}

TEST_CASE("load: a setting the policy refuses", "[io][settings]") {
    fixture f;
    const std::size_t delta = io_test::find_name(f.file, "delta");
    io_test::write_le(f.file, delta + 2 + 5, std::bit_cast<std::uint64_t>(-1.0), 8);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: the loss 'huber': the file's settings are refused: ffn::huber: delta must "
          "be positive and finite, got -1.000000");
    CHECK(f.net == net_type{});
}

TEST_CASE("a policy's settings as the settings contract states them", "[settings]") {
    STATIC_REQUIRE(ffn::has_settings<ffn::leaky_relu>);
    STATIC_REQUIRE(ffn::has_settings<ffn::elu>);
    STATIC_REQUIRE(ffn::has_settings<ffn::huber>);
    STATIC_REQUIRE_FALSE(ffn::has_settings<ffn::sigmoid>);
    STATIC_REQUIRE(ffn::savable_policy<ffn::sigmoid>);
    CHECK(ffn::leaky_relu(0.3).settings() == std::array<double, 1>{0.3});
    CHECK(ffn::detail::policy_from_settings<ffn::elu>(std::array<double, 1>{0.7}).alpha() == 0.7);
    CHECK_THROWS_AS(ffn::detail::policy_from_settings<ffn::elu>(std::array<double, 1>{-1.0}),
                    std::invalid_argument);
}

namespace {
using dynamic_type = settings_net<float, dyn, dyn, dyn>;

std::string empty_error(const auto& call) {
    try {
        call();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("an empty dynamic network is refused for anything but loading and assigning",
          "[io][empty]") {
    dynamic_type net;
    CHECK(net.parameter_count() == 0);
    const std::string empty =
        "layer 0: the layer is empty (a network with dynamic sizes made by its default "
        "constructor holds no parameters until ffn::load, ffn::load_safetensors or an "
        "assignment gives it some)";
    ffn::workspace<dynamic_type, Eigen::Dynamic> ws;
    const Eigen::MatrixXf x = Eigen::MatrixXf::Zero(3, 2);
    CHECK(empty_error([&] { net.forward(x, ws); }) == "ffn::network::forward: " + empty);
    CHECK(empty_error([&] { static_cast<void>(net.predict(x)); }) ==
          "ffn::network::predict: " + empty);
    CHECK(empty_error([&] { ffn::initialize(net, ffn::glorot_uniform{}, 1); }) ==
          "ffn::initialize: " + empty);
    CHECK(empty_error([&] { static_cast<void>(ffn::save_bytes(net)); }) == "ffn::save: " + empty);
    CHECK(empty_error([&] { static_cast<void>(ffn::to_dot(net)); }) == "ffn::write_dot: " + empty);
    CHECK(empty_error([&] {
              ffn::sgd optimizer(net, 0.1F);
              ffn::gradients<dynamic_type> grads(net);
              optimizer.step(net, grads);
          }) == "ffn::sgd: " + empty);

    // Assigning and loading give it a shape.
    dynamic_type assigned;
    assigned = dynamic_type({3, 4, 4, 2});
    CHECK(assigned.inputs() == 3);
    dynamic_type loaded;
    ffn::load_bytes(loaded, ffn::save_bytes(non_default_net<dynamic_type>()));
    CHECK(loaded.inputs() == 3);
    CHECK(loaded.outputs() == 2);
    CHECK(loaded.layer<1>().outputs() == 5);
    CHECK(loaded.layer<0>().activation().slope() == 0.3);
}
