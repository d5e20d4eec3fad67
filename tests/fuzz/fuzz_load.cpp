// SPDX-License-Identifier: MIT
// libFuzzer target: arbitrary bytes given to ffn::load_bytes for three network types (one of
// them, with batch normalisation and dropout, also empty as a default-constructed one). Besides
// the sanitizers' checks it asserts the loader's contract: a rejected file throws
// ffn::format_error and leaves the network exactly as it was; an accepted file saves back to
// the same bytes (a file of an older format version: to bytes that load to the same
// network). Each input is tried as it is and again with its size field and checksum made to
// agree with it, so that mutations reach the parser behind the checksum.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include <ffn/io/crc32.hpp>
#include <ffn/io/format.hpp>
#include <ffn/io/load.hpp>
#include <ffn/io/save.hpp>

#include "fuzz_networks.hpp"

namespace {

template <class Net>
void check_load(const Net& original, std::span<const unsigned char> bytes) {
    Net net = original;
    try {
        ffn::load_bytes(net, bytes);
    } catch (const ffn::format_error&) {
        if (!(net == original)) {
            std::abort(); // the strong guarantee was broken
        }
        return;
    }
    const std::vector<unsigned char> saved = ffn::save_bytes(net);
    const bool current = ffn::detail::get_unsigned(bytes, ffn::detail::version_offset, 4) ==
                         ffn::file_format_version;
    if (current && !std::equal(saved.begin(), saved.end(), bytes.begin(), bytes.end())) {
        std::abort(); // an accepted file must be what saving the result writes
    }
    // An older version is written anew in the current one, which must load to the same network.
    Net again = original;
    ffn::load_bytes(again, saved);
    if (!(again == net)) {
        std::abort();
    }
}

void check_all(std::span<const unsigned char> bytes) {
    static const fuzz::lecture_net lecture = fuzz::make_lecture_net();
    static const fuzz::dynamic_net dynamic = fuzz::make_dynamic_net();
    static const fuzz::norm_net norm = fuzz::make_norm_net();
    static const fuzz::norm_net empty_norm;
    check_load(lecture, bytes);
    check_load(dynamic, bytes);
    check_load(norm, bytes);
    check_load(empty_norm, bytes);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> input(data, size);
    check_all(input);

    if (size >= ffn::detail::header_size + ffn::detail::checksum_size) {
        std::vector<unsigned char> sealed(input.begin(), input.end());
        for (std::size_t i = 0; i < 8; ++i) {
            sealed[ffn::detail::size_offset + i] =
                static_cast<unsigned char>(static_cast<std::uint64_t>(size) >> (8U * i));
        }
        const std::size_t end = size - ffn::detail::checksum_size;
        const std::uint32_t crc =
            ffn::detail::crc32(std::span<const unsigned char>(sealed).first(end));
        for (std::size_t i = 0; i < 4; ++i) {
            sealed[end + i] = static_cast<unsigned char>(crc >> (8U * i));
        }
        check_all(sealed);
    }
    return 0;
}
