// SPDX-License-Identifier: MIT
// Every way a file can be wrong: each gives an ffn::format_error whose message says what and
// where, and leaves the network exactly as it was (the strong guarantee).

#include <bit>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <system_error>

#include <catch2/catch.hpp>

#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>

#include "io_test_support.hpp"

using io_test::bytes;

namespace {

/// The message of the ffn::format_error that loading `b` into `net` throws ("" if none), and
/// a check that `net` did not change.
template <class Net>
std::string load_error(Net& net, const bytes& b) {
    const Net before = net;
    std::string message;
    try {
        ffn::load_bytes(net, b);
    } catch (const ffn::format_error& e) {
        message = e.what();
    }
    CHECK(net == before);
    return message;
}

using net_type = io_test::fixed_net<double>;

/// A file of a filled `net_type`, and a differently filled network to load it into.
struct fixture {
    bytes file = ffn::save_bytes(io_test::filled<net_type>(1));
    net_type net = io_test::filled<net_type>(2);
};

} // namespace

TEST_CASE("load: an empty file", "[io]") {
    fixture f;
    CHECK(load_error(f.net, {}) == "ffn::load: not an ffn file (it is empty)");
}

TEST_CASE("load: a file that does not start with the magic number", "[io]") {
    fixture f;
    f.file[3] = 'X';
    CHECK(load_error(f.net, f.file) == "ffn::load: not an ffn file (bad magic)");
    // Text is not an ffn file either, however short.
    CHECK(load_error(f.net, {'{', '"'}) == "ffn::load: not an ffn file (bad magic)");
}

TEST_CASE("load: a file cut inside the header", "[io]") {
    fixture f;
    f.file.resize(10);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: truncated at byte 10 (the header alone takes 21 bytes)");
    f.file.resize(5);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: truncated at byte 5 (the header alone takes 21 bytes)");
}

TEST_CASE("load: a format version newer than the reader, or zero", "[io]") {
    fixture f;
    io_test::write_le(f.file, ffn::detail::version_offset, 7, 4);
    CHECK(load_error(f.net, f.file) == "ffn::load: format version 7 is newer than this reader (3)");
    io_test::write_le(f.file, ffn::detail::version_offset, 0, 4);
    CHECK(load_error(f.net, f.file) == "ffn::load: format version 0 is not valid");
}

TEST_CASE("load: a file cut short", "[io]") {
    fixture f;
    const std::size_t full = f.file.size();
    f.file.resize(212);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: truncated at byte 212 (the header gives a file size of " +
              std::to_string(full) + " bytes)");
}

TEST_CASE("load: a size field too small to hold a file", "[io]") {
    fixture f;
    io_test::write_le(f.file, ffn::detail::size_offset, 24, 8);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: the header gives a file size of 24 bytes, less than the header and "
          "checksum take");
}

TEST_CASE("load: bytes after the end of the file", "[io]") {
    fixture f;
    const std::size_t full = f.file.size();
    f.file.push_back(0);
    f.file.push_back(0);
    CHECK(load_error(f.net, f.file) == "ffn::load: 2 bytes of unexpected data after byte " +
                                           std::to_string(full) +
                                           ", where the header says the file ends");
}

TEST_CASE("load: a damaged byte gives a checksum mismatch", "[io]") {
    fixture f;
    const std::size_t end = f.file.size() - 4;
    const std::uint64_t stored = io_test::read_le(f.file, end, 4);
    f.file[100] ^= 0x01U; // one bit of a weight
    const std::uint32_t computed =
        ffn::detail::crc32(std::span<const unsigned char>(f.file.data(), end));
    std::ostringstream expected;
    expected << "ffn::load: checksum mismatch: the file's CRC-32 is 0x" << std::hex << std::setw(8)
             << std::setfill('0') << stored << ", its contents give 0x" << std::setw(8) << computed
             << " (the file is damaged)";
    CHECK(load_error(f.net, f.file) == expected.str());
    // Damage to the checksum itself is caught the same way.
    f.file[100] ^= 0x01U;
    f.file[end] ^= 0x80U;
    CHECK_THAT(load_error(f.net, f.file),
               Catch::Matchers::StartsWith("ffn::load: checksum mismatch"));
}

TEST_CASE("load: an unknown scalar type code", "[io]") {
    fixture f;
    f.file[ffn::detail::scalar_offset] = 3;
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) == "ffn::load: unknown scalar type code 3 at byte 20");
}

TEST_CASE("load: a file of another scalar type", "[io]") {
    auto float_net = io_test::filled<io_test::fixed_net<float>>(1);
    auto double_net = io_test::filled<io_test::fixed_net<double>>(1);
    CHECK(load_error(double_net, ffn::save_bytes(float_net)) ==
          "ffn::load: written as float, read as double");
    CHECK(load_error(float_net, ffn::save_bytes(double_net)) ==
          "ffn::load: written as double, read as float");
}

TEST_CASE("load: a file written for another loss", "[io]") {
    fixture f;
    io_test::replace_name(f.file, io_test::find_name(f.file, "half_squared_error"),
                          "cross_entropy");
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) == "ffn::load: the file was written for loss "
                                       "'cross_entropy', the network uses 'half_squared_error'");
}

TEST_CASE("load: a file with another number of layers", "[io]") {
    using three_layers =
        ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid>,
                     ffn::dense<4, 4, ffn::sigmoid>, ffn::dense<4, 2, ffn::sigmoid>>;
    three_layers net = io_test::filled<three_layers>(3);
    fixture f;
    CHECK(load_error(net, f.file) == "ffn::load: the file holds 2 layers, the network has 3");
}

TEST_CASE("load: a layer of another kind", "[io]") {
    fixture f;
    io_test::replace_name(f.file, io_test::find_name(f.file, "dense", 1), "convolution");
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 1: the file's layer has kind 'convolution', the network's has "
          "'dense'");
}

TEST_CASE("load: a layer with another activation", "[io]") {
    using identity_net = ffn::network<ffn::half_squared_error, ffn::dense<3, 4, io_test::identity>,
                                      ffn::dense<4, 2, ffn::sigmoid>>;
    using sigmoid_net = io_test::fixed_net<double>;
    auto net = io_test::filled<sigmoid_net>(1);
    CHECK(load_error(net, ffn::save_bytes(io_test::filled<identity_net>(2))) ==
          "ffn::load: layer 0: the file's layer has activation 'identity', the network's has "
          "'sigmoid'");
}

TEST_CASE("load: a layer with another bias policy", "[io]") {
    auto net = io_test::filled<io_test::fixed_net<double, ffn::shared_bias>>(1);
    fixture f;
    CHECK(load_error(net, f.file) == "ffn::load: layer 0: the file's layer has bias policy "
                                     "'per_unit', the network's has 'shared'");
}

TEST_CASE("load: names with bytes that are not printable are escaped in messages", "[io]") {
    fixture f;
    io_test::replace_name(f.file, io_test::find_name(f.file, "sigmoid"),
                          std::string_view("sig\n\xff'", 6));
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 0: the file's layer has activation 'sig\\x0a\\xff\\x27', the "
          "network's has 'sigmoid'");
}

TEST_CASE("load: a layer with another number of tensors", "[io]") {
    fixture f;
    // After the bias policy's name: the layer's setting count (4 bytes), then the tensors'.
    const std::size_t count = io_test::find_name(f.file, "per_unit") + 2 + 8 + 4;
    io_test::write_le(f.file, count, 3, 4);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 0: the file holds 3 tensors, the network's layer has 2");
}

TEST_CASE("load: a tensor of another name", "[io]") {
    fixture f;
    io_test::replace_name(f.file, io_test::find_name(f.file, "bias", 1), "gain");
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 1: tensor 1 is 'gain' in the file, the network expects 'bias'");
}

TEST_CASE("load: weights of another shape", "[io]") {
    // The file's layer 1 has 3x4 weights; the network's layer 1 is fixed at 2x2. Layer 0 is
    // dynamic and would take the file's 4x2 weights, but nothing changes.
    using file_net = io_test::dynamic_net<double>;
    using other_net =
        ffn::network<ffn::half_squared_error, ffn::dense<io_test::dyn, io_test::dyn, ffn::sigmoid>,
                     ffn::dense<2, 2, ffn::sigmoid>>;
    auto net = io_test::filled<other_net>(1, {2, 2, 2});
    CHECK(load_error(net, ffn::save_bytes(io_test::filled<file_net>(2, {2, 4, 3}))) ==
          "ffn::load: layer 1: the file holds 3x4 weights, the network expects 2x2");
}

TEST_CASE("load: a fixed dimension of a partly dynamic tensor differs", "[io]") {
    // dense<2, Dynamic>: weights with any number of rows and 2 columns.
    using partly = ffn::network<ffn::half_squared_error, ffn::dense<2, io_test::dyn, ffn::sigmoid>>;
    using file_net =
        ffn::network<ffn::half_squared_error, ffn::dense<io_test::dyn, io_test::dyn, ffn::sigmoid>>;
    partly net({2, 5});
    io_test::fill(net, 1);
    CHECK(load_error(net, ffn::save_bytes(io_test::filled<file_net>(2, {3, 2}))) ==
          "ffn::load: layer 0: the file holds 2x3 weights, the network expects 2 columns");
    // The same file loads where the columns agree, and the rows follow the file.
    using partly_rows =
        ffn::network<ffn::half_squared_error, ffn::dense<3, io_test::dyn, ffn::sigmoid>>;
    partly_rows other({3, 5});
    ffn::load_bytes(other, ffn::save_bytes(io_test::filled<file_net>(2, {3, 2})));
    CHECK(other.outputs() == 2);
}

TEST_CASE("load: a dynamic size of zero", "[io]") {
    auto net = io_test::filled<io_test::dynamic_net<double>>(1);
    bytes file = ffn::save_bytes(io_test::filled<io_test::dynamic_net<double>>(2));
    const std::size_t rows = io_test::find_name(file, "weights") + 2 + 7;
    io_test::write_le(file, rows, 0, 8);
    io_test::reseal(file);
    CHECK(load_error(net, file) == "ffn::load: layer 0: the file holds 0x3 weights; a size the "
                                   "network leaves open must be positive");
}

TEST_CASE("load: a shape that promises more values than the file holds", "[io]") {
    auto net = io_test::filled<io_test::dynamic_net<double>>(1);
    bytes file = ffn::save_bytes(io_test::filled<io_test::dynamic_net<double>>(2));
    const std::size_t rows = io_test::find_name(file, "weights", 1) + 2 + 7;
    SECTION("more than the file has") { io_test::write_le(file, rows, 100, 8); }
    SECTION("so many that rows times columns overflows") {
        io_test::write_le(file, rows, std::uint64_t{1} << 62U, 8);
    }
    io_test::reseal(file);
    const std::size_t end = file.size() - 4;
    CHECK(load_error(net, file) == "ffn::load: truncated at byte " + std::to_string(end) +
                                       " while reading layer 1 weights (from byte " +
                                       std::to_string(rows + 16) + ")");
}

TEST_CASE("load: a value that is not a finite number", "[io]") {
    fixture f;
    const std::size_t value = io_test::find_name(f.file, "weights") + 2 + 7 + 16 + 8;
    io_test::write_le(f.file, value,
                      std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN()), 8);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 0 weights(0, 1) is nan, not a finite number");
    io_test::write_le(f.file, value,
                      std::bit_cast<std::uint64_t>(-std::numeric_limits<double>::infinity()), 8);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) ==
          "ffn::load: layer 0 weights(0, 1) is -inf, not a finite number");
}

TEST_CASE("load: data between the last layer and the checksum", "[io]") {
    fixture f;
    const std::size_t end = f.file.size() - 4;
    f.file.insert(f.file.begin() + static_cast<std::ptrdiff_t>(end), 3, 0xAB);
    io_test::reseal(f.file);
    CHECK(load_error(f.net, f.file) == "ffn::load: 3 bytes of unexpected data at byte " +
                                           std::to_string(end) + ", after the last layer");
}

TEST_CASE("load: a layer whose sizes contradict its fixed sizes", "[io]") {
    // dense<80, 80> keeps its 6400 weights (50 KiB) in dynamic storage; the sizes are still
    // fixed.
    // (Without biases, whose fixed 40x1 shape would be caught first.)
    using big = ffn::network<ffn::half_squared_error,
                             ffn::dense<80, 80, ffn::sigmoid, double, ffn::no_bias>>;
    using file_net =
        ffn::network<ffn::half_squared_error,
                     ffn::dense<io_test::dyn, io_test::dyn, ffn::sigmoid, double, ffn::no_bias>>;
    STATIC_REQUIRE(big::layer_type<0>::weight_matrix::RowsAtCompileTime == Eigen::Dynamic);
    big net;
    io_test::fill(net, 1);
    CHECK(load_error(net, ffn::save_bytes(io_test::filled<file_net>(2, {80, 30}))) ==
          "ffn::load: layer 0: the file's tensors give the layer 30 outputs, the network's "
          "layer has 80");
}

TEST_CASE("load: a layer whose biases do not match its units", "[io]") {
    auto net = io_test::filled<io_test::dynamic_net<double>>(1);
    bytes file = ffn::save_bytes(io_test::filled<io_test::dynamic_net<double>>(2));
    // Layer 1 has 2 units; make its bias 1x1 by dropping a value.
    const std::size_t bias = io_test::find_name(file, "bias", 1);
    io_test::write_le(file, bias + 6, 1, 8);
    file.erase(file.begin() + static_cast<std::ptrdiff_t>(bias + 22),
               file.begin() + static_cast<std::ptrdiff_t>(bias + 30));
    io_test::reseal(file);
    CHECK(load_error(net, file) == "ffn::load: layer 1: the layer has 2 units and 1 biases, "
                                   "but its bias policy 'per_unit' needs 2");
}

TEST_CASE("load: layers whose sizes do not chain", "[io]") {
    using chain_net = io_test::dynamic_net<double, ffn::shared_bias>;
    auto net = io_test::filled<chain_net>(1, {2, 3, 2});
    bytes file = ffn::save_bytes(io_test::filled<chain_net>(2, {2, 3, 2}));
    // Layer 1's 2x3 weights become 3x2: it then takes 2 inputs, and layer 0 gives 3.
    const std::size_t rows = io_test::find_name(file, "weights", 1) + 2 + 7;
    io_test::write_le(file, rows, 3, 8);
    io_test::write_le(file, rows + 8, 2, 8);
    io_test::reseal(file);
    CHECK(load_error(net, file) ==
          "ffn::load: layer 1 (dense) takes 2 inputs, but layer 0 (dense) gives 3 outputs");
}

TEST_CASE("load: a truncated stream", "[io]") {
    fixture f;
    const net_type before = f.net;
    std::stringstream stream;
    stream.write(reinterpret_cast<const char*>(f.file.data()), 104);
    CHECK_THROWS_MATCHES(ffn::load(f.net, stream), ffn::format_error,
                         Catch::Matchers::Message("ffn::load: truncated at byte 104 while "
                                                  "reading layer 0 weights's columns (the header "
                                                  "gives a file size of " +
                                                  std::to_string(f.file.size()) + " bytes)"));
    CHECK(f.net == before);
}

TEST_CASE("load: errors from a file name the file", "[io]") {
    const io_test::scratch_folder folder;
    fixture f;
    const net_type before = f.net;
    const auto path = folder.path() / "damaged.ffn";
    // The lowest byte of the last value (the last bias, little-endian): the fields still make
    // sense, so the checksum, checked last when reading a file, is what finds the damage.
    f.file[f.file.size() - ffn::detail::checksum_size - 8] ^= 0x01U;
    io_test::write_bytes(path, f.file);
    CHECK_THROWS_AS(ffn::load(f.net, path), ffn::format_error);
    CHECK_THROWS_WITH(
        ffn::load(f.net, path),
        Catch::Matchers::StartsWith("ffn::load: '" + path.string() + "': checksum mismatch"));
    CHECK(f.net == before);
}

TEST_CASE("load: a file that cannot be opened or read", "[io]") {
    const io_test::scratch_folder folder;
    fixture f;
    const net_type before = f.net;
    const auto missing = folder.path() / "missing.ffn";
    CHECK_THROWS_MATCHES(ffn::load(f.net, missing), std::system_error,
                         Catch::Matchers::Message("ffn::load: cannot open '" + missing.string() +
                                                  "': No such file or directory"));
    CHECK_THROWS_MATCHES(ffn::load(f.net, folder.path()), std::system_error,
                         Catch::Matchers::Message("ffn::load: cannot read '" +
                                                  folder.path().string() + "': Is a directory"));
    CHECK(f.net == before);
}
