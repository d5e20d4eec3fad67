// SPDX-License-Identifier: MIT
// The lecture's 2-2-2 sigmoid network on a Cortex-M4F, in float: one forward pass, one backward
// pass and one SGD step at the lecture's learning rate (0.6: "new_w5 = 0.5 - 0.6 * 0.08020"),
// with every object in static storage and no heap (heap_trap.c ends the program if anything
// allocates). Prints the outputs, the total error and the updated weights w1..w8 beside the
// lecture's numbers, and the stack the step took; exits with 1 if a number is more than 2e-5
// from the lecture's (which truncates to five decimals).

#include <cstdint>
#include <cstdio>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>
#include <ffn/optimizers/sgd.hpp>

#include "board.h"
#include "report.hpp"

namespace {

// The lecture draws one bias per layer (b1 shared by h1 and h2, b2 by o1 and o2).
using lecture_net =
    ffn::network<ffn::half_squared_error, ffn::dense<2, 2, ffn::sigmoid, float, ffn::shared_bias>,
                 ffn::dense<2, 2, ffn::sigmoid, float, ffn::shared_bias>>;

constexpr float learning_rate = 0.6F;
constexpr float tolerance = 2e-5F;

lecture_net make_lecture_net() {
    lecture_net net;
    // W1 = [[w1, w3], [w2, w4]]: row j holds the weights into hidden unit j.
    net.layer<0>().weights() << 0.1F, 0.3F, 0.2F, 0.4F;
    net.layer<0>().bias() << 0.25F;
    // W2 = [[w5, w6], [w7, w8]].
    net.layer<1>().weights() << 0.5F, 0.6F, 0.7F, 0.8F;
    net.layer<1>().bias() << 0.35F;
    // The lecture updates the weights and keeps the biases.
    net.layer<0>().freeze_bias();
    net.layer<1>().freeze_bias();
    return net;
}

// Static storage, set up by the static constructors that startup.c runs: the stack holds only
// what the step itself needs.
lecture_net net = make_lecture_net();
ffn::workspace<lecture_net> ws;
ffn::gradients<lecture_net> grads;
ffn::sgd<lecture_net> optimizer(net, learning_rate);
const Eigen::Vector2f input(0.1F, 0.5F);
const Eigen::Vector2f target(0.05F, 0.95F);
float e_total = 0.0F;

// Not inlined, so that its stack use can be measured from main.
[[gnu::noinline]] void lecture_step() {
    // Every size is in the types, so nothing is checked at run time and nothing can fail.
    static_assert(noexcept(net.forward(input, ws))&& noexcept(net.loss(ws, target))&& noexcept(
        net.backward(ws, target, grads))&& noexcept(optimizer.step(net, grads)));
    net.forward(input, ws);
    e_total = net.loss(ws, target);
    net.backward(ws, target, grads);
    optimizer.step(net, grads);
}

} // namespace

int main() {
    const std::uintptr_t sp = board_stack_pointer();
    board_paint_free_stack();
    lecture_step();
    const std::uintptr_t step_stack = sp - board_stack_low_water();

    const auto& hidden = ws.layer<0>().output;
    const auto& out = ws.output();
    const auto& w1 = net.layer<0>().weights();
    const auto& w2 = net.layer<1>().weights();
    const embedded::lecture_number numbers[] = {
        {"output_h1", hidden(0), 0.60108F}, {"output_h2", hidden(1), 0.61538F},
        {"output_o1", out(0), 0.73492F},    {"output_o2", out(1), 0.77955F},
        {"E_total", e_total, 0.24908F},     {"new w1", w1(0, 0), 0.09933F},
        {"new w2", w1(1, 0), 0.19919F},     {"new w3", w1(0, 1), 0.29667F},
        {"new w4", w1(1, 1), 0.39597F},     {"new w5", w2(0, 0), 0.45187F},
        {"new w6", w2(0, 1), 0.55073F},     {"new w7", w2(1, 0), 0.71056F},
        {"new w8", w2(1, 1), 0.81081F},
    };

    std::printf("ffn on a Cortex-M4F: the lecture's training step in float, learning rate 0.6\n");
    const int disagreements = embedded::check_all(numbers, tolerance);
    std::printf("peak stack of the lecture step: %lu bytes\n",
                static_cast<unsigned long>(step_stack));
    std::printf("peak stack of the whole program: %lu bytes\n",
                static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(__stack_top) -
                                           board_stack_low_water()));
    std::printf("heap used before main: %lu bytes; from main on, none (heap_trap.c)\n",
                static_cast<unsigned long>(board_heap_before_main));
    if (disagreements != 0) {
        std::printf("%d of the lecture's numbers DISAGREE (tolerance 2e-5)\n", disagreements);
        return 1;
    }
    std::printf("all %u numbers agree with the lecture within 2e-5\n",
                static_cast<unsigned>(sizeof numbers / sizeof numbers[0]));
    return 0;
}
