// SPDX-License-Identifier: MIT
// ffn::progress_display: the exact text in terminal and plain mode with a fake clock (the time
// left included), the redraw interval, the end of the line, the width limit, and the callbacks
// it chains in front of the user's, in a real fit.

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <ffn/train/progress.hpp>

#include "train_fixtures.hpp"

using train_test::dynamic_float;
using train_test::fixed_double;

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

/// A temporary file, closed at the end of the scope.
struct temporary_file {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{std::tmpfile(), &std::fclose};

    [[nodiscard]] std::FILE* get() const {
        REQUIRE(file != nullptr);
        return file.get();
    }

    /// Everything written so far.
    [[nodiscard]] std::string text() const {
        std::FILE* f = get();
        std::fflush(f);
        const long end = std::ftell(f);
        std::rewind(f);
        std::string s(static_cast<std::size_t>(end), '\0');
        const std::size_t read = std::fread(s.data(), 1, s.size(), f);
        std::fseek(f, 0, SEEK_END);
        s.resize(read);
        return s;
    }
};

/// A clock that stands still until the test moves it.
struct fake_clock {
    clock_type::time_point now{};
    [[nodiscard]] std::function<clock_type::time_point()> function() {
        return [this] { return now; };
    }
    template <class Duration>
    void set(Duration since_start) {
        now = clock_type::time_point{} + since_start;
    }
};

ffn::batch_record<double> batch(std::size_t epoch, std::size_t index, std::size_t samples,
                                double loss) {
    return {.epoch = epoch, .batch = index, .batches = 2, .samples = samples, .loss = loss};
}

ffn::epoch_record<double> epoch_end(std::size_t epoch, double loss, double validation_loss,
                                    double validation_accuracy) {
    return {.epoch = epoch,
            .learning_rate = 0.1,
            .training_loss = loss,
            .validation_loss = validation_loss,
            .training_accuracy = 0.5,
            .validation_accuracy = validation_accuracy};
}

std::string format(const char* spec, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, spec, value);
    return buffer;
}

} // namespace

TEST_CASE("progress_display in terminal mode redraws one line in place, with the time left",
          "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::terminal, .clock = clock.function()});
    CHECK(display.terminal());
    ffn::fit_options<double> options{.epochs = 2};
    display.attach(options); // the clock starts at 0
    REQUIRE(options.on_batch);
    REQUIRE(options.on_epoch);

    clock.set(seconds(1)); // a quarter done in 1 s: 3 s left
    options.on_batch(batch(0, 0, 4, 0.5));
    CHECK(out.text() == "\repoch 1/2 batch 1/2 loss 0.5 | 0:01, 0:03 left\x1b[K");
    clock.set(milliseconds(1050)); // 50 ms after the last redraw: none
    options.on_batch(batch(0, 1, 8, 0.25));
    CHECK(out.text() == "\repoch 1/2 batch 1/2 loss 0.5 | 0:01, 0:03 left\x1b[K");
    clock.set(seconds(2)); // a second after the last redraw: the end of the epoch, drawn
    CHECK(options.on_epoch(epoch_end(0, 0.375, 0.3, 0.75)) == ffn::fit_action::continue_training);
    std::string expected = "\repoch 1/2 batch 1/2 loss 0.5 | 0:01, 0:03 left\x1b[K"
                           "\repoch 1/2 batch 2/2 loss 0.375 | val 0.3 acc 0.7500 | 0:02, 0:02 "
                           "left\x1b[K";
    CHECK(out.text() == expected);
    // The next epoch shows the last validation figures and the mean loss of its batches.
    clock.set(seconds(3));
    options.on_batch(batch(1, 0, 4, 0.125));
    clock.set(seconds(4));
    options.on_batch(batch(1, 1, 8, 0.0625));
    expected += "\repoch 2/2 batch 1/2 loss 0.125 | val 0.3 acc 0.7500 | 0:03, 0:01 left\x1b[K"
                "\repoch 2/2 batch 2/2 loss 0.09375 | val 0.3 acc 0.7500 | 0:04, 0:00 "
                "left\x1b[K";
    CHECK(out.text() == expected);
    // The last epoch ends the line.
    (void)options.on_epoch(epoch_end(1, 0.09375, 0.2, 1.0));
    expected += "\repoch 2/2 batch 2/2 loss 0.09375 | val 0.2 acc 1.0000 | 0:04, 0:00 "
                "left\x1b[K\n";
    CHECK(out.text() == expected);
    display.finish(); // nothing left to end
    CHECK(out.text() == expected);
}

TEST_CASE("progress_display in plain mode writes one line per epoch and no batch callback",
          "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::plain, .clock = clock.function()});
    CHECK_FALSE(display.terminal());
    ffn::fit_options<double> options{.epochs = 2};
    display.attach(options);
    CHECK_FALSE(options.on_batch); // nothing to do per batch: fit does no extra work
    REQUIRE(options.on_epoch);
    clock.set(seconds(2));
    (void)options.on_epoch(epoch_end(0, 0.375, 0.3, 0.75));
    CHECK(out.text() == "epoch 1/2 loss 0.375 | val 0.3 acc 0.7500 | 0:02, 0:02 left\n");
    clock.set(milliseconds(4400));
    (void)options.on_epoch(epoch_end(1, 0.09375, 0.2, 1.0));
    CHECK(out.text() == "epoch 1/2 loss 0.375 | val 0.3 acc 0.7500 | 0:02, 0:02 left\n"
                        "epoch 2/2 loss 0.09375 | val 0.2 acc 1.0000 | 0:04, 0:00 left\n");
}

TEST_CASE("progress_display writes hours as h:mm:ss and leaves out what was not measured",
          "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::plain, .clock = clock.function()});
    ffn::fit_options<float> options{.epochs = 10};
    display.attach(options);
    clock.set(seconds(3725)); // 1:02:05 for one epoch of ten: 9 x 3725 s = 9:18:45 left
    (void)options.on_epoch(ffn::epoch_record<float>{.epoch = 0, .training_loss = 2.5F});
    CHECK(out.text() == "epoch 1/10 loss 2.5 | 1:02:05, 9:18:45 left\n");
}

TEST_CASE("progress_display ends an open terminal line on finish and when destroyed", "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::fit_options<double> options{.epochs = 5};
    {
        ffn::progress_display display(
            {.stream = out.get(), .mode = ffn::progress_mode::terminal, .clock = clock.function()});
        display.attach(options);
        clock.set(seconds(1));
        (void)options.on_epoch(epoch_end(0, 1.0, 2.0, 0.5)); // then early stopping, say
        const std::string line = "\repoch 1/5 loss 1 | val 2 acc 0.5000 | 0:01, 0:04 left\x1b[K";
        CHECK(out.text() == line);
        display.finish();
        CHECK(out.text() == line + "\n");
        display.finish();
        CHECK(out.text() == line + "\n");
        // The callbacks keep working after the display is gone.
        clock.set(seconds(2));
        (void)options.on_epoch(epoch_end(1, 0.5, 1.0, 0.75));
    }
    const std::string text = out.text();
    REQUIRE(text.size() >= 4);
    CHECK(text.substr(text.size() - 4) == "\x1b[K\n"); // the destructor ended the second line
    clock.set(seconds(3));
    (void)options.on_epoch(epoch_end(2, 0.25, 0.5, 1.0)); // no display, still safe
    CHECK(out.text().size() > text.size());
}

TEST_CASE("progress_display in terminal mode redraws at the end of an epoch only after the "
          "interval, and finish draws a pending end of training",
          "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::terminal, .clock = clock.function()});
    ffn::fit_options<double> options{.epochs = 4};
    display.attach(options);
    clock.set(seconds(1));
    options.on_batch(batch(0, 0, 4, 0.5));
    const std::string first = "\repoch 1/4 batch 1/2 loss 0.5 | 0:01, 0:07 left\x1b[K";
    REQUIRE(out.text() == first);
    clock.set(milliseconds(1020));
    options.on_batch(batch(0, 1, 8, 0.25));
    clock.set(milliseconds(1040));
    (void)options.on_epoch(epoch_end(0, 0.375, 0.3, 0.75)); // 40 ms after the last redraw
    CHECK(out.text() == first);
    clock.set(milliseconds(1060));
    options.on_batch(batch(1, 0, 4, 0.125)); // makes the pending end of epoch 1 out of date
    clock.set(milliseconds(1080));
    options.on_batch(batch(1, 1, 8, 0.0625));
    clock.set(milliseconds(1090));
    (void)options.on_epoch(epoch_end(1, 0.09375, 0.2, 1.0)); // then early stopping, say
    CHECK(out.text() == first);
    display.finish(); // draws the end of epoch 2, as it was at 1.09 s, and ends the line
    CHECK(out.text() == first +
                            "\repoch 2/4 batch 2/2 loss 0.09375 | val 0.2 acc 1.0000 | 0:01, 0:01 "
                            "left\x1b[K\n");
}

TEST_CASE("progress_display cuts terminal lines to the width", "[train]") {
    temporary_file out;
    fake_clock clock;
    ffn::progress_display display({.stream = out.get(),
                                   .mode = ffn::progress_mode::terminal,
                                   .width = 20,
                                   .clock = clock.function()});
    ffn::fit_options<double> options{.epochs = 2};
    display.attach(options);
    clock.set(seconds(1));
    options.on_batch(batch(0, 0, 4, 0.5));
    CHECK(out.text() == "\repoch 1/2 batch 1/2 \x1b[K");
}

TEST_CASE("progress_display asks the stream in automatic mode and refuses bad settings",
          "[train]") {
    temporary_file out;
    CHECK_FALSE(ffn::progress_display({.stream = out.get()}).terminal()); // a file
    CHECK_THROWS_WITH(ffn::progress_display({.stream = nullptr}),
                      "ffn::progress_display: options.stream is null");
    CHECK_THROWS_WITH(
        ffn::progress_display({.stream = out.get(), .redraw_interval = milliseconds(-1)}),
        "ffn::progress_display: options.redraw_interval is negative");
}

TEMPLATE_TEST_CASE("progress_display in a fit: the text of every redraw, the user's callbacks "
                   "still called and still able to stop training",
                   "[train]", fixed_double, dynamic_float) {
    using scalar = typename TestType::scalar;
    temporary_file out;
    fake_clock clock;
    auto net = TestType::make(2);
    ffn::sgd opt(net, scalar(0.5));
    ffn::fit_options<scalar> options{.batch_size = 4, .epochs = 5, .accuracy = true};
    options.validation = ffn::validation_data<scalar>{TestType::inputs(), TestType::targets()};
    std::vector<double> losses;
    // The user's batch callback runs first: one second passes in every batch.
    options.on_batch = [&](const ffn::batch_record<scalar>& r) {
        losses.push_back(static_cast<double>(r.loss));
        clock.now += seconds(1);
    };
    std::size_t user_epochs = 0;
    options.on_epoch = [&](const ffn::epoch_record<scalar>& r) {
        ++user_epochs;
        return r.epoch == 1 ? ffn::fit_action::stop_training : ffn::fit_action::continue_training;
    };
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::terminal, .clock = clock.function()});
    display.attach(options);
    const auto history = ffn::fit(net, opt, TestType::inputs(2), TestType::targets(2), options);

    CHECK(history.reason == ffn::stop_reason::callback);
    REQUIRE(history.epochs.size() == 2);
    CHECK(user_epochs == 2);
    REQUIRE(losses.size() == 4); // two batches of 4 an epoch
    // 10 batches planned over 5 epochs, one second each.
    const char* left[] = {"0:09", "0:08", "0:07", "0:06"};
    std::string expected;
    for (std::size_t e = 0; e < 2; ++e) {
        std::string validation;
        if (e > 0) {
            validation = " | val " + format("%.4g", double(*history.epochs[0].validation_loss)) +
                         " acc " + format("%.4f", *history.epochs[0].validation_accuracy);
        }
        const double first = losses[2 * e];
        const double mean = (first * 4 + losses[2 * e + 1] * 4) / 8;
        const std::string epoch = "\repoch " + std::to_string(e + 1) + "/5 ";
        expected += epoch + "batch 1/2 loss " + format("%.4g", first) + validation + " | 0:0" +
                    std::to_string(2 * e + 1) + ", " + left[2 * e] + " left\x1b[K";
        expected += epoch + "batch 2/2 loss " + format("%.4g", mean) + validation + " | 0:0" +
                    std::to_string(2 * e + 2) + ", " + left[2 * e + 1] + " left\x1b[K";
        if (e == 0) {
            continue; // drawn at the time of the last batch: skipped, then out of date
        }
        const auto& r = history.epochs[e];
        expected += epoch + "batch 2/2 loss " + format("%.4g", double(r.training_loss)) +
                    " | val " + format("%.4g", double(*r.validation_loss)) + " acc " +
                    format("%.4f", *r.validation_accuracy) + " | 0:0" + std::to_string(2 * e + 2) +
                    ", " + left[2 * e + 1] + " left\x1b[K";
    }
    expected += "\n"; // the user's callback stopped training: the line is ended
    CHECK(out.text() == expected);
}

TEST_CASE("progress_display in plain mode in a fit writes a line per epoch until early "
          "stopping",
          "[train]") {
    using case_type = fixed_double;
    temporary_file out;
    fake_clock clock;
    // Training pulls the outputs towards 0 while the validation targets are 1: the validation
    // loss rises from the first epoch on, so patience 1 stops after epoch 2 (of 50).
    const case_type::matrix x = case_type::inputs(2);
    const case_type::matrix y = case_type::matrix::Zero(1, 8);
    auto net = case_type::make(1);
    ffn::sgd opt(net, 1.0);
    ffn::fit_options<double> options{.batch_size = 8, .epochs = 50};
    options.validation = ffn::validation_data<double>{x, case_type::matrix::Ones(1, 8)};
    options.early_stopping = ffn::early_stopping_options<double>{.patience = 1};
    options.on_batch = [&clock](const ffn::batch_record<double>&) { clock.now += seconds(2); };
    ffn::progress_display display(
        {.stream = out.get(), .mode = ffn::progress_mode::plain, .clock = clock.function()});
    display.attach(options);
    const auto history = ffn::fit(net, opt, x, y, options);
    REQUIRE(history.reason == ffn::stop_reason::early_stopping);
    REQUIRE(history.epochs.size() == 3);
    std::string expected;
    for (std::size_t e = 0; e < 3; ++e) {
        const auto& r = history.epochs[e];
        // 2 s an epoch: 49, 48 and 47 epochs of 2 s left.
        const std::string left[] = {"1:38", "1:36", "1:34"};
        expected += "epoch " + std::to_string(e + 1) + "/50 loss " +
                    format("%.4g", r.training_loss) + " | val " +
                    format("%.4g", *r.validation_loss) + " | 0:0" + std::to_string(2 * e + 2) +
                    ", " + left[e] + " left\n";
    }
    CHECK(out.text() == expected);
}
