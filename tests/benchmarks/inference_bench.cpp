// SPDX-License-Identifier: MIT
// Inference, float: ffn's `predict` with a reused inference workspace (and, for comparison,
// `forward` with a reused workspace) beside the same network written by hand on fixed-size
// Eigen objects. One sample at a time on four shapes with two hidden layers and an identity
// output layer; then batches of 256 samples on the largest shape, where the hand-written
// network keeps its buffers (against `predict(input, ws)` and `forward`) or returns a new
// matrix (against `predict(input)`, which does too).

#include <cstdio>
#include <memory>
#include <string>

#include <Eigen/Core>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/sigmoid.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/init/glorot.hpp>
#include <ffn/init/initialize.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

#include "benchmarks.hpp"
#include "harness.hpp"

namespace {

// The hidden activations as one would write them by hand on an Eigen expression.
struct hand_tanh {
    template <class Sum>
    static auto apply(const Sum& sum) {
        return sum.array().tanh().matrix();
    }
};
struct hand_relu {
    template <class Sum>
    static auto apply(const Sum& sum) {
        return sum.cwiseMax(typename Sum::Scalar(0));
    }
};
struct hand_sigmoid {
    template <class Sum>
    static auto apply(const Sum& sum) {
        using scalar = typename Sum::Scalar;
        return (scalar(1) + (-sum).array().exp()).inverse().matrix();
    }
};

/// An In-Hidden-Hidden-Out network written by hand on fixed-size Eigen objects, with an
/// identity output layer.
template <int In, int Hidden, int Out, class Activation>
struct hand_written {
    Eigen::Matrix<float, Hidden, In> w1;
    Eigen::Matrix<float, Hidden, 1> b1;
    Eigen::Matrix<float, Hidden, Hidden> w2;
    Eigen::Matrix<float, Hidden, 1> b2;
    Eigen::Matrix<float, Out, Hidden> w3;
    Eigen::Matrix<float, Out, 1> b3;
    Eigen::Matrix<float, Hidden, 1> h1, h2;
    Eigen::Matrix<float, Out, 1> o;

    void forward(const Eigen::Matrix<float, In, 1>& x) {
        h1 = Activation::apply(w1 * x + b1);
        h2 = Activation::apply(w2 * h1 + b2);
        o = w3 * h2 + b3;
    }
};

template <int In, int Hidden, int Out, class Activation>
using ffn_net = ffn::network<ffn::mean_squared_error, ffn::dense<In, Hidden, Activation, float>,
                             ffn::dense<Hidden, Hidden, Activation, float>,
                             ffn::dense<Hidden, Out, ffn::identity, float>>;

template <class Hand, class Net>
void copy_to_hand(const Net& net, Hand& hand) {
    hand.w1 = net.template layer<0>().weights();
    hand.b1 = net.template layer<0>().bias();
    hand.w2 = net.template layer<1>().weights();
    hand.b2 = net.template layer<1>().bias();
    hand.w3 = net.template layer<2>().weights();
    hand.b3 = net.template layer<2>().bias();
}

/// One sample at a time: the ratio of ffn's predict to the hand-written network's time.
template <int In, int Hidden, int Out, class FfnActivation, class HandActivation>
double single_sample(const std::string& shape, const bench::settings& s) {
    using net_type = ffn_net<In, Hidden, Out, FfnActivation>;
    auto net = std::make_unique<net_type>();
    ffn::initialize(*net, ffn::glorot_uniform{}, 11);
    auto hand = std::make_unique<hand_written<In, Hidden, Out, HandActivation>>();
    copy_to_hand(*net, *hand);
    auto ws = std::make_unique<ffn::workspace<net_type>>();
    auto iws = std::make_unique<ffn::inference_workspace<net_type>>();
    Eigen::Matrix<float, In, 1> x = Eigen::Matrix<float, In, 1>::Random();

    hand->forward(x);
    const float d_predict = (net->predict(x, *iws) - hand->o).cwiseAbs().maxCoeff();
    const float d_forward = (net->forward(x, *ws) - hand->o).cwiseAbs().maxCoeff();
    std::printf("%s, float, one sample: max |difference| from the hand-written network: "
                "predict %.3g, forward %.3g\n",
                shape.c_str(), static_cast<double>(d_predict), static_cast<double>(d_forward));

    const bench::result r = bench::compare(shape + " inference, one sample",
                                           {{"Eigen fixed-size (hand-written)", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     bench::keep(x);
                                                     hand->forward(x);
                                                     bench::keep(hand->o);
                                                 }
                                             }},
                                            {"ffn predict(x, inference_workspace)", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     bench::keep(x);
                                                     net->predict(x, *iws);
                                                     bench::keep(*iws);
                                                 }
                                             }},
                                            {"ffn forward(x, workspace)", [] {},
                                             [&](long n) {
                                                 for (long i = 0; i < n; ++i) {
                                                     bench::keep(x);
                                                     net->forward(x, *ws);
                                                     bench::keep(*ws);
                                                 }
                                             }}},
                                           1.0, s);
    std::printf("\n");
    return r.ratio(1, 0);
}

constexpr int batch_in = 64;
constexpr int batch_hidden = 128;
constexpr int batch_out = 10;
constexpr Eigen::Index batch_size = 256;

/// The batch form of the hand-written network: fixed-size parameters, a column per sample.
struct hand_written_batch {
    hand_written<batch_in, batch_hidden, batch_out, hand_relu> p;
    Eigen::Matrix<float, batch_hidden, Eigen::Dynamic> h1{batch_hidden, batch_size};
    Eigen::Matrix<float, batch_hidden, Eigen::Dynamic> h2{batch_hidden, batch_size};
    Eigen::Matrix<float, batch_out, Eigen::Dynamic> o{batch_out, batch_size};

    /// Into buffers allocated once, as an expert writes a serving loop.
    void forward(const Eigen::MatrixXf& x) {
        h1.noalias() = p.w1 * x;
        h1.colwise() += p.b1;
        h1 = h1.cwiseMax(0.0F);
        h2.noalias() = p.w2 * h1;
        h2.colwise() += p.b2;
        h2 = h2.cwiseMax(0.0F);
        o.noalias() = p.w3 * h2;
        o.colwise() += p.b3;
    }

    /// A function returning a new matrix, as one writes it when the call is all one needs.
    [[nodiscard]] Eigen::MatrixXf predict(const Eigen::MatrixXf& x) const {
        const Eigen::MatrixXf a1 = ((p.w1 * x).colwise() + p.b1).cwiseMax(0.0F);
        const Eigen::MatrixXf a2 = ((p.w2 * a1).colwise() + p.b2).cwiseMax(0.0F);
        return (p.w3 * a2).colwise() + p.b3;
    }
};

} // namespace

bench_ratios::inference bench_inference(const bench::settings& s) {
    bench_ratios::inference r{};
    r.shape_8_8_8_1 = single_sample<8, 8, 1, ffn::tanh, hand_tanh>("8-8-8-1 tanh", s);
    r.shape_16_32_32_4 = single_sample<16, 32, 4, ffn::relu, hand_relu>("16-32-32-4 relu", s);
    r.shape_16_64_64_8 =
        single_sample<16, 64, 8, ffn::sigmoid, hand_sigmoid>("16-64-64-8 sigmoid", s);
    r.shape_64_128_128_10 =
        single_sample<64, 128, 10, ffn::relu, hand_relu>("64-128-128-10 relu", s);

    using net_type = ffn_net<batch_in, batch_hidden, batch_out, ffn::relu>;
    auto net = std::make_unique<net_type>();
    ffn::initialize(*net, ffn::glorot_uniform{}, 12);
    auto hand = std::make_unique<hand_written_batch>();
    copy_to_hand(*net, hand->p);
    ffn::workspace<net_type, Eigen::Dynamic> ws;
    ffn::inference_workspace<net_type, Eigen::Dynamic> iws;
    const Eigen::MatrixXf x = Eigen::MatrixXf::Random(batch_in, batch_size);

    hand->forward(x);
    std::printf("64-128-128-10 relu, float, %ld samples: max |difference| from the "
                "hand-written network: predict %.3g, forward %.3g\n",
                static_cast<long>(batch_size),
                static_cast<double>((net->predict(x, iws) - hand->o).cwiseAbs().maxCoeff()),
                static_cast<double>((net->forward(x, ws) - hand->o).cwiseAbs().maxCoeff()));

    const auto samples = static_cast<double>(batch_size);
    const bench::result kept =
        bench::compare("64-128-128-10 relu inference, batches of 256, buffers kept",
                       {{"Eigen fixed-size (hand-written)", [] {},
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 hand->forward(x);
                                 bench::keep(hand->o);
                             }
                         }},
                        {"ffn predict(x, inference_workspace)", [] {},
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 net->predict(x, iws);
                                 bench::keep(iws);
                             }
                         }},
                        {"ffn forward(x, workspace)", [] {},
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 net->forward(x, ws);
                                 bench::keep(ws);
                             }
                         }}},
                       samples, s);
    const bench::result fresh =
        bench::compare("64-128-128-10 relu inference, batches of 256, a new matrix per call",
                       {{"Eigen fixed-size (hand-written)", [] {},
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 Eigen::MatrixXf out = hand->predict(x);
                                 bench::keep(out);
                             }
                         }},
                        {"ffn predict(x)", [] {},
                         [&](long n) {
                             for (long i = 0; i < n; ++i) {
                                 Eigen::MatrixXf out = net->predict(x);
                                 bench::keep(out);
                             }
                         }}},
                       samples, s);
    std::printf("\n");
    r.batch_predict_kept = kept.ratio(1, 0);
    r.batch_forward_kept = kept.ratio(2, 0);
    r.batch_predict_fresh = fresh.ratio(1, 0);
    return r;
}
