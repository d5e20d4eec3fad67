// SPDX-License-Identifier: MIT
// Walks the backpropagation lecture through its 2-2-2 sigmoid network: every number the
// lecture prints, computed by ffn and shown beside the lecture's own. The lecture truncates
// to five decimals, so a value agrees when it lies within 1e-5 of the printed number on the
// side away from zero. Exits with 1 if any number disagrees or the DOT file cannot be written.
//
// It also prints the chain rule behind dE/dw5 and dE/dw1 as ffn::explain_gradient writes it,
// and saves the network with its first gradients as a Graphviz graph, lecture.dot, in the
// folder or at the path given as its argument (the current folder by default).

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/explain.hpp>
#include <ffn/io/dot.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "program.hpp"

namespace {

// The lecture draws one bias per layer (b1 shared by h1 and h2, b2 by o1 and o2).
using lecture_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>,
                 ffn::dense<2, 2, ffn::sigmoid, double, ffn::shared_bias>>;

int disagreements = 0;

bool agrees(double value, double printed) {
    if (printed >= 0) {
        return value >= printed - 1e-12 && value < printed + 1e-5;
    }
    return value > printed - 1e-5 && value <= printed + 1e-12;
}

void show(std::string_view what, double value, double printed) {
    const bool ok = agrees(value, printed);
    disagreements += ok ? 0 : 1;
    std::printf("  %-28.*s ffn %12.8f   lecture %9.5f   %s\n", static_cast<int>(what.size()),
                what.data(), value, printed, ok ? "agrees" : "DISAGREES");
}

void heading(const char* text) { std::printf("\n%s\n", text); }

// The lecture's weight names: W1 = [[w1, w3], [w2, w4]], W2 = [[w5, w6], [w7, w8]].
std::string lecture_weight_name(std::size_t layer, Eigen::Index row, Eigen::Index col) {
    std::string name = "w";
    name += std::to_string(layer == 0 ? 1 + row + 2 * col : 5 + 2 * row + col);
    return name;
}

/// Reports that the DOT file could not be written: the message on standard output, exit code 1.
int report_dot_failure(const char* what) {
    std::printf("\n%s\n", what);
    return 1;
}

/// The program; `main` reports its errors (program.hpp).
int program(int argc, char** argv) {
    lecture_net net;
    // W1 = [[w1, w3], [w2, w4]]: row j holds the weights into hidden unit j.
    net.layer<0>().weights() << 0.1, 0.3, 0.2, 0.4;
    net.layer<0>().bias() << 0.25;
    // W2 = [[w5, w6], [w7, w8]].
    net.layer<1>().weights() << 0.5, 0.6, 0.7, 0.8;
    net.layer<1>().bias() << 0.35;
    // The lecture updates the weights and keeps the biases.
    net.layer<0>().freeze_bias();
    net.layer<1>().freeze_bias();
    const lecture_net before = net;

    const Eigen::Vector2d input(0.1, 0.5);
    const Eigen::Vector2d target(0.05, 0.95);
    const double learning_rate = 0.6;

    ffn::workspace<lecture_net> ws;
    ffn::gradients<lecture_net> grads;

    heading("The forward pass");
    net.forward(input, ws);
    const auto& h = ws.layer<0>();
    const auto& o = ws.layer<1>();
    show("sum_h1 = i1*w1 + i2*w3 + b1", h.sum(0), 0.41);
    show("output_h1 = 1/(1+e^-sum_h1)", h.output(0), 0.60108);
    show("sum_h2", h.sum(1), 0.47);
    show("output_h2", h.output(1), 0.61538);
    show("sum_o1", o.sum(0), 1.01977);
    show("output_o1", o.output(0), 0.73492);
    show("sum_o2", o.sum(1), 1.26306);
    show("output_o2", o.output(1), 0.77955);

    heading("The total error, E = sum 1/2 (target - output)^2");
    const auto& loss = net.loss_function();
    const Eigen::Array2d errors = loss.errors(ws.output(), target);
    show("E1", errors(0), 0.23456);
    show("E2", errors(1), 0.01452);
    show("E_total", net.loss(ws, target), 0.24908);

    heading("The backward pass: output layer");
    net.backward(ws, target, grads);
    const Eigen::Vector2d d_out = loss.gradient(ws.output(), target); // dE/doutput
    const Eigen::Array2d o_slope =
        net.layer<1>().activation().derivative(o.sum.array(), o.output.array());
    const auto& g2 = grads.layer<1>().weights;
    ffn::sgd optimizer(net, learning_rate);
    optimizer.step(net, grads);
    const auto& w2 = net.layer<1>().weights();
    show("dE/dout_o1 = out_o1 - t1", d_out(0), 0.68492);
    show("dout_o1/dsum_o1 = o(1-o)", o_slope(0), 0.19480);
    show("dE/dw5 = [..]*[..]*out_h1", g2(0, 0), 0.08020);
    show("new w5 = w5 - 0.6*dE/dw5", w2(0, 0), 0.45187);
    show("dE/dw6", g2(0, 1), 0.08211);
    show("new w6", w2(0, 1), 0.55073);
    show("dE/dout_o2", d_out(1), -0.17044);
    show("dout_o2/dsum_o2", o_slope(1), 0.17184);
    show("dE/dw7", g2(1, 0), -0.01760);
    show("new w7", w2(1, 0), 0.71056);
    show("dE/dw8", g2(1, 1), -0.01802);
    show("new w8", w2(1, 1), 0.81081);

    heading("The backward pass: hidden layer");
    const Eigen::Array2d h_slope =
        net.layer<0>().activation().derivative(h.sum.array(), h.output.array());
    // The two paths from w1 to the error: through o1 (weight w5) and through o2 (weight w7).
    const double via_o1 =
        o.error_signal(0) * before.layer<1>().weights()(0, 0) * h_slope(0) * input(0);
    const double via_o2 =
        o.error_signal(1) * before.layer<1>().weights()(1, 0) * h_slope(0) * input(0);
    const auto& g1 = grads.layer<0>().weights;
    const auto& w1 = net.layer<0>().weights();
    show("dout_h1/dsum_h1", h_slope(0), 0.23978);
    show("dE1/dw1 (path through o1)", via_o1, 0.00159);
    show("dE2/dw1 (path through o2)", via_o2, -0.00049);
    show("dE/dw1 = dE1/dw1 + dE2/dw1", g1(0, 0), 0.00110);
    show("new w1", w1(0, 0), 0.09933);
    show("new w2", w1(1, 0), 0.19919);
    show("new w3", w1(0, 1), 0.29667);
    show("new w4", w1(1, 1), 0.39597);

    heading("The chain rule for w5 and w1, as ffn::explain_gradient writes it");
    ffn::explain_options names;
    names.weight_name = lecture_weight_name;
    const ffn::number_format lecture_digits{5, true, true}; // five decimals, truncated
    bool explanations_agree = true;
    for (const auto& which : {ffn::weight_at(1, 0, 0), ffn::weight_at(0, 0, 0)}) {
        const auto explanation = ffn::explain_gradient(before, ws, target, grads, which, names);
        std::printf("\n%s", explanation.format(lecture_digits).c_str());
        explanations_agree =
            explanations_agree && std::abs(explanation.value - explanation.backward_value) <=
                                      1e-12 * std::abs(explanation.backward_value);
    }

    std::filesystem::path dot_path = argc > 1 ? argv[1] : ".";
    // Without an error code, a path that cannot be examined would throw here; it is taken
    // as a file instead, which save_dot then reports it cannot write.
    if (std::error_code unknown; std::filesystem::is_directory(dot_path, unknown)) {
        dot_path /= "lecture.dot";
    }
    examples::on_error(&report_dot_failure, [&] {
        ffn::dot_options graph;
        graph.graph_name = "lecture";
        graph.weight_name = lecture_weight_name;
        ffn::save_dot(dot_path, before, grads, graph);
        std::printf("\nwrote the network with its first gradients to %s\n"
                    "(render it with: dot -Tsvg %s -o lecture_network.svg)\n",
                    dot_path.string().c_str(), dot_path.string().c_str());
    });

    heading("Training on: the error falls until it converges");
    std::printf("  %8s  %14s\n", "step", "E_total");
    double error = 0;
    int step = 1;
    for (; step <= 20000; ++step) {
        net.forward(input, ws);
        error = net.loss(ws, target);
        if (step == 1 || step == 10 || step == 100 || step % 1000 == 0 || error < 1e-6) {
            std::printf("  %8d  %14.10f\n", step, error);
        }
        if (error < 1e-6) {
            break;
        }
        net.backward(ws, target, grads);
        optimizer.step(net, grads);
    }
    const Eigen::Vector2d out = ws.output();
    std::printf("  outputs %.5f and %.5f for targets 0.05 and 0.95\n", out(0), out(1));

    if (disagreements != 0) {
        std::printf("\n%d of the lecture's numbers DISAGREE\n", disagreements);
        return 1;
    }
    if (!explanations_agree) {
        std::printf("\nan explanation DISAGREES with the backward pass\n");
        return 1;
    }
    std::printf("\nall 31 of the lecture's numbers agree\n");
    return 0;
}

} // namespace

int main(int argc, char** argv) { return examples::run("lecture", program, argc, argv); }
