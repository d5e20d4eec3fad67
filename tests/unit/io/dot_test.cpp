// SPDX-License-Identifier: MIT
// The Graphviz export: nodes, edges and labels of the lecture's network and of networks with
// other bias policies and sizes, and saving to a file.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/activations/sigmoid.hpp>
#include <ffn/io/dot.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/losses/half_squared_error.hpp>
#include <ffn/network.hpp>

#include "lecture/lecture_network.hpp"

namespace {

/// The statements of a DOT graph, sorted into node declarations and edges.
struct dot_graph {
    std::vector<std::string> nodes;                         // node ids
    std::vector<std::pair<std::string, std::string>> edges; // (from, to)
    std::vector<std::string> edge_labels;                   // label of each edge ("" if none)
    std::vector<std::string> node_labels;                   // label of each node
    int clusters = 0;
    bool closed = false;
};

dot_graph parse(const std::string& text) {
    dot_graph g;
    const std::regex edge(R"(^\s*(\w+) -> (\w+)(?: \[(.*)\])?;$)");
    const std::regex node(R"(^\s*(\w+) \[(.*)\];$)");
    const std::regex label(R"(label="((?:[^"\\]|\\.)*)\")");
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        std::smatch l;
        if (std::regex_match(line, m, edge)) {
            g.edges.emplace_back(m[1], m[2]);
            const std::string attributes = m[3];
            g.edge_labels.push_back(std::regex_search(attributes, l, label) ? l[1].str() : "");
        } else if (std::regex_match(line, m, node) && m[1] != "graph" && m[1] != "node" &&
                   m[1] != "edge") {
            g.nodes.push_back(m[1]);
            const std::string attributes = m[2];
            g.node_labels.push_back(std::regex_search(attributes, l, label) ? l[1].str() : "");
        } else if (line.find("subgraph cluster_") != std::string::npos) {
            ++g.clusters;
        } else if (line == "}") {
            g.closed = true;
        }
    }
    return g;
}

std::string label_of(const dot_graph& g, const std::string& from, const std::string& to) {
    for (std::size_t k = 0; k < g.edges.size(); ++k) {
        if (g.edges[k] == std::pair(from, to)) {
            return g.edge_labels[k];
        }
    }
    return "<no edge>";
}

std::string node_label(const dot_graph& g, const std::string& id) {
    const auto it = std::find(g.nodes.begin(), g.nodes.end(), id);
    return it == g.nodes.end() ? "<no node>"
                               : g.node_labels[static_cast<std::size_t>(it - g.nodes.begin())];
}

ffn::dot_options lecture_options() {
    ffn::dot_options options;
    options.graph_name = "lecture";
    options.weight_name = [](std::size_t layer, Eigen::Index row, Eigen::Index col) {
        std::string name = "w";
        name += std::to_string(layer == 0 ? 1 + row + 2 * col : 5 + 2 * row + col);
        return name;
    };
    return options;
}

} // namespace

TEST_CASE("dot: the lecture's network, its weights and shared biases", "[dot]") {
    const auto net = lecture::make_network<double>();
    const std::string text = ffn::to_dot(net, lecture_options());
    CHECK(text.rfind("digraph lecture {\n", 0) == 0);
    const dot_graph g = parse(text);
    CHECK(g.closed);
    CHECK(g.clusters == 3); // the inputs and two layers
    // i1, i2, h1, h2, o1, o2 and the bias nodes b1, b2.
    CHECK(g.nodes ==
          std::vector<std::string>{"i1", "i2", "h1", "h2", "bias_1", "o1", "o2", "bias_2"});
    // 8 weights and 4 bias edges.
    REQUIRE(g.edges.size() == 12);
    CHECK(label_of(g, "i1", "h1") == "w1 = 0.1");
    CHECK(label_of(g, "i1", "h2") == "w2 = 0.2");
    CHECK(label_of(g, "i2", "h1") == "w3 = 0.3");
    CHECK(label_of(g, "h1", "o1") == "w5 = 0.5");
    CHECK(label_of(g, "h2", "o2") == "w8 = 0.8");
    CHECK(label_of(g, "bias_1", "h2").empty());
    CHECK(label_of(g, "bias_2", "o1").empty());
    CHECK(node_label(g, "bias_1") == "b1 = 0.25");
    CHECK(node_label(g, "bias_2") == "b2 = 0.35");
    CHECK(node_label(g, "h1") == "h1");
    CHECK(text.find("label=\"layer 1: dense, sigmoid\"") != std::string::npos);
}

TEST_CASE("dot: gradients of a backward pass under the weights", "[dot]") {
    const lecture::pass<double> p;
    auto options = lecture_options();
    options.digits = 3;
    const dot_graph g = parse(ffn::to_dot(p.before, p.grads, options));
    REQUIRE(g.edges.size() == 12);
    CHECK(label_of(g, "h1", "o1") == "w5 = 0.5\\ndE/dw5 = 0.0802");
    CHECK(label_of(g, "h1", "o2") == "w7 = 0.7\\ndE/dw7 = -0.0176");
    CHECK(label_of(g, "i1", "h1") == "w1 = 0.1\\ndE/dw1 = 0.00111");
    CHECK(node_label(g, "bias_2").rfind("b2 = 0.35\\ndE/db2 = ", 0) == 0);

    options.show_weights = false;
    const dot_graph gradients_only = parse(ffn::to_dot(p.before, p.grads, options));
    CHECK(label_of(gradients_only, "h1", "o1") == "dE/dw5 = 0.0802");
}

TEMPLATE_TEST_CASE("dot: per-unit biases, no biases, several hidden layers, dynamic sizes", "[dot]",
                   float, double) {
    using net_type =
        ffn::network<ffn::half_squared_error, ffn::dense<3, 4, ffn::sigmoid, TestType>,
                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid, TestType>,
                     ffn::dense<5, 2, ffn::sigmoid, TestType, ffn::no_bias>>;
    net_type net({3, 4, 5, 2});
    net.template layer<0>().bias()(2) = TestType(-1.5);
    net.template layer<1>().weights()(4, 3) = TestType(0.125);
    const std::string text = ffn::to_dot(net);
    const dot_graph g = parse(text);
    CHECK(g.clusters == 4);
    REQUIRE(g.nodes.size() == 3 + 4 + 5 + 2);
    CHECK(g.edges.size() == 3 * 4 + 4 * 5 + 5 * 2);
    CHECK(node_label(g, "h1_3") == "h1_3\\nb = -1.5");
    CHECK(node_label(g, "h2_5") == "h2_5\\nb = 0");
    CHECK(node_label(g, "o2") == "o2");
    CHECK(label_of(g, "h1_4", "h2_5") == "w = 0.125");
    CHECK(label_of(g, "h2_1", "o1") == "w = 0");

    ffn::dot_options bare;
    bare.show_bias = false;
    bare.show_weights = false;
    const dot_graph plain = parse(ffn::to_dot(net, bare));
    CHECK(node_label(plain, "h1_3") == "h1_3");
    CHECK(label_of(plain, "h1_4", "h2_5").empty());
}

TEST_CASE("dot: names given by the caller are escaped; bad settings are errors", "[dot]") {
    auto net = lecture::make_network<double>();
    ffn::dot_options options;
    options.weight_name = [](std::size_t, Eigen::Index, Eigen::Index) {
        return std::string("a\"b");
    };
    options.bias_name = [](std::size_t, Eigen::Index) { return std::string("c\\d"); };
    const dot_graph g = parse(ffn::to_dot(net, options));
    CHECK(label_of(g, "i1", "h1") == "a\\\"b = 0.1");
    CHECK(node_label(g, "bias_1") == "c\\\\d = 0.25");

    options.graph_name = "two words";
    CHECK_THROWS_WITH(ffn::to_dot(net, options),
                      Catch::Contains("the graph name 'two words' may hold only letters"));
    options.graph_name = "g";
    options.digits = 0;
    CHECK_THROWS_AS(ffn::to_dot(net, options), std::invalid_argument);

    using dynamic_net = ffn::network<ffn::half_squared_error,
                                     ffn::dense<Eigen::Dynamic, Eigen::Dynamic, ffn::sigmoid>>;
    const dynamic_net small({2, 1});
    const ffn::gradients<dynamic_net> not_run;
    CHECK_THROWS_WITH(ffn::to_dot(small, not_run), Catch::Contains("run backward first"));
}

TEST_CASE("dot: saving replaces the file whole, and a path that cannot be written is an error",
          "[dot]") {
    const auto net = lecture::make_network<double>();
    const auto dir = std::filesystem::temp_directory_path() / "ffn_dot_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "lecture.dot";
    {
        std::ofstream old(path);
        old << "old contents";
    }
    ffn::save_dot(path, net, lecture_options());
    std::ifstream in(path);
    const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(saved == ffn::to_dot(net, lecture_options()));
    CHECK_FALSE(std::filesystem::exists(dir / "lecture.dot.tmp"));

    const auto missing = dir / "no such folder" / "x.dot";
    CHECK_THROWS_WITH(ffn::save_dot(missing, net), Catch::Contains("ffn::save_dot: cannot write") &&
                                                       Catch::Contains("no such folder"));
    std::filesystem::remove_all(dir);
}
