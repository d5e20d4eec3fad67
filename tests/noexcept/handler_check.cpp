// SPDX-License-Identifier: MIT
// Built twice: as it is, and with -fno-exceptions -fno-rtti. Each run takes one case (its
// argument), gives ffn one bad input with dynamic sizes, and prints the message it gets: from
// the exception in the first build, from the error handler in the second. check_handler.cmake
// runs both builds on every case and requires the same message.

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <ffn/ffn.hpp>

namespace {

using net_type =
    ffn::network<ffn::half_squared_error, ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>,
                 ffn::dropout<Eigen::Dynamic>,
                 ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;

/// The handler of the build without exceptions: the message, where ffn found it, and an exit
/// (a handler must not return).
void report(const char* what, const char* where) {
    std::printf("handler: %s\nwhere: %s\n", what, where);
    std::fflush(stdout);
    std::_Exit(3);
}

/// A saved network whose bytes at `offset` are replaced by those of `value`, with the
/// checksum made right again, so that only the value is wrong.
std::vector<unsigned char> with_f64_at(std::vector<unsigned char> bytes, std::size_t offset,
                                       double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (std::size_t k = 0; k < 8; ++k) {
        bytes[offset + k] = static_cast<unsigned char>(bits >> (8 * k));
    }
    const std::uint32_t crc =
        ffn::detail::crc32(std::span<const unsigned char>(bytes.data(), bytes.size() - 4));
    for (std::size_t k = 0; k < 4; ++k) {
        bytes[bytes.size() - 4 + k] = static_cast<unsigned char>(crc >> (8 * k));
    }
    return bytes;
}

/// The offset of the value of dropout's setting `p` in a saved network: after its name.
std::size_t dropout_p_offset(const std::vector<unsigned char>& bytes) {
    for (std::size_t i = 0; i + 3 < bytes.size(); ++i) {
        if (bytes[i] == 1 && bytes[i + 1] == 0 && bytes[i + 2] == 'p') {
            return i + 3;
        }
    }
    std::printf("no setting p in the file\n");
    std::exit(1);
}

void run(const std::string& name) {
    net_type net{2, 3, 3, 2};
    if (name == "input_shape") {
        const Eigen::MatrixXd x = Eigen::MatrixXd::Ones(3, 1);
        static_cast<void>(net.predict(x));
    } else if (name == "activation_setting") {
        static_cast<void>(ffn::leaky_relu(std::nan("")));
    } else if (name == "learning_rate") {
        const ffn::sgd optimizer(net, -1.0);
        static_cast<void>(optimizer);
    } else if (name == "unit_count") {
        net_type zero{2, 0, 0, 2}; // reported by the layer, prefixed by the network
        static_cast<void>(zero);
    } else if (name == "damaged_file") {
        auto bytes = ffn::save_bytes(net);
        bytes[40] ^= 0x10U;
        ffn::load_bytes(net, bytes);
    } else if (name == "refused_setting_in_file") {
        // Dropout refuses p = 2, and the loader says which layer of the file held it.
        const auto bytes = ffn::save_bytes(net);
        ffn::load_bytes(net, with_f64_at(bytes, dropout_p_offset(bytes), 2.0));
    } else {
        std::printf("unknown case '%s'\n", name.c_str());
        std::exit(1);
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::printf("usage: handler_check CASE\n");
        return 1;
    }
    ffn::set_error_handler(&report);
#if defined(__cpp_exceptions)
    try {
        run(argv[1]);
    } catch (const std::exception& e) {
        std::printf("exception: %s\n", e.what());
        return 3;
    }
#else
    run(argv[1]);
#endif
    std::printf("no error\n");
    return 1;
}
