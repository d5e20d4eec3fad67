// SPDX-License-Identifier: MIT
// libFuzzer target: arbitrary bytes given to ffn::load_safetensors for three networks (fixed,
// dynamic, and an empty dynamic one), to the safetensors container reader beneath it, and, as
// text, to the JSON parser beneath that. Only ffn::format_error may come out; any other
// exception escapes to libFuzzer and is a finding, as is anything the sanitizers catch. A
// rejected file must leave the network exactly as it was; an accepted one must save and load
// back to the same network. A file the container reader accepts must also survive
// write_safetensors: written again and read back, it holds the same tensors (names, dtypes,
// shapes, bytes) and metadata.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <ffn/detail/json.hpp>
#include <ffn/detail/safetensors_file.hpp>
#include <ffn/errors.hpp>
#include <ffn/io/safetensors.hpp>

#include "fuzz_networks.hpp"

namespace {

namespace st = ffn::detail;

/// Writes what `file` holds again and checks that it reads back the same.
void check_rewrite(std::span<const unsigned char> file, const st::safetensors_header& header) {
    std::vector<st::safetensors_output> tensors;
    for (const st::safetensors_tensor& t : header.tensors) {
        const auto from =
            file.begin() + static_cast<std::ptrdiff_t>(header.data_offset() + t.begin);
        const auto to = file.begin() + static_cast<std::ptrdiff_t>(header.data_offset() + t.end);
        tensors.push_back({t.name, t.dtype, t.shape, std::vector<unsigned char>(from, to)});
    }
    const std::vector<unsigned char> rewritten = st::write_safetensors(tensors, header.metadata);
    const st::safetensors_header again = st::parse_safetensors(rewritten, "rewritten");
    if (again.metadata != header.metadata || again.tensors.size() != tensors.size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const st::safetensors_tensor& t = again.tensors[i];
        const auto data = rewritten.begin() + static_cast<std::ptrdiff_t>(again.data_offset());
        if (t.name != tensors[i].name || t.dtype != tensors[i].dtype ||
            t.shape != tensors[i].shape ||
            !std::equal(data + static_cast<std::ptrdiff_t>(t.begin),
                        data + static_cast<std::ptrdiff_t>(t.end), tensors[i].bytes.begin(),
                        tensors[i].bytes.end())) {
            std::abort();
        }
    }
}

template <class Net>
void check_load(const Net& original, std::span<const unsigned char> file) {
    Net net = original;
    try {
        ffn::load_safetensors(net, file);
    } catch (const ffn::format_error&) {
        if (!(net == original)) {
            std::abort(); // the strong guarantee was broken
        }
        return;
    }
    std::ostringstream out;
    ffn::save_safetensors(net, out);
    const std::string saved = out.str();
    Net again = original;
    ffn::load_safetensors(
        again, std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(saved.data()),
                                              saved.size()));
    if (!(again == net)) {
        std::abort(); // what was loaded must survive saving and loading
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const unsigned char> file(data, size);
    static const fuzz::lecture_net lecture = fuzz::make_lecture_net();
    static const fuzz::dynamic_net dynamic = fuzz::make_dynamic_net();
    static const fuzz::dynamic_net empty;
    check_load(lecture, file);
    check_load(dynamic, file);
    check_load(empty, file);
    try {
        const st::safetensors_header header = st::parse_safetensors(file, "fuzz.safetensors");
        check_rewrite(file, header);
    } catch (const ffn::format_error&) {
    }
    try {
        (void)st::parse_json(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    } catch (const ffn::format_error&) {
    }
    return 0;
}
