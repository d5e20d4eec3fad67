// SPDX-License-Identifier: MIT
// ffn::load_safetensors and ffn::save_safetensors: PyTorch's names and shapes, the default
// grouping and ordering of layers, explicit names, dtypes, ffn's metadata and its checks, and
// every bad input refused with the network left as it was.

#include <bit>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <ffn/activations/elu.hpp>
#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/io/safetensors.hpp>
#include <ffn/losses/huber.hpp>
#include <ffn/losses/mean_squared_error.hpp>

#include "io_test_support.hpp"

using Catch::Contains;
using io_test::bytes;
using io_test::dyn;

namespace {

template <class Scalar, Eigen::Index In, Eigen::Index Hidden, Eigen::Index Out,
          class Bias = ffn::per_unit_bias>
using mlp = ffn::network<ffn::mean_squared_error, ffn::dense<In, Hidden, ffn::tanh, Scalar, Bias>,
                         ffn::dense<Hidden, Out, ffn::identity, Scalar, Bias>>;

using fixed_type = mlp<double, 4, 8, 3>;
using dynamic_type = mlp<double, dyn, dyn, dyn>;

template <class Net>
Net initialized(std::initializer_list<Eigen::Index> sizes = {4, 8, 3}) {
    Net net = io_test::make_net<Net>(sizes);
    ffn::initialize(net, ffn::glorot_uniform{}, 5);
    return net;
}

bytes to_bytes(const auto& net, const std::vector<std::string>& names = {}) {
    std::ostringstream out;
    ffn::save_safetensors(net, out, names);
    const std::string text = out.str();
    return {text.begin(), text.end()};
}

/// A safetensors file written by hand from the format's specification: tensors of F64 values.
struct tensor_spec {
    std::string name;
    std::vector<std::uint64_t> shape;
    std::vector<double> values;
    std::string dtype = "F64";
};

bytes handmade(const std::vector<tensor_spec>& tensors, const std::string& metadata = "") {
    std::string header = "{";
    bytes data;
    for (const tensor_spec& t : tensors) {
        const std::size_t begin = data.size();
        for (const double v : t.values) {
            if (t.dtype == "F32") {
                const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(v));
                for (int i = 0; i < 4; ++i) {
                    data.push_back(static_cast<unsigned char>(bits >> (8 * i)));
                }
            } else {
                const auto bits = std::bit_cast<std::uint64_t>(v);
                for (int i = 0; i < 8; ++i) {
                    data.push_back(static_cast<unsigned char>(bits >> (8 * i)));
                }
            }
        }
        // Appended piece by piece: g++ 12 at -O3 warns wrongly about chains of additions.
        std::string shape;
        for (const std::uint64_t s : t.shape) {
            shape.append(shape.empty() ? "" : ",").append(std::to_string(s));
        }
        header.append(header.size() > 1 ? "," : "").append("\"").append(t.name);
        header.append("\":{\"dtype\":\"").append(t.dtype).append("\",\"shape\":[").append(shape);
        header.append("],\"data_offsets\":[").append(std::to_string(begin)).append(",");
        header.append(std::to_string(data.size())).append("]}");
    }
    if (!metadata.empty()) {
        header += ",\"__metadata__\":{" + metadata + "}";
    }
    header += "}";
    bytes file;
    for (int i = 0; i < 8; ++i) {
        file.push_back(static_cast<unsigned char>(header.size() >> (8 * i)));
    }
    file.insert(file.end(), header.begin(), header.end());
    file.insert(file.end(), data.begin(), data.end());
    return file;
}

/// The tensors of `net` as PyTorch would name them, with prefixes `names`.
std::vector<tensor_spec> torch_tensors(const fixed_type& net,
                                       const std::vector<std::string>& names) {
    std::vector<tensor_spec> tensors;
    net.visit_tensors([&](std::size_t layer, std::string_view name, const auto& tensor, bool) {
        tensor_spec t;
        const bool weights = name == "weights";
        t.name = names[layer] + (weights ? ".weight" : ".bias");
        t.shape = {static_cast<std::uint64_t>(tensor.rows())};
        if (weights) {
            t.shape.push_back(static_cast<std::uint64_t>(tensor.cols()));
        }
        for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                t.values.push_back(tensor(r, c));
            }
        }
        tensors.push_back(t);
    });
    return tensors;
}

std::string load_error(fixed_type& net, const bytes& file,
                       const std::vector<std::string>& names = {}) {
    const fixed_type before = net;
    try {
        ffn::load_safetensors(net, file, names);
    } catch (const ffn::format_error& e) {
        CHECK(net == before); // strong guarantee
        return e.what();
    }
    return "no error";
}

} // namespace

TEMPLATE_TEST_CASE("safetensors: a round trip into a default-constructed network",
                   "[io][safetensors]", (mlp<float, 4, 8, 3>), (mlp<double, 4, 8, 3>),
                   (mlp<float, dyn, dyn, dyn>), (mlp<double, dyn, dyn, dyn>),
                   (mlp<double, 4, 8, 3, ffn::shared_bias>),
                   (mlp<float, dyn, 8, dyn, ffn::no_bias>)) {
    const TestType original = initialized<TestType>();
    const bytes file = to_bytes(original);
    TestType loaded;
    ffn::load_safetensors(loaded, file);
    CHECK(loaded == original);

    const ffn::detail::safetensors_header header = ffn::detail::parse_safetensors(file, "test");
    using scalar = typename TestType::scalar_type;
    for (const auto& tensor : header.tensors) {
        CHECK(tensor.dtype == (sizeof(scalar) == 4 ? ffn::detail::safetensors_dtype::f32
                                                   : ffn::detail::safetensors_dtype::f64));
    }
    // nn.Sequential(Linear, Tanh, Linear) names: 0.weight [8, 4], 0.bias [8], 2.weight [3, 8].
    const auto* weight = header.find("0.weight");
    REQUIRE(weight != nullptr);
    CHECK(weight->shape == std::vector<std::uint64_t>{8, 4});
    REQUIRE(header.find("2.weight") != nullptr);
    CHECK(header.find("2.weight")->shape == std::vector<std::uint64_t>{3, 8});
    using bias = typename TestType::template layer_type<0>::bias_type;
    if constexpr (std::is_same_v<bias, ffn::no_bias>) {
        CHECK(header.find("0.bias") == nullptr); // as nn.Linear(bias=False)
        CHECK(header.tensors.size() == 2);
    } else {
        REQUIRE(header.find("0.bias") != nullptr);
        CHECK(header.find("0.bias")->shape ==
              std::vector<std::uint64_t>{std::is_same_v<bias, ffn::shared_bias> ? 1U : 8U});
    }
}

TEST_CASE("safetensors: settings are kept in ffn's metadata and restored", "[io][safetensors]") {
    using net_type =
        ffn::network<ffn::huber, ffn::dense<3, 5, ffn::leaky_relu>, ffn::dense<5, 2, ffn::elu>>;
    net_type original(ffn::huber(0.25), {3, 5, ffn::leaky_relu(0.3)}, {5, 2, ffn::elu(0.7)});
    ffn::initialize(original, ffn::glorot_uniform{}, 3);
    const bytes file = to_bytes(original);
    net_type loaded;
    ffn::load_safetensors(loaded, file);
    CHECK(loaded == original);
    CHECK(loaded.layer<0>().activation().slope() == 0.3);
    CHECK(loaded.layer<1>().activation().alpha() == 0.7);
    CHECK(loaded.loss_function().delta() == 0.25);

    const auto header = ffn::detail::parse_safetensors(file, "test");
    const auto value = [&](std::string_view key) {
        for (const auto& [k, v] : header.metadata) {
            if (k == key) {
                return v;
            }
        }
        return std::string("(none)");
    };
    CHECK(value("format") == "pt");
    CHECK(value("ffn.loss") == "huber");
    CHECK(value("ffn.loss.delta") == "0.25");
    CHECK(value("ffn.layer.0.activation") == "leaky_relu");
    CHECK(value("ffn.layer.0.activation.slope") == "0.3");
    CHECK(value("ffn.layer.1.name") == "2");
}

TEST_CASE("safetensors: a file without ffn's metadata loads by names and shapes",
          "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    fixed_type net;
    ffn::load_safetensors(net, handmade(torch_tensors(source, {"0", "2"})));
    CHECK(net == source);

    // nn.Sequential(Linear, ReLU, Dropout, Linear): modules 0 and 3.
    fixed_type other;
    ffn::load_safetensors(other, handmade(torch_tensors(source, {"0", "3"})));
    CHECK(other == source);

    // Ordered by the trailing number, not as text: 2 before 10, whatever the file's order.
    auto tensors = torch_tensors(source, {"2", "10"});
    std::swap(tensors[0], tensors[2]);
    std::swap(tensors[1], tensors[3]);
    fixed_type numbered;
    ffn::load_safetensors(numbered, handmade(tensors));
    CHECK(numbered == source);

    // Nested names: encoder.0 and encoder.2.
    fixed_type nested;
    ffn::load_safetensors(nested, handmade(torch_tensors(source, {"encoder.0", "encoder.2"})));
    CHECK(nested == source);

    // Values as F32 into a double network, converted exactly.
    auto single = torch_tensors(source, {"0", "2"});
    for (auto& t : single) {
        t.dtype = "F32";
    }
    fixed_type from_f32;
    ffn::load_safetensors(from_f32, handmade(single));
    CHECK(from_f32.layer<0>().weights()(1, 2) ==
          static_cast<double>(static_cast<float>(source.layer<0>().weights()(1, 2))));
}

TEST_CASE("safetensors: explicit layer names, loading and saving", "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    fixed_type net;
    ffn::load_safetensors(net, handmade(torch_tensors(source, {"fc1", "head"})), {"fc1", "head"});
    CHECK(net == source);

    const bytes file = to_bytes(source, {"fc1", "head"});
    const auto header = ffn::detail::parse_safetensors(file, "test");
    CHECK(header.find("fc1.weight") != nullptr);
    CHECK(header.find("head.bias") != nullptr);
    // ffn's metadata records the names, so no list is needed to load it back.
    fixed_type back;
    ffn::load_safetensors(back, file);
    CHECK(back == source);

    CHECK_THROWS_WITH(to_bytes(source, {"fc1"}),
                      "ffn::save_safetensors: 1 layer names for a network of 2 layers");
    CHECK_THROWS_WITH(to_bytes(source, {"a", "a"}),
                      "ffn::save_safetensors: layers 0 and 1 have the same name 'a'");
    CHECK_THROWS_AS(ffn::load_safetensors(net, file, {"fc1"}), std::invalid_argument);
}

TEST_CASE("safetensors: names that do not give an order need a list", "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    fixed_type net;
    CHECK(load_error(net, handmade(torch_tensors(source, {"fc1", "head"}))) ==
          "ffn::load_safetensors: the layer name 'head' does not end in a number, so the order "
          "of the layers is not known; pass the layer names to ffn::load_safetensors");
    CHECK(load_error(net, handmade(torch_tensors(source, {"encoder.0", "decoder.0"}))) ==
          "ffn::load_safetensors: the layer names 'decoder.0' and 'encoder.0' end in the same "
          "number, so the order of the layers is not known; pass the layer names to "
          "ffn::load_safetensors");
    auto three = torch_tensors(source, {"0", "2"});
    three.push_back({"4.weight", {3, 3}, std::vector<double>(9, 0.5)});
    CHECK(load_error(net, handmade(three)) ==
          "ffn::load_safetensors: the file holds the tensors of 3 layers ('0', '2', '4'), the "
          "network has 2 layers with tensors");
    CHECK(load_error(net, handmade({{"weight", {8, 4}, std::vector<double>(32, 0.5)}})) ==
          "ffn::load_safetensors: tensor 'weight' has no layer name before a dot (as in "
          "'0.weight'); pass the layer names to ffn::load_safetensors");
}

TEST_CASE("safetensors: every bad input is refused, naming what and where", "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    const std::vector<tensor_spec> good = torch_tensors(source, {"0", "2"});
    fixed_type net = initialized<fixed_type>({4, 8, 3});
    ffn::initialize(net, ffn::glorot_uniform{}, 99);

    SECTION("a missing tensor") {
        auto tensors = good;
        tensors.erase(tensors.begin() + 3); // 2.bias
        CHECK(load_error(net, handmade(tensors)) ==
              "ffn::load_safetensors: layer 1 ('2'): tensor '2.bias' is missing from the file");
    }
    SECTION("an unexpected tensor") {
        auto tensors = good;
        tensors.push_back({"2.running_mean", {3}, {0, 0, 0}});
        CHECK(load_error(net, handmade(tensors)) ==
              "ffn::load_safetensors: unexpected tensor '2.running_mean' (no layer of the "
              "network takes it)");
    }
    SECTION("a shape that does not fit") {
        auto tensors = good;
        tensors[2].shape = {3, 4};
        tensors[2].values.resize(12);
        CHECK(load_error(net, handmade(tensors)) ==
              "ffn::load_safetensors: layer 1 ('2'): tensor '2.weight' has shape [3, 4], the "
              "network expects [3, 8]");
        auto flat = good;
        flat[1].shape = {8, 1};
        CHECK(load_error(net, handmade(flat)) ==
              "ffn::load_safetensors: layer 0 ('0'): tensor '0.bias' has shape [8, 1], the "
              "network expects [8]");
    }
    SECTION("an unsupported dtype") {
        bytes file = handmade(good);
        const std::string f64 = "\"F64\"";
        const auto at = std::search(file.begin(), file.end(), f64.begin(), f64.end());
        std::copy_n(std::string("\"I64\"").begin(), 5, at);
        CHECK(load_error(net, file) ==
              "ffn::load_safetensors: layer 0 ('0'): tensor '0.weight' has dtype I64; a "
              "network's parameters are read from F64, F32, F16 or BF16");
    }
    SECTION("a value that is not finite") {
        auto tensors = good;
        tensors[2].values[9] = std::numeric_limits<double>::quiet_NaN();
        CHECK(load_error(net, handmade(tensors)) ==
              "ffn::load_safetensors: layer 1 ('2'): tensor '2.weight' element [1, 1] is nan, "
              "not a finite number");
    }
    SECTION("offsets outside the data, overlapping or leaving holes") {
        bytes file = handmade(good);
        file.resize(file.size() - 8);
        CHECK_THAT(load_error(net, file), Contains("ffn::load_safetensors: tensor '2.bias' ends "
                                                   "at byte"));
        bytes holes = handmade(good);
        holes.insert(holes.end(), 8, 0);
        CHECK_THAT(load_error(net, holes), Contains("of the data belong to no tensor"));
    }
    SECTION("a header longer than the file") {
        bytes file = handmade(good);
        io_test::write_le(file, 0, file.size(), 8);
        CHECK_THAT(load_error(net, file), Contains("ffn::load_safetensors: the header claims"));
        CHECK(load_error(net, bytes{1, 2, 3}) == "ffn::load_safetensors: truncated: a "
                                                 "safetensors file starts with an 8-byte header "
                                                 "length");
    }
    SECTION("malformed JSON") {
        bytes file = handmade(good);
        *std::find(file.begin() + 8, file.end(), ':') = ';';
        CHECK_THAT(load_error(net, file),
                   Contains("ffn::load_safetensors: the header is not valid JSON"));
    }
}

TEST_CASE("safetensors: ffn's metadata is checked as strictly as ffn::load checks",
          "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    const auto with_metadata = [&](const std::string& from, const std::string& to) {
        bytes file = to_bytes(source);
        const auto at = std::search(file.begin(), file.end(), from.begin(), from.end());
        REQUIRE(at != file.end());
        REQUIRE(from.size() == to.size());
        std::copy(to.begin(), to.end(), at);
        return file;
    };
    fixed_type net;
    CHECK(load_error(net, with_metadata("\"ffn.layer.0.activation\":\"tanh\"",
                                        "\"ffn.layer.0.activation\":\"relu\"")) ==
          "ffn::load_safetensors: layer 0's activation is 'relu' in the file, the network's is "
          "'tanh'");
    CHECK(load_error(net, with_metadata("\"ffn.loss\":\"mean_squared_error\"",
                                        "\"ffn.loss\":\"mean_squared_errpr\"")) ==
          "ffn::load_safetensors: the loss is 'mean_squared_errpr' in the file, the network's "
          "is 'mean_squared_error'");
    CHECK(
        load_error(net, with_metadata("\"ffn.scalar\":\"double\"", "\"ffn.scalar\":\"floatt\"")) ==
        "ffn::load_safetensors: written as floatt by ffn, read as double");
    CHECK(load_error(net,
                     with_metadata("\"ffn.layer.1.bias_policy\"", "\"ffn.layer.1.bias_polixy\"")) ==
          "ffn::load_safetensors: ffn's metadata has no 'ffn.layer.1.bias_policy'");

    // A setting the network's policy does not have.
    using leaky = ffn::network<ffn::huber, ffn::dense<3, 2, ffn::leaky_relu>>;
    leaky with_slope(ffn::huber(0.5), {3, 2, ffn::leaky_relu(0.3)});
    std::ostringstream out;
    ffn::save_safetensors(with_slope, out);
    std::string text = out.str();
    const std::string slope = "ffn.layer.0.activation.slope\":\"0.3\"";
    text.replace(text.find(slope), slope.size(), "ffn.layer.0.activation.slope\":\"abc\"");
    leaky target;
    CHECK_THROWS_WITH(ffn::load_safetensors(target, bytes(text.begin(), text.end())),
                      "ffn::load_safetensors: metadata 'ffn.layer.0.activation.slope' is 'abc', "
                      "not a finite number");
    CHECK(target.layer<0>().activation().slope() == ffn::leaky_relu::default_slope);
}

TEST_CASE("safetensors: files and streams", "[io][safetensors]") {
    const fixed_type source = initialized<fixed_type>();
    io_test::scratch_folder folder;
    const std::filesystem::path path = folder.path() / "model.safetensors";
    ffn::save_safetensors(source, path);
    fixed_type loaded;
    ffn::load_safetensors(loaded, path);
    CHECK(loaded == source);

    // Saving over a private file keeps it private.
    ::chmod(path.c_str(), 0600);
    ffn::save_safetensors(source, path);
    struct ::stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);

    // A file name of the longest length the file system allows.
    const std::filesystem::path longest = folder.path() / (std::string(250, 'm') + ".safe");
    ffn::save_safetensors(source, longest);
    fixed_type from_longest;
    ffn::load_safetensors(from_longest, longest);
    CHECK(from_longest == source);

    // Two files in one stream: each load stops at its file's end.
    std::stringstream stream;
    ffn::save_safetensors(source, stream);
    ffn::save_safetensors(source, stream, {"a", "b"});
    fixed_type first;
    fixed_type second;
    ffn::load_safetensors(first, stream);
    ffn::load_safetensors(second, stream);
    CHECK(first == source);
    CHECK(second == source);

    std::stringstream failed;
    failed.setstate(std::ios_base::failbit);
    CHECK_THROWS_AS(ffn::load_safetensors(first, failed), std::ios_base::failure);

    // /dev/zero: a header length of 0, which is no JSON object.
    CHECK_THAT(load_error(first, bytes(8, 0)), Contains("the header does not start with '{'"));
    CHECK_THROWS_WITH(ffn::load_safetensors(first, "/dev/zero"),
                      Contains("ffn::load_safetensors: '/dev/zero': the header does not start "
                               "with '{'"));
}
