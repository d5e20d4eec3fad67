// SPDX-License-Identifier: MIT
// The explanation of the lecture's w5 and w1: the lecture's factors, terms and sums, to its
// printed (truncated) digits, and the text in its notation.

#include <string>

#include <ffn/explain.hpp>

#include "lecture/lecture_network.hpp"
#include "unit/explain/check.hpp"

namespace {

/// The lecture's weight names: W1 = [[w1, w3], [w2, w4]], W2 = [[w5, w6], [w7, w8]].
ffn::explain_options lecture_names() {
    ffn::explain_options options;
    options.weight_name = [](std::size_t layer, Eigen::Index row, Eigen::Index col) {
        const Eigen::Index number = layer == 0 ? 1 + row + 2 * col : 5 + 2 * row + col;
        return ffn::detail::concat("w", std::to_string(number));
    };
    return options;
}

template <class Scalar>
ffn::gradient_explanation<Scalar> explain(const lecture::pass<Scalar>& p,
                                          const ffn::parameter_position& which) {
    return ffn::explain_gradient(p.before, p.ws, lecture::target<Scalar>(), p.grads, which,
                                 lecture_names());
}

/// Within the lecture's truncation in double, within 2e-5 in float.
template <class Scalar>
void check_printed(Scalar value, double printed) {
    if constexpr (std::is_same_v<Scalar, double>) {
        CHECK_TRUNCATED(value, printed);
    } else {
        CHECK(std::abs(static_cast<double>(value) - printed) < 2e-5);
    }
}

} // namespace

TEMPLATE_TEST_CASE("explain: the lecture's dE/dw5 = 0.68492 * 0.19480 * 0.60108 = 0.08020",
                   "[explain]", float, double) {
    const lecture::pass<TestType> p;
    const auto e = explain(p, ffn::weight_at(1, 0, 0));
    CHECK(e.parameter == "w5");
    CHECK(e.batch_rule == "one sample");
    REQUIRE(e.samples.size() == 1);
    const auto& terms = e.samples[0].terms;
    REQUIRE(terms.size() == 1);
    CHECK(terms[0].path.empty());
    const auto& f = terms[0].factors;
    REQUIRE(f.size() == 3);
    CHECK(f[0].symbol == "dE/doutput_o1");
    CHECK(f[0].notation == "out - target");
    CHECK(f[1].symbol == "doutput_o1/dsum_o1");
    CHECK(f[1].notation == "out(1 - out)");
    CHECK(f[2].symbol == "dsum_o1/dw5");
    CHECK(f[2].notation == "output_h1");
    check_printed(f[0].value, 0.68492);
    check_printed(f[1].value, 0.19480);
    check_printed(f[2].value, 0.60108);
    check_printed(terms[0].product, 0.08020);
    check_printed(e.value, 0.08020);
    explain_test::check_agrees(e);
}

TEMPLATE_TEST_CASE("explain: the lecture's dE/dw1 = dE1/dw1 + dE2/dw1 = 0.00159 + (-0.00049)",
                   "[explain]", float, double) {
    const lecture::pass<TestType> p;
    const auto e = explain(p, ffn::weight_at(0, 0, 0));
    CHECK(e.parameter == "w1");
    REQUIRE(e.samples.size() == 1);
    const auto& terms = e.samples[0].terms;
    REQUIRE(terms.size() == 2);
    // dE1/dw1: the path through o1, with w5; dE2/dw1: through o2, with w7.
    const double printed[2][5] = {{0.68492, 0.19480, 0.5, 0.23978, 0.1},
                                  {-0.17044, 0.17184, 0.7, 0.23978, 0.1}};
    const char* weights[2] = {"w5", "w7"};
    const char* units[2] = {"o1", "o2"};
    for (std::size_t k = 0; k < 2; ++k) {
        INFO("the path through " << units[k]);
        REQUIRE(terms[k].path == std::vector<std::string>{units[k]});
        const auto& f = terms[k].factors;
        REQUIRE(f.size() == 5);
        CHECK(f[0].symbol == std::string("dE/doutput_") + units[k]);
        CHECK(f[2].symbol == std::string("dsum_") + units[k] + "/doutput_h1");
        CHECK(f[2].notation == weights[k]);
        CHECK(f[3].symbol == "doutput_h1/dsum_h1");
        CHECK(f[3].notation == "out(1 - out)");
        CHECK(f[4].symbol == "dsum_h1/dw1");
        CHECK(f[4].notation == "i1");
        for (std::size_t i = 0; i < 5; ++i) {
            check_printed(f[i].value, printed[k][i]);
        }
    }
    check_printed(terms[0].product, 0.00159);
    check_printed(terms[1].product, -0.00049);
    check_printed(e.samples[0].sum, 0.00110);
    check_printed(e.value, 0.00110);
    explain_test::check_agrees(e);
}

TEST_CASE("explain: the lecture's w5 and w1 as text, in the lecture's digits", "[explain]") {
    const lecture::pass<double> p;
    const ffn::number_format lecture_digits{5, true, true};
    CHECK(explain(p, ffn::weight_at(1, 0, 0)).format(lecture_digits) ==
          "dE/dw5 = dE/doutput_o1 * doutput_o1/dsum_o1 * dsum_o1/dw5\n"
          "       = [out - target] * [out(1 - out)] * [output_h1]\n"
          "       = 0.68492 * 0.19480 * 0.60108\n"
          "       = 0.08020\n"
          "(the backward pass gives 0.08020)\n");
    CHECK(explain(p, ffn::weight_at(0, 0, 0)).format(lecture_digits) ==
          "dE/dw1 = the sum of 2 terms, one per path from w1 to the error\n"
          "  through o1: dE/doutput_o1 * doutput_o1/dsum_o1 * dsum_o1/doutput_h1 * "
          "doutput_h1/dsum_h1 * dsum_h1/dw1\n"
          "            = [out - target] * [out(1 - out)] * [w5] * [out(1 - out)] * [i1]\n"
          "            = 0.68492 * 0.19480 * 0.50000 * 0.23978 * 0.10000\n"
          "            = 0.00159\n"
          "  through o2: dE/doutput_o2 * doutput_o2/dsum_o2 * dsum_o2/doutput_h1 * "
          "doutput_h1/dsum_h1 * dsum_h1/dw1\n"
          "            = [out - target] * [out(1 - out)] * [w7] * [out(1 - out)] * [i1]\n"
          "            = -0.17044 * 0.17184 * 0.70000 * 0.23978 * 0.10000\n"
          "            = -0.00049\n"
          "dE/dw1 = 0.00159 + (-0.00049)\n"
          "       = 0.00110\n"
          "(the backward pass gives 0.00110)\n");
}

TEST_CASE("explain: a bias shared by a layer sums over the layer's units", "[explain]") {
    const lecture::pass<double> p;
    // b2 enters sum_o1 and sum_o2: one term for each.
    const auto b2 = explain(p, ffn::bias_at(1));
    CHECK(b2.parameter == "b2");
    REQUIRE(b2.samples[0].terms.size() == 2);
    CHECK(b2.samples[0].terms[0].path == std::vector<std::string>{"o1"});
    CHECK(b2.samples[0].terms[1].path == std::vector<std::string>{"o2"});
    CHECK(b2.samples[0].terms[0].factors.back().symbol == "dsum_o1/db2");
    CHECK(b2.samples[0].terms[0].factors.back().notation == "1");
    explain_test::check_agrees(b2);
    // b1 enters sum_h1 and sum_h2, and each reaches the error through o1 and o2: four terms.
    const auto b1 = explain(p, ffn::bias_at(0));
    CHECK(b1.parameter == "b1");
    REQUIRE(b1.samples[0].terms.size() == 4);
    CHECK(b1.samples[0].terms[3].path == std::vector<std::string>{"o2", "h2"});
    explain_test::check_agrees(b1);
    // Every parameter of the lecture's network.
    CHECK(explain_test::check_every_parameter(p.before, p.ws, lecture::target<double>(), p.grads,
                                              lecture_names()) == 10);
}
