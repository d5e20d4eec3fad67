// SPDX-License-Identifier: MIT
#pragma once

// Networks, byte surgery and scratch folders shared by the [io] tests.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/detail/random.hpp>
#include <ffn/io/crc32.hpp>
#include <ffn/io/format.hpp>
#include <ffn/layers/bias.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

namespace io_test {

using bytes = std::vector<unsigned char>;

/// The identity activation: a second activation name to mismatch against sigmoid.
struct identity {
    static constexpr std::string_view name = "identity";
    template <class Sum>
    [[nodiscard]] auto value(const Eigen::ArrayBase<Sum>& sum) const {
        return sum.derived();
    }
    template <class Sum, class Output>
    [[nodiscard]] auto derivative(const Eigen::ArrayBase<Sum>& sum,
                                  const Eigen::ArrayBase<Output>& /*output*/) const {
        using scalar = typename Sum::Scalar;
        return Eigen::Array<scalar, Sum::RowsAtCompileTime, Sum::ColsAtCompileTime>::Ones(
            sum.rows(), sum.cols());
    }
};

inline constexpr Eigen::Index dyn = Eigen::Dynamic;

template <class Scalar, class Bias = ffn::per_unit_bias>
using fixed_net =
    ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid, Scalar, Bias>,
                 ffn::dense<4, 2, ffn::sigmoid, Scalar, Bias>>;

template <class Scalar, class Bias = ffn::per_unit_bias>
using dynamic_net =
    ffn::network<ffn::half_squared_error, ffn::dense<dyn, dyn, ffn::sigmoid, Scalar, Bias>,
                 ffn::dense<dyn, dyn, ffn::sigmoid, Scalar, Bias>>;

/// A network of type `Net`, of the given sizes if they are dynamic.
template <class Net>
Net make_net(std::initializer_list<Eigen::Index> sizes = {3, 4, 2}) {
    if constexpr (Net::input_size != Eigen::Dynamic && Net::output_size != Eigen::Dynamic) {
        return Net{};
    } else {
        return Net(sizes);
    }
}

/// Sets every parameter of `net` to a value in [-2, 2) drawn from `seed`.
template <class Net>
void fill(Net& net, std::uint64_t seed) {
    ffn::detail::random_engine engine(seed);
    net.visit_tensors([&engine](std::size_t, std::string_view, auto& tensor, bool) {
        using scalar = typename std::remove_cvref_t<decltype(tensor)>::Scalar;
        for (Eigen::Index i = 0; i < tensor.size(); ++i) {
            tensor.data()[i] = static_cast<scalar>(4.0 * engine.uniform() - 2.0);
        }
    });
}

/// A filled network of type `Net`.
template <class Net>
Net filled(std::uint64_t seed, std::initializer_list<Eigen::Index> sizes = {3, 4, 2}) {
    Net net = make_net<Net>(sizes);
    fill(net, seed);
    return net;
}

/// Reads a little-endian unsigned number of `width` bytes at `offset`.
inline std::uint64_t read_le(const bytes& b, std::size_t offset, std::size_t width) {
    return ffn::detail::get_unsigned(b, offset, width);
}

/// Writes a little-endian unsigned number of `width` bytes at `offset`.
inline void write_le(bytes& b, std::size_t offset, std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
        b.at(offset + i) = static_cast<unsigned char>(value >> (8U * i));
    }
}

/// Makes the size field and the checksum agree with the contents again, so that a change
/// made on purpose reaches the checks behind them.
inline void reseal(bytes& b) {
    write_le(b, ffn::detail::size_offset, b.size(), 8);
    const std::size_t end = b.size() - ffn::detail::checksum_size;
    write_le(b, end, ffn::detail::crc32(std::span<const unsigned char>(b.data(), end)), 4);
}

/// The offset of the `occurrence`-th (from 0) name `name` in the file, at its length prefix.
inline std::size_t find_name(const bytes& b, std::string_view name, int occurrence = 0) {
    bytes needle{static_cast<unsigned char>(name.size() & 0xFFU),
                 static_cast<unsigned char>(name.size() >> 8U)};
    needle.insert(needle.end(), name.begin(), name.end());
    auto from = b.begin();
    for (;;) {
        const auto it = std::search(from, b.end(), needle.begin(), needle.end());
        if (it == b.end()) {
            throw std::logic_error("io_test::find_name: name not in the file");
        }
        if (occurrence-- == 0) {
            return static_cast<std::size_t>(it - b.begin());
        }
        from = it + 1;
    }
}

/// Replaces the name at `offset` (its length prefix) by `replacement`.
inline void replace_name(bytes& b, std::size_t offset, std::string_view replacement) {
    const std::size_t old_length = read_le(b, offset, 2);
    const auto first = b.begin() + static_cast<std::ptrdiff_t>(offset);
    b.erase(first, first + static_cast<std::ptrdiff_t>(2 + old_length));
    bytes name{static_cast<unsigned char>(replacement.size() & 0xFFU),
               static_cast<unsigned char>(replacement.size() >> 8U)};
    name.insert(name.end(), replacement.begin(), replacement.end());
    b.insert(b.begin() + static_cast<std::ptrdiff_t>(offset), name.begin(), name.end());
}

/// A folder of its own under the system's temporary folder, removed at the end.
class scratch_folder {
public:
    scratch_folder() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("ffn_io_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    scratch_folder(const scratch_folder&) = delete;
    scratch_folder& operator=(const scratch_folder&) = delete;
    ~scratch_folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// The names of the entries in the folder, sorted.
    [[nodiscard]] std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(path_)) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

private:
    std::filesystem::path path_;
};

/// The bytes of the file at `path`.
inline bytes file_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes `b` to `path` plainly (to set up a test).
inline void write_bytes(const std::filesystem::path& path, const bytes& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

} // namespace io_test
