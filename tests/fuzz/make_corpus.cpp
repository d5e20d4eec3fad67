// SPDX-License-Identifier: MIT
// Writes the seed corpus of fuzz_load into the folder given as the first argument, and that of
// fuzz_safetensors into the second: files that load, and files damaged in the ways the loaders
// must catch, all in the current format version. The output is committed under
// tests/fuzz/corpus and tests/fuzz/corpus_safetensors; run this again after a change of a
// format. Seeds of older format versions are kept in tests/fuzz/corpus by hand, named after
// their version: v1_lecture, and v2_* (what this program wrote in format version 2, under the
// names without v2_; v2_labelled_3 was its newer_version, a version 2 file that says 3).

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <ffn/errors.hpp>
#include <ffn/io/crc32.hpp>
#include <ffn/io/format.hpp>
#include <ffn/io/load.hpp>
#include <ffn/io/safetensors.hpp>
#include <ffn/io/save.hpp>

#include "fuzz_networks.hpp"

namespace {

using bytes = std::vector<unsigned char>;

void write(const std::filesystem::path& folder, const std::string& name, const bytes& b) {
    std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

void put_le(bytes& b, std::size_t offset, std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
        b[offset + i] = static_cast<unsigned char>(value >> (8U * i));
    }
}

/// The offset of the first name `name` (its u16 length) in `b`.
std::size_t find_name(const bytes& b, std::string_view name) {
    bytes pattern = {static_cast<unsigned char>(name.size()), 0};
    pattern.insert(pattern.end(), name.begin(), name.end());
    const auto found = std::search(b.begin(), b.end(), pattern.begin(), pattern.end());
    if (found == b.end()) {
        std::fprintf(stderr, "make_corpus: no name '%.*s' in a seed\n",
                     static_cast<int>(name.size()), name.data());
        std::exit(1);
    }
    return static_cast<std::size_t>(found - b.begin());
}

/// The offset of what follows the first name `name` in `b`.
std::size_t after_name(const bytes& b, std::string_view name) {
    return find_name(b, name) + 2 + name.size();
}

/// Size field and checksum made to agree with the contents again.
bytes reseal(bytes b) {
    put_le(b, ffn::detail::size_offset, b.size(), 8);
    const std::size_t end = b.size() - ffn::detail::checksum_size;
    put_le(b, end, ffn::detail::crc32(std::span<const unsigned char>(b).first(end)), 4);
    return b;
}

/// Exits unless loading `b` into a norm_net fails with a message that holds `expected`, so
/// that each damaged seed reaches the check it was made for.
void expect_refused(const bytes& b, std::string_view seed, std::string_view expected) {
    fuzz::norm_net net = fuzz::make_norm_net();
    try {
        ffn::load_bytes(net, b);
    } catch (const ffn::format_error& e) {
        if (std::string_view(e.what()).find(expected) != std::string_view::npos) {
            return;
        }
        std::fprintf(stderr, "make_corpus: %.*s fails with \"%s\", not with \"%.*s\"\n",
                     static_cast<int>(seed.size()), seed.data(), e.what(),
                     static_cast<int>(expected.size()), expected.data());
        std::exit(1);
    }
    std::fprintf(stderr, "make_corpus: %.*s loads\n", static_cast<int>(seed.size()), seed.data());
    std::exit(1);
}

/// Exits unless `b` loads into an empty norm_net (whose dropouts take their sizes from their
/// neighbours) as `saved`, the network it was saved from.
void expect_loads(const bytes& b, std::string_view seed, const fuzz::norm_net& saved) {
    fuzz::norm_net net;
    ffn::load_bytes(net, b);
    if (!(net == saved)) {
        std::fprintf(stderr, "make_corpus: %.*s loads as another network\n",
                     static_cast<int>(seed.size()), seed.data());
        std::exit(1);
    }
}

/// Writes the damaged seed `b` as `name` after checking that it fails as `expected` says.
void write_refused(const std::filesystem::path& folder, const std::string& name, const bytes& b,
                   std::string_view expected) {
    expect_refused(b, name, expected);
    write(folder, name, b);
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s FFN_FOLDER SAFETENSORS_FOLDER\n", argv[0]);
        return 2;
    }
    const std::filesystem::path folder = argv[1];
    std::filesystem::create_directories(folder);

    const bytes lecture = ffn::save_bytes(fuzz::make_lecture_net());
    const bytes dynamic = ffn::save_bytes(fuzz::make_dynamic_net());
    write(folder, "valid_lecture", lecture);
    write(folder, "valid_dynamic", dynamic);
    write(folder, "valid_dynamic_resized", ffn::save_bytes(fuzz::make_dynamic_net(2, 7)));

    bytes truncated(lecture.begin(), lecture.begin() + 100);
    write(folder, "truncated", truncated);

    bytes damaged = lecture;
    damaged[120] ^= 0x04U;
    write(folder, "bad_checksum", damaged);

    bytes newer = lecture;
    put_le(newer, ffn::detail::version_offset, ffn::file_format_version + 1, 4);
    write(folder, "newer_version", reseal(newer));

    // The first tensor's rows, after its name.
    bytes tensor_too_big = dynamic;
    put_le(tensor_too_big, after_name(dynamic, "weights"), 1000, 8);
    write(folder, "lying_shape", reseal(tensor_too_big));

    bytes trailing = lecture;
    trailing.insert(trailing.end() - 4, {1, 2, 3});
    write(folder, "trailing_data", reseal(trailing));

    // The other scalar type: the dynamic network's file read as the lecture's, and back.
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, float>> small;
    write(folder, "other_network", ffn::save_bytes(small));

    // Batch normalisation and dropout: their settings, running statistics and count of
    // batches, and the ways a file may get them wrong.
    const bytes norm = ffn::save_bytes(fuzz::make_norm_net());
    expect_loads(norm, "valid_norm", fuzz::make_norm_net());
    write(folder, "valid_norm", norm);
    const bytes norm_resized = ffn::save_bytes(fuzz::make_norm_net(5, 2));
    expect_loads(norm_resized, "valid_norm_resized", fuzz::make_norm_net(5, 2));
    write(folder, "valid_norm_resized", norm_resized);
    {
        bytes negative = norm;
        negative[after_name(norm, "num_batches_tracked") + 7] |= 0x80U;
        write_refused(folder, "norm_negative_counter", reseal(negative),
                      "layer 2: counter 'num_batches_tracked' is negative in the file");

        bytes refused = norm; // the leading dropout's p, 1.5
        put_le(refused, after_name(norm, "p"), std::bit_cast<std::uint64_t>(1.5), 8);
        write_refused(folder, "norm_refused_setting", reseal(refused),
                      "layer 0 'dropout': the file's settings are refused");

        bytes disagreeing = norm; // running_var with one row more than the other three
        put_le(disagreeing, after_name(norm, "running_var"), 5, 8);
        disagreeing.insert(disagreeing.begin() +
                               static_cast<std::ptrdiff_t>(after_name(norm, "running_var") + 16),
                           8, 0);
        write_refused(folder, "norm_disagreeing_tensors", reseal(disagreeing),
                      "layer 2: the layer's tensors differ in size");

        bytes no_counter = norm; // the counter count 0, its name and value left over
        put_le(no_counter, find_name(norm, "num_batches_tracked") - 4, 0, 4);
        write_refused(folder, "norm_missing_counter", reseal(no_counter),
                      "layer 2: the file holds 0 counters");
    }

    // safetensors: files ffn writes for both networks, with default and explicit names, and
    // the dynamic network's file as PyTorch would write it (no metadata).
    const std::filesystem::path safetensors = argv[2];
    std::filesystem::create_directories(safetensors);
    const auto safetensors_bytes = [](const auto& net, const std::vector<std::string>& names) {
        return ffn::detail::safetensors_bytes(net, names);
    };
    write(safetensors, "lecture", safetensors_bytes(fuzz::make_lecture_net(), {}));
    write(safetensors, "dynamic", safetensors_bytes(fuzz::make_dynamic_net(), {}));
    write(safetensors, "named", safetensors_bytes(fuzz::make_lecture_net(), {"fc1", "fc2"}));
    {
        const bytes ffn_file = safetensors_bytes(fuzz::make_dynamic_net(2, 7), {});
        ffn::detail::safetensors_header header = ffn::detail::parse_safetensors(ffn_file, "seed");
        std::vector<ffn::detail::safetensors_output> tensors;
        for (const auto& t : header.tensors) {
            const auto data = ffn_file.begin() + static_cast<std::ptrdiff_t>(header.data_offset());
            tensors.push_back({t.name, t.dtype, t.shape,
                               bytes(data + static_cast<std::ptrdiff_t>(t.begin),
                                     data + static_cast<std::ptrdiff_t>(t.end))});
        }
        write(safetensors, "from_pytorch", ffn::detail::write_safetensors(tensors, {}));
    }
    return 0;
}
