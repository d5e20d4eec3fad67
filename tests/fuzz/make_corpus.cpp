// SPDX-License-Identifier: MIT
// Writes the seed corpus of fuzz_load into the folder given as the first argument, and that of
// fuzz_safetensors into the second: files that load, and files damaged in the ways the loaders
// must catch. The output is committed under tests/fuzz/corpus and
// tests/fuzz/corpus_safetensors (with v1_lecture, a file of format version 1, kept by hand);
// run this again after a change of a format.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ffn/io/crc32.hpp>
#include <ffn/io/format.hpp>
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

/// Size field and checksum made to agree with the contents again.
bytes reseal(bytes b) {
    put_le(b, ffn::detail::size_offset, b.size(), 8);
    const std::size_t end = b.size() - ffn::detail::checksum_size;
    put_le(b, end, ffn::detail::crc32(std::span<const unsigned char>(b).first(end)), 4);
    return b;
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

    // The first tensor's rows: after the header, the loss name, the layer count, the three
    // names of layer 0, its tensor count and the name "weights".
    const std::size_t first_rows = ffn::detail::header_size + 2 +
                                   ffn::half_squared_error::name.size() + 4 + 4 + (2 + 5) +
                                   (2 + 7) + 4 + (2 + 8) + 4 + (2 + 7);
    bytes tensor_too_big = dynamic;
    put_le(tensor_too_big, first_rows, 1000, 8);
    write(folder, "lying_shape", reseal(tensor_too_big));

    bytes trailing = lecture;
    trailing.insert(trailing.end() - 4, {1, 2, 3});
    write(folder, "trailing_data", reseal(trailing));

    // The other scalar type: the dynamic network's file read as the lecture's, and back.
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, float>> small;
    write(folder, "other_network", ffn::save_bytes(small));

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
