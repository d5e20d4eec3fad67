// SPDX-License-Identifier: MIT
// Dropout and batch normalisation in every file ffn writes: their settings, running statistics
// and counter survive ffn's format and safetensors, and damaged files are refused by name.

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/ffn.hpp>

#include "io_test_support.hpp"

namespace {

template <class Scalar, Eigen::Index N>
using bn_net = ffn::network<ffn::categorical_cross_entropy,
                            ffn::dense<N == Eigen::Dynamic ? N : 4, N, ffn::identity, Scalar>,
                            ffn::batch_norm<N, ffn::relu, Scalar>, ffn::dropout<N, Scalar>,
                            ffn::dense<N, N == Eigen::Dynamic ? N : 3, ffn::softmax, Scalar>>;

template <class Net>
Net trained_net() {
    Net net{4, 6, 6, 6, 3};
    ffn::initialize(net, ffn::glorot_uniform{}, 8);
    net.template layer<1>().set_settings({0.25, 1e-3});
    net.template layer<2>().set_probability(0.3);
    using matrix = Eigen::Matrix<typename Net::scalar_type, Eigen::Dynamic, Eigen::Dynamic>;
    const matrix x = matrix::Random(4, 5);
    ffn::workspace<Net, Eigen::Dynamic> ws;
    ffn::training mode(2);
    for (int i = 0; i < 3; ++i) {
        net.forward(x, ws, mode);
    }
    return net;
}

std::string load_message(const std::vector<unsigned char>& file) {
    bn_net<double, Eigen::Dynamic> net;
    try {
        ffn::load_bytes(net, file);
    } catch (const ffn::format_error& e) {
        return e.what();
    }
    return "no error";
}

std::vector<unsigned char> safetensors_of(const bn_net<double, Eigen::Dynamic>& net) {
    std::ostringstream out;
    ffn::save_safetensors(net, out);
    const std::string s = out.str();
    return {s.begin(), s.end()};
}

} // namespace

TEMPLATE_TEST_CASE("dropout and batch_norm survive ffn's format and safetensors", "[io]",
                   (bn_net<float, 6>), (bn_net<double, 6>), (bn_net<float, Eigen::Dynamic>),
                   (bn_net<double, Eigen::Dynamic>)) {
    const TestType net = trained_net<TestType>();
    REQUIRE(net.template layer<1>().num_batches_tracked() == 3);
    REQUIRE(net.template layer<1>().running_var() !=
            TestType::template layer_type<1>::vector_type::Ones(6));

    TestType loaded; // for dynamic sizes: empty, shaped by the file
    ffn::load_bytes(loaded, ffn::save_bytes(net));
    CHECK(loaded == net);
    CHECK(loaded.template layer<2>().probability() == 0.3);
    CHECK(loaded.template layer<2>().inputs() == 6);
    CHECK(loaded.template layer<1>().momentum() == 0.25);
    CHECK(loaded.template layer<1>().epsilon() == 1e-3);

    std::stringstream st;
    ffn::save_safetensors(net, st);
    TestType from_safetensors;
    ffn::load_safetensors(from_safetensors, st);
    CHECK(from_safetensors == net);
}

TEST_CASE("safetensors: batch_norm's names, and num_batches_tracked as an I64 scalar", "[io]") {
    const auto net = trained_net<bn_net<double, Eigen::Dynamic>>();
    const auto bytes = safetensors_of(net);
    const std::uint64_t length = io_test::read_le(bytes, 0, 8);
    const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(length));
    // nn.Sequential(Linear, BatchNorm1d, ReLU, Dropout, Linear): modules 0, 1, 3, 4.
    for (const char* key : {"\"0.weight\"", "\"1.weight\"", "\"1.bias\"", "\"1.running_mean\"",
                            "\"1.running_var\"", "\"4.weight\"", "\"4.bias\""}) {
        CHECK(header.find(key) != std::string::npos);
    }
    CHECK(header.find("\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]") !=
          std::string::npos);
    CHECK(header.find("\"ffn.layer.2.p\":\"0.3\"") != std::string::npos);
    CHECK(header.find("\"ffn.layer.1.momentum\":\"0.25\"") != std::string::npos);
}

TEST_CASE("safetensors: a file without ffn's metadata loads by names alone", "[io]") {
    const auto net = trained_net<bn_net<double, Eigen::Dynamic>>();
    bn_net<double, Eigen::Dynamic> loaded;
    // The header rewritten without __metadata__, as PyTorch's save_file writes it.
    auto bytes = safetensors_of(net);
    const std::uint64_t length = io_test::read_le(bytes, 0, 8);
    std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<long>(length));
    const std::size_t start = header.find("\"__metadata__\"");
    const std::size_t end = header.find('}', start);
    header.erase(start, end - start + 2);
    std::vector<unsigned char> rewritten(8);
    io_test::write_le(rewritten, 0, header.size(), 8);
    rewritten.insert(rewritten.end(), header.begin(), header.end());
    rewritten.insert(rewritten.end(), bytes.begin() + 8 + static_cast<long>(length), bytes.end());
    // Such a file holds no settings (PyTorch keeps eps and momentum in the module, not in the
    // state dict): the network keeps its own, so it is built with the model's.
    loaded.layer<1>().set_settings({0.25, 1e-3});
    ffn::load_safetensors(loaded, std::span<const unsigned char>(rewritten));
    CHECK(loaded.layer<1>().epsilon() == 1e-3);
    CHECK(loaded.layer<1>().running_mean() == net.layer<1>().running_mean());
    CHECK(loaded.layer<1>().num_batches_tracked() == 3);
    CHECK(loaded.layer<2>().inputs() == 6);
    const Eigen::MatrixXd x = Eigen::MatrixXd::Random(4, 3);
    CHECK(loaded.predict(x) == net.predict(x));
}

TEST_CASE("load: a refused layer setting and a negative counter are named", "[io]") {
    const auto net = trained_net<bn_net<double, Eigen::Dynamic>>();
    auto file = ffn::save_bytes(net);
    // Dropout's p, after its name "p": 2.0 is not a probability.
    const std::size_t p = io_test::find_name(file, "p") + 2 + 1;
    io_test::write_le(file, p, std::bit_cast<std::uint64_t>(2.0), 8);
    io_test::reseal(file);
    CHECK(load_message(file) ==
          "ffn::load: layer 2 'dropout': the file's settings are refused: ffn::dropout: the "
          "probability p must be in [0, 1], got 2.000000");

    file = ffn::save_bytes(net);
    const std::size_t count = io_test::find_name(file, "num_batches_tracked") + 2 + 19;
    io_test::write_le(file, count, ~std::uint64_t{0}, 8);
    io_test::reseal(file);
    CHECK(load_message(file) == "ffn::load: layer 1: counter 'num_batches_tracked' is negative "
                                "in the file; it counts, so it cannot be");
}
