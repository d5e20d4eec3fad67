// SPDX-License-Identifier: MIT
// ffn::stratified_split: every class keeps its share in both parts, the split is a partition
// fixed by the seed, and bad arguments are refused by name.

#include <algorithm>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include <ffn/train/split.hpp>

namespace {

/// `counts[c]` samples of class `c`, interleaved as a data file might hold them.
std::vector<int> interleaved_labels(const std::vector<int>& counts) {
    std::vector<int> labels;
    std::vector<int> left = counts;
    bool any = true;
    while (any) {
        any = false;
        for (std::size_t c = 0; c < left.size(); ++c) {
            if (left[c] > 0) {
                labels.push_back(static_cast<int>(c));
                --left[c];
                any = true;
            }
        }
    }
    return labels;
}

std::map<int, int> count_classes(const std::vector<int>& labels,
                                 const std::vector<Eigen::Index>& indices) {
    std::map<int, int> counts;
    for (const Eigen::Index i : indices) {
        ++counts[labels[static_cast<std::size_t>(i)]];
    }
    return counts;
}

} // namespace

TEST_CASE("stratified_split holds out each class's share", "[train][split]") {
    // The breast cancer data's classes: 212 malignant, 357 benign.
    const auto labels = interleaved_labels({212, 357});
    const auto split = ffn::stratified_split(labels, 0.2, 2024);
    REQUIRE(split.held_out.size() == 113); // floor(0.2 * 569)
    REQUIRE(split.kept.size() == 456);
    const auto held = count_classes(labels, split.held_out);
    // 0.2 * 212 = 42.4 and 0.2 * 357 = 71.4: floors 42 and 71, and the one sample still missing
    // comes from one of the two classes.
    CHECK(held.at(0) + held.at(1) == 113);
    CHECK((held.at(0) == 42 || held.at(0) == 43));

    std::vector<Eigen::Index> all = split.kept;
    all.insert(all.end(), split.held_out.begin(), split.held_out.end());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) {
        REQUIRE(all[i] == static_cast<Eigen::Index>(i)); // a partition of 0 .. 568
    }
    CHECK(std::is_sorted(split.held_out.begin(), split.held_out.end()));
    CHECK(std::is_sorted(split.kept.begin(), split.kept.end()));
}

TEST_CASE("stratified_split gives each class floor or ceiling of its share", "[train][split]") {
    // Three classes of 50 (iris): exactly 10 each at 0.2. Uneven classes: within one.
    const auto iris = interleaved_labels({50, 50, 50});
    const auto iris_held = count_classes(iris, ffn::stratified_split(iris, 0.2, 7).held_out);
    CHECK(iris_held == std::map<int, int>{{0, 10}, {1, 10}, {2, 10}});

    const std::vector<int> counts{3, 17, 40, 1, 9};
    const auto labels = interleaved_labels(counts);
    for (const double fraction : {0.1, 0.25, 0.5, 0.9}) {
        const auto split = ffn::stratified_split(labels, fraction, 11);
        CAPTURE(fraction);
        CHECK(static_cast<double>(split.held_out.size()) ==
              std::floor(fraction * static_cast<double>(labels.size())));
        auto held = count_classes(labels, split.held_out);
        for (std::size_t c = 0; c < counts.size(); ++c) {
            const double share = fraction * counts[c];
            CAPTURE(c);
            CHECK(held[static_cast<int>(c)] >= static_cast<int>(std::floor(share)));
            CHECK(held[static_cast<int>(c)] <= static_cast<int>(std::ceil(share)));
        }
    }
}

TEST_CASE("stratified_split is fixed by the seed and the labels need not be 0 .. k-1",
          "[train][split]") {
    const std::vector<int> labels{-3, 7, 7, -3, 7, 100, -3, 7, 100, 7, -3, 100};
    const auto a = ffn::stratified_split(labels, 0.5, 42);
    const auto b = ffn::stratified_split(labels, 0.5, 42);
    CHECK(a.held_out == b.held_out);
    // Shares 4 * 0.5 = 2, 5 * 0.5 = 2.5 and 3 * 0.5 = 1.5: floors 2, 2 and 1, and the sixth
    // sample comes from the tied remainders' smaller label, 7.
    CHECK(count_classes(labels, a.held_out) == std::map<int, int>{{-3, 2}, {7, 3}, {100, 1}});
    bool some_seed_differs = false;
    for (std::uint64_t seed = 0; seed < 8 && !some_seed_differs; ++seed) {
        some_seed_differs = ffn::stratified_split(labels, 0.5, seed).held_out != a.held_out;
    }
    CHECK(some_seed_differs);
}

TEST_CASE("stratified_split refuses bad arguments by name", "[train][split]") {
    const std::vector<int> labels{0, 1, 0, 1, 0};
    CHECK(ffn::stratified_split(labels, 0.0, 1).held_out.empty());
    CHECK_THROWS_WITH(ffn::stratified_split(labels, 0.1, 1),
                      Catch::Contains("ffn::stratified_split") &&
                          Catch::Contains("leaves no sample held out"));
    CHECK_THROWS_WITH(ffn::stratified_split(labels, 1.0, 1), Catch::Contains("must be in [0, 1)"));
    CHECK_THROWS_WITH(ffn::stratified_split(std::vector<int>{}, 0.5, 1),
                      Catch::Contains("must be positive, got 0"));
}
