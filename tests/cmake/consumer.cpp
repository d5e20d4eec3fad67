// SPDX-License-Identifier: MIT
// A program outside ffn's tree: the lecture's forward pass through the installed or added ffn.
#include <cmath>
#include <cstdio>

#include <ffn/ffn.hpp>

int main() {
    using net_type = ffn::network<ffn::half_squared_error,
                                  ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>,
                                  ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>>;
    net_type net;
    net.layer<0>().weights() << 0.1, 0.3, 0.2, 0.4;
    net.layer<0>().bias() << 0.25;
    net.layer<1>().weights() << 0.5, 0.6, 0.7, 0.8;
    net.layer<1>().bias() << 0.35;
    const Eigen::Vector2d out = net.predict(Eigen::Vector2d(0.1, 0.5));
    std::printf("ffn %d.%d.%d: output_o1 = %.8f, output_o2 = %.8f\n", ffn::version.major,
                ffn::version.minor, ffn::version.patch, out(0), out(1));
    const bool ok = std::abs(out(0) - 0.734928) < 1e-5 && std::abs(out(1) - 0.779553) < 1e-5;
    return ok ? 0 : 1;
}
