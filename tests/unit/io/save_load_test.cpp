// SPDX-License-Identifier: MIT
// Saving and loading networks: the bytes of the format, round trips over scalar types, sizes
// and bias policies, streams and files.

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/io/load.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/io/save.hpp>

#include "io_test_support.hpp"

using io_test::bytes;

namespace {

/// Appends a name as the format stores it: u16 length, then the characters.
void append_name(bytes& b, std::string_view name) {
    b.push_back(static_cast<unsigned char>(name.size()));
    b.push_back(0);
    b.insert(b.end(), name.begin(), name.end());
}

void append(bytes& b, std::initializer_list<unsigned char> values) {
    b.insert(b.end(), values.begin(), values.end());
}

using tiny_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 1, ffn::sigmoid, float, ffn::shared_bias>>;

} // namespace

TEST_CASE("a saved network has the bytes that docs/file_format.md describes", "[io]") {
    tiny_net net;
    net.layer<0>().weights() << 0.5F, -0.25F;
    net.layer<0>().bias() << 0.125F;

    // Written out by hand from the format's description, not by the code under test.
    bytes expected;
    append(expected, {0x89, 'F', 'F', 'N', 0x0D, 0x0A, 0x1A, 0x0A}); // magic
    append(expected, {3, 0, 0, 0});                                  // format version 3
    append(expected, {152, 0, 0, 0, 0, 0, 0, 0});                    // file size 152
    append(expected, {4});                                           // float (binary32)
    append_name(expected, "half_squared_error");
    append(expected, {0, 0, 0, 0}); // the loss has no settings
    append(expected, {1, 0, 0, 0}); // one layer
    append_name(expected, "dense");
    append_name(expected, "sigmoid");
    append(expected, {0, 0, 0, 0}); // the activation has no settings
    append_name(expected, "shared");
    append(expected, {0, 0, 0, 0}); // the layer has no settings
    append(expected, {2, 0, 0, 0}); // two tensors
    append_name(expected, "weights");
    append(expected, {1, 0, 0, 0, 0, 0, 0, 0}); // 1 row
    append(expected, {2, 0, 0, 0, 0, 0, 0, 0}); // 2 columns
    append(expected, {0x00, 0x00, 0x00, 0x3F}); // 0.5f, little-endian
    append(expected, {0x00, 0x00, 0x80, 0xBE}); // -0.25f
    append_name(expected, "bias");
    append(expected, {1, 0, 0, 0, 0, 0, 0, 0});
    append(expected, {1, 0, 0, 0, 0, 0, 0, 0});
    append(expected, {0x00, 0x00, 0x00, 0x3E}); // 0.125f
    append(expected, {0, 0, 0, 0});             // the layer has no counters
    append(expected, {0xF3, 0x57, 0x83, 0xE7}); // CRC-32 0xE78357F3 of all the bytes above

    REQUIRE(expected.size() == 152);
    CHECK(ffn::save_bytes(net) == expected);

    // And those bytes load back into the same network.
    tiny_net loaded;
    ffn::load_bytes(loaded, expected);
    CHECK(loaded == net);
}

TEST_CASE("a version 2 file (no layer settings, no counters) still loads", "[io]") {
    // The example of docs/file_format.md as version 2 wrote it, by hand.
    bytes v2;
    append(v2, {0x89, 'F', 'F', 'N', 0x0D, 0x0A, 0x1A, 0x0A});
    append(v2, {2, 0, 0, 0});
    append(v2, {144, 0, 0, 0, 0, 0, 0, 0});
    append(v2, {4});
    append_name(v2, "half_squared_error");
    append(v2, {0, 0, 0, 0});
    append(v2, {1, 0, 0, 0});
    append_name(v2, "dense");
    append_name(v2, "sigmoid");
    append(v2, {0, 0, 0, 0});
    append_name(v2, "shared");
    append(v2, {2, 0, 0, 0});
    append_name(v2, "weights");
    append(v2, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v2, {2, 0, 0, 0, 0, 0, 0, 0});
    append(v2, {0x00, 0x00, 0x00, 0x3F});
    append(v2, {0x00, 0x00, 0x80, 0xBE});
    append_name(v2, "bias");
    append(v2, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v2, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v2, {0x00, 0x00, 0x00, 0x3E});
    append(v2, {0xDE, 0xA0, 0x30, 0x10}); // CRC-32 0x1030A0DE
    REQUIRE(v2.size() == 144);

    tiny_net loaded;
    ffn::load_bytes(loaded, v2);
    tiny_net net;
    net.layer<0>().weights() << 0.5F, -0.25F;
    net.layer<0>().bias() << 0.125F;
    CHECK(loaded == net);
}

TEST_CASE("a version 1 file (no settings) still loads", "[io]") {
    // The example of docs/file_format.md as version 1 wrote it, by hand.
    bytes v1;
    append(v1, {0x89, 'F', 'F', 'N', 0x0D, 0x0A, 0x1A, 0x0A});
    append(v1, {1, 0, 0, 0});
    append(v1, {136, 0, 0, 0, 0, 0, 0, 0});
    append(v1, {4});
    append_name(v1, "half_squared_error");
    append(v1, {1, 0, 0, 0});
    append_name(v1, "dense");
    append_name(v1, "sigmoid");
    append_name(v1, "shared");
    append(v1, {2, 0, 0, 0});
    append_name(v1, "weights");
    append(v1, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v1, {2, 0, 0, 0, 0, 0, 0, 0});
    append(v1, {0x00, 0x00, 0x00, 0x3F});
    append(v1, {0x00, 0x00, 0x80, 0xBE});
    append_name(v1, "bias");
    append(v1, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v1, {1, 0, 0, 0, 0, 0, 0, 0});
    append(v1, {0x00, 0x00, 0x00, 0x3E});
    append(v1, {0x1B, 0xDC, 0x3E, 0x57}); // CRC-32 0x573EDC1B
    REQUIRE(v1.size() == 136);

    tiny_net loaded;
    ffn::load_bytes(loaded, v1);
    CHECK(loaded.layer<0>().weights()(0, 0) == 0.5F);
    CHECK(loaded.layer<0>().weights()(0, 1) == -0.25F);
    CHECK(loaded.layer<0>().bias()(0) == 0.125F);

    // A version 1 file records no settings: the network keeps its own.
    using leaky_net = ffn::network<ffn::half_squared_error,
                                   ffn::dense<2, 1, ffn::leaky_relu, float, ffn::shared_bias>>;
    bytes leaky = v1;
    const std::size_t activation = io_test::find_name(leaky, "sigmoid");
    leaky.erase(leaky.begin() + static_cast<std::ptrdiff_t>(activation),
                leaky.begin() + static_cast<std::ptrdiff_t>(activation + 2 + 7));
    const bytes name = {10, 0, 'l', 'e', 'a', 'k', 'y', '_', 'r', 'e', 'l', 'u'};
    leaky.insert(leaky.begin() + static_cast<std::ptrdiff_t>(activation), name.begin(), name.end());
    io_test::reseal(leaky);
    leaky_net with_slope(
        ffn::dense<2, 1, ffn::leaky_relu, float, ffn::shared_bias>(2, 1, ffn::leaky_relu(0.3)));
    ffn::load_bytes(with_slope, leaky);
    CHECK(with_slope.layer<0>().activation().slope() == 0.3);
    CHECK(with_slope.layer<0>().weights()(0, 1) == -0.25F);
}

TEST_CASE("double values are stored as little-endian binary64, row by row", "[io]") {
    ffn::network<ffn::half_squared_error, ffn::dense<3, 2, ffn::sigmoid, double, ffn::no_bias>> net;
    net.layer<0>().weights() << 1.0, 2.0, 3.0, 4.0, 5.0, 6.0;
    const bytes b = ffn::save_bytes(net);
    CHECK(b[ffn::detail::scalar_offset] == 8);
    const std::size_t weights = io_test::find_name(b, "weights");
    const std::size_t values = weights + 2 + 7 + 16;
    CHECK(io_test::read_le(b, weights + 9, 8) == 2);  // rows
    CHECK(io_test::read_le(b, weights + 17, 8) == 3); // columns
    for (std::size_t k = 0; k < 6; ++k) {
        // Row-major: the k-th value is k + 1.
        CHECK(io_test::read_le(b, values + 8 * k, 8) ==
              std::bit_cast<std::uint64_t>(static_cast<double>(k + 1)));
    }
    // The bias tensor of a layer without biases is stored as 0x1 with no values.
    const std::size_t bias = io_test::find_name(b, "bias");
    CHECK(io_test::read_le(b, bias + 6, 8) == 0);
    CHECK(io_test::read_le(b, bias + 14, 8) == 1);
    CHECK(bias + 6 + 16 + 4 /* counters */ + ffn::detail::checksum_size == b.size());
}

TEMPLATE_TEST_CASE("a network survives a round trip through bytes", "[io]",
                   (io_test::fixed_net<float>), (io_test::fixed_net<double>),
                   (io_test::dynamic_net<float>), (io_test::dynamic_net<double>),
                   (io_test::fixed_net<double, ffn::shared_bias>),
                   (io_test::dynamic_net<float, ffn::no_bias>)) {
    const TestType original = io_test::filled<TestType>(42);
    const bytes b = ffn::save_bytes(original);
    CHECK(b.size() ==
          ffn::detail::header_size + 2 + ffn::half_squared_error::name.size() + 4 +
              4 /* loss settings */ +
              2 * (2 + 5 + 2 + 7 + 4 /* activation settings */ + 2 +
                   TestType::template layer_type<0>::bias_type::name.size() +
                   4 /* layer settings */ + 4 + (2 + 7 + 16) + (2 + 4 + 16) + 4 /* counters */) +
              static_cast<std::size_t>(original.parameter_count()) *
                  sizeof(typename TestType::scalar_type) +
              ffn::detail::checksum_size);

    TestType loaded = io_test::filled<TestType>(7);
    REQUIRE_FALSE(loaded == original);
    ffn::load_bytes(loaded, b);
    CHECK(loaded == original);
    // Saving is deterministic: the loaded network gives the same bytes.
    CHECK(ffn::save_bytes(loaded) == b);
}

TEST_CASE("a round trip keeps every bit, including signed zeros, subnormals and extremes", "[io]") {
    using net_type = ffn::network<ffn::half_squared_error, ffn::dense<3, 2, ffn::sigmoid, float>>;
    net_type net;
    net.layer<0>().weights() << -0.0F, std::numeric_limits<float>::denorm_min(),
        std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(),
        std::numeric_limits<float>::min(), 1.0F / 3.0F;
    net.layer<0>().bias() << std::nextafter(1.0F, 2.0F), -1e-30F;
    net_type loaded;
    ffn::load_bytes(loaded, ffn::save_bytes(net));
    for (Eigen::Index i = 0; i < 6; ++i) {
        CHECK(std::bit_cast<std::uint32_t>(loaded.layer<0>().weights()(i)) ==
              std::bit_cast<std::uint32_t>(net.layer<0>().weights()(i)));
    }
    CHECK(loaded == net);
}

TEST_CASE("loading gives a dynamic network the file's sizes", "[io]") {
    using net_type = io_test::dynamic_net<double>;
    const net_type original = io_test::filled<net_type>(3, {5, 7, 2});
    net_type loaded = io_test::filled<net_type>(4, {5, 2, 2});
    ffn::load_bytes(loaded, ffn::save_bytes(original));
    CHECK(loaded.layer<0>().outputs() == 7);
    CHECK(loaded == original);

    // The loaded network computes what the original computes.
    const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(5, -1.0, 1.0);
    CHECK(loaded.predict(x) == original.predict(x));
}

TEST_CASE("a file of a fixed network loads into the dynamic network of the same shape", "[io]") {
    const auto fixed = io_test::filled<io_test::fixed_net<double>>(11);
    auto dynamic = io_test::make_net<io_test::dynamic_net<double>>({3, 1, 2});
    ffn::load_bytes(dynamic, ffn::save_bytes(fixed));
    CHECK(dynamic.layer<0>().weights() == fixed.layer<0>().weights());
    CHECK(dynamic.layer<1>().bias() == fixed.layer<1>().bias());

    auto back = io_test::make_net<io_test::fixed_net<double>>();
    ffn::load_bytes(back, ffn::save_bytes(dynamic));
    CHECK(back == fixed);
}

TEST_CASE("frozen flags are not in the file and stay as they are", "[io]") {
    auto saved = io_test::filled<io_test::fixed_net<double>>(5);
    saved.layer<0>().freeze_bias();
    auto loaded = io_test::make_net<io_test::fixed_net<double>>();
    loaded.layer<1>().freeze_weights();
    ffn::load_bytes(loaded, ffn::save_bytes(saved));
    CHECK_FALSE(loaded.layer<0>().bias_frozen());
    CHECK(loaded.layer<1>().weights_frozen());
    CHECK(loaded.layer<0>().weights() == saved.layer<0>().weights());
    CHECK(loaded.layer<0>().bias() == saved.layer<0>().bias());
}

TEST_CASE("save and load through streams, one file after another", "[io]") {
    const auto first = io_test::filled<io_test::fixed_net<float>>(1);
    const auto second = io_test::filled<io_test::dynamic_net<double>>(2, {3, 6, 2});
    std::stringstream stream;
    ffn::save(first, stream);
    ffn::save(second, stream);
    stream << "tail";

    auto first_loaded = io_test::make_net<io_test::fixed_net<float>>();
    auto second_loaded = io_test::make_net<io_test::dynamic_net<double>>();
    ffn::load(first_loaded, stream);
    ffn::load(second_loaded, stream);
    CHECK(first_loaded == first);
    CHECK(second_loaded == second);
    // Each load stops at its file's last byte.
    std::string rest;
    stream >> rest;
    CHECK(rest == "tail");
}

TEST_CASE("save and load through a file", "[io]") {
    const io_test::scratch_folder folder;
    const auto path = folder.path() / "net.ffn";
    const auto original = io_test::filled<io_test::fixed_net<double>>(9);
    ffn::save(original, path);
    CHECK(io_test::file_bytes(path) == ffn::save_bytes(original));
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});

    auto loaded = io_test::make_net<io_test::fixed_net<double>>();
    ffn::load(loaded, path);
    CHECK(loaded == original);

    // Saving again replaces the file.
    const auto changed = io_test::filled<io_test::fixed_net<double>>(10);
    ffn::save(changed, path.string());
    ffn::load(loaded, path.string());
    CHECK(loaded == changed);
    CHECK(folder.entries() == std::vector<std::string>{"net.ffn"});
}
