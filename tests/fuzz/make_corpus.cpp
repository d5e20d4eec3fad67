// SPDX-License-Identifier: MIT
// Writes the seed corpus of fuzz_load into the folder given as the first argument: files that
// load, and files damaged in the ways the loader must catch. The output is committed under
// tests/fuzz/corpus; run this again after a change of the format.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <ffn/io/crc32.hpp>
#include <ffn/io/format.hpp>
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
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
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
    put_le(newer, ffn::detail::version_offset, 2, 4);
    write(folder, "newer_version", reseal(newer));

    // The first tensor's rows: after the header, the loss name, the layer count, the three
    // names of layer 0, its tensor count and the name "weights".
    const std::size_t first_rows = ffn::detail::header_size + 2 +
                                   ffn::half_squared_error::name.size() + 4 + (2 + 5) + (2 + 7) +
                                   (2 + 8) + 4 + (2 + 7);
    bytes tensor_too_big = dynamic;
    put_le(tensor_too_big, first_rows, 1000, 8);
    write(folder, "lying_shape", reseal(tensor_too_big));

    bytes trailing = lecture;
    trailing.insert(trailing.end() - 4, {1, 2, 3});
    write(folder, "trailing_data", reseal(trailing));

    // The other scalar type: the dynamic network's file read as the lecture's, and back.
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, float>> small;
    write(folder, "other_network", ffn::save_bytes(small));
    return 0;
}
