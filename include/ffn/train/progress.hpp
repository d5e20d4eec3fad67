// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::progress_display`: training progress for `ffn::fit` on a terminal (one line redrawn
/// in place) or in a log (one line per epoch).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include <sys/ioctl.h>
#include <unistd.h>

#include "ffn/concepts/scalar.hpp"
#include "ffn/errors.hpp"
#include "ffn/train/history.hpp"
#include "ffn/train/options.hpp"

namespace ffn {

/// How `ffn::progress_display` writes.
enum class progress_mode {
    automatic, ///< `terminal` if the stream is a terminal (`isatty`), else `plain`
    terminal,  ///< one line, redrawn in place with `\r` while training
    plain,     ///< one line per epoch, written when the epoch ends
};

/// The settings of `ffn::progress_display`.
struct progress_options {
    /// Where to write; not null. Not closed by the display.
    std::FILE* stream = stderr;
    /// Terminal or plain lines; `automatic` asks the stream.
    progress_mode mode = progress_mode::automatic;
    /// In terminal mode, the line is redrawn (after a batch or an epoch) only if this much
    /// time has passed since the last redraw, so that a fast training loop spends nothing
    /// measurable on it; the end of training is always drawn. Not negative.
    std::chrono::steady_clock::duration redraw_interval = std::chrono::milliseconds(100);
    /// Terminal mode: cut lines to this many characters (a line wider than the terminal would
    /// wrap, and `\r` would redraw only its last row). 0: one less than the terminal's width
    /// if the stream reports one, else no limit.
    std::size_t width = 0;
    /// The time; `std::chrono::steady_clock::now` when empty. Tests give a fake clock.
    std::function<std::chrono::steady_clock::time_point()> clock{};
};

namespace detail {

/// Appends `format` with `args` to `buffer` at `used`, keeping it terminated; cuts the text if
/// the buffer is full.
template <std::size_t N, class... Args>
void append_text(char (&buffer)[N], std::size_t& used, const char* format, Args... args) {
    if (used + 1 >= N) {
        return;
    }
    const int written = std::snprintf(buffer + used, N - used, format, args...);
    if (written > 0) {
        used = std::min(N - 1, used + static_cast<std::size_t>(written));
    }
}

/// Appends `text` to `buffer` at `used`, keeping it terminated; cuts it if the buffer is full.
template <std::size_t N>
void append_string(char (&buffer)[N], std::size_t& used, const char* text) {
    while (used + 1 < N && *text != '\0') {
        buffer[used++] = *text++;
    }
    buffer[used] = '\0';
}

/// Appends a time as `m:ss`, or `h:mm:ss` from an hour on, rounded to whole seconds.
template <std::size_t N>
void append_duration(char (&buffer)[N], std::size_t& used, double seconds) {
    const long long total = std::llround(std::max(0.0, seconds));
    const long long hours = total / 3600;
    const long long minutes = (total / 60) % 60;
    const long long rest = total % 60;
    if (hours > 0) {
        append_text(buffer, used, "%lld:%02lld:%02lld", hours, minutes, rest);
    } else {
        append_text(buffer, used, "%lld:%02lld", minutes, rest);
    }
}

/// What a `progress_display` knows, shared with the callbacks it installs, so that they stay
/// valid whatever outlives what. Scalar-free: figures are kept as double.
class progress_state {
public:
    using clock_type = std::chrono::steady_clock;

    explicit progress_state(progress_options options) : options_(std::move(options)) {
        if (options_.stream == nullptr) {
            detail::raise(std::invalid_argument("ffn::progress_display: options.stream is null"));
        }
        if (options_.redraw_interval < clock_type::duration::zero()) {
            detail::raise(std::invalid_argument(
                "ffn::progress_display: options.redraw_interval is negative"));
        }
        const int fd = ::fileno(options_.stream);
        terminal_ = options_.mode == progress_mode::terminal ||
                    (options_.mode == progress_mode::automatic && fd >= 0 && ::isatty(fd) == 1);
        width_ = options_.width;
        if (terminal_ && width_ == 0 && fd >= 0) {
            winsize size{};
            if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
                width_ = static_cast<std::size_t>(size.ws_col) - 1;
            }
        }
    }

    progress_state(const progress_state&) = delete;
    progress_state& operator=(const progress_state&) = delete;
    progress_state(progress_state&&) = delete;
    progress_state& operator=(progress_state&&) = delete;

    ~progress_state() { finish(); }

    [[nodiscard]] bool terminal() const noexcept { return terminal_; }

    /// A new training run of `epochs` epochs starts now.
    void start(std::size_t epochs) {
        finish();
        epochs_ = epochs;
        start_ = now();
        validation_loss_.reset();
        validation_accuracy_.reset();
        drawn_ = false;
    }

    /// Terminal mode: after each step.
    void batch(std::size_t epoch, std::size_t batch, std::size_t batches, std::size_t samples,
               double loss) {
        if (batch == 0) {
            loss_sum_ = 0;
            samples_ = 0;
        }
        loss_sum_ += loss * static_cast<double>(samples - samples_);
        samples_ = samples;
        pending_ = false; // an undrawn end of epoch is out of date now
        const clock_type::time_point t = now();
        if (drawn_ && t - last_draw_ < options_.redraw_interval) {
            return;
        }
        const double done = static_cast<double>(epoch * batches + batch + 1) /
                            static_cast<double>(epochs_ * batches);
        compose(t, epoch, batch + 1, batches, loss_sum_ / static_cast<double>(samples), done);
        write(t);
    }

    /// After each epoch; `stopping` if the user's callback ended training. In terminal mode
    /// the line is redrawn only as often as after a batch (many short epochs would otherwise
    /// cost a write each), but the last epoch's figures are always shown: an end of epoch
    /// not drawn is kept, and `finish` draws it if no batch came after it.
    void epoch(std::size_t epoch, double training_loss, std::optional<double> validation_loss,
               std::optional<double> validation_accuracy, bool stopping) {
        validation_loss_ = validation_loss;
        validation_accuracy_ = validation_accuracy;
        const double done = static_cast<double>(epoch + 1) / static_cast<double>(epochs_);
        const clock_type::time_point t = now();
        compose(t, epoch, batches_seen_, batches_seen_, training_loss, done);
        const bool last = stopping || epoch + 1 >= epochs_;
        if (terminal_ && !last && drawn_ && t - last_draw_ < options_.redraw_interval) {
            pending_ = true;
            return;
        }
        write(t);
        if (last) {
            finish();
        }
    }

    /// The number of batches per epoch, as the last batch callback said (terminal mode).
    void note_batches(std::size_t batches) noexcept { batches_seen_ = batches; }

    /// Draws an end of epoch still pending, then ends the terminal line, if one is open.
    void finish() noexcept {
        if (pending_) {
            write(last_draw_);
        }
        if (line_open_) {
            std::fputc('\n', options_.stream);
            std::fflush(options_.stream);
            line_open_ = false;
        }
    }

private:
    [[nodiscard]] clock_type::time_point now() const {
        return options_.clock ? options_.clock() : clock_type::now();
    }

    /// Writes the text of a line into `line_`.
    void compose(clock_type::time_point t, std::size_t epoch, std::size_t batch,
                 std::size_t batches, double loss, double done) {
        std::size_t used = 0;
        line_[0] = '\0';
        append_text(line_, used, "epoch %zu/%zu", epoch + 1, epochs_);
        if (terminal_ && batches > 0) {
            append_text(line_, used, " batch %zu/%zu", batch, batches);
        }
        append_text(line_, used, " loss %.4g", loss);
        if (validation_loss_) {
            append_text(line_, used, " | val %.4g", *validation_loss_);
        }
        if (validation_accuracy_) {
            append_text(line_, used, " acc %.4f", *validation_accuracy_);
        }
        const double elapsed = std::chrono::duration<double>(t - start_).count();
        append_string(line_, used, " | ");
        append_duration(line_, used, elapsed);
        append_string(line_, used, ", ");
        append_duration(line_, used, done > 0 ? elapsed * (1 - done) / done : 0.0);
        append_string(line_, used, " left");
        if (terminal_ && width_ > 0 && used > width_) {
            line_[width_] = '\0';
        }
    }

    /// Writes `line_`, composed at time `t`.
    void write(clock_type::time_point t) noexcept {
        if (terminal_) {
            // Back to the start of the line, the new text, then erase what an older, longer
            // line left to its right (ANSI "erase in line").
            std::fprintf(options_.stream, "\r%s\x1b[K", line_);
            line_open_ = true;
        } else {
            std::fprintf(options_.stream, "%s\n", line_);
        }
        std::fflush(options_.stream);
        last_draw_ = t;
        drawn_ = true;
        pending_ = false;
    }

    progress_options options_;
    bool terminal_ = false;
    std::size_t width_ = 0;
    std::size_t epochs_ = 1;
    clock_type::time_point start_{};
    clock_type::time_point last_draw_{};
    bool drawn_ = false;
    bool line_open_ = false;
    bool pending_ = false;
    char line_[256] = {};
    double loss_sum_ = 0;
    std::size_t samples_ = 0;
    std::size_t batches_seen_ = 0;
    std::optional<double> validation_loss_;
    std::optional<double> validation_accuracy_;
};

} // namespace detail

/// Shows how far `ffn::fit` has come: the epoch, the batch, the loss, the validation loss and
/// accuracy of the last finished epoch when there are any, the time since training started
/// and an estimate of the time left.
///
/// On a terminal it keeps one line, redrawn in place (`\r`, then the rest of the line
/// cleared) at most every `redraw_interval`, and at the end of training with its last
/// figures and a newline:
///
///     epoch 3/40 batch 12/45 loss 0.1874 | val 0.1432 acc 0.9583 | 0:01, 0:12 left
///
/// where the loss is the mean over the epoch's batches so far. Elsewhere (a file, a pipe) it
/// writes one line per epoch, without the batch:
///
///     epoch 3/40 loss 0.1712 | val 0.1432 acc 0.9583 | 0:01, 0:12 left
///
/// The time left assumes the rest runs at the speed so far, over all `epochs`: with early
/// stopping it is an upper bound. Times are `m:ss`, or `h:mm:ss` from an hour on.
///
/// Use: `ffn::progress_display progress; progress.attach(options);` then `ffn::fit(...,
/// options)`. The callbacks `attach` installs share the display's state, so they stay valid
/// if the display goes first; destroying the display (or `finish`) ends a terminal line that
/// training left open (when it ended by early stopping or an exception).
class progress_display {
public:
    /// A display on stderr, terminal or plain as stderr is.
    progress_display() : progress_display(progress_options{}) {}

    /// A display with the given settings.
    /// @param options see `progress_options`
    /// @throws std::invalid_argument if `options.stream` is null or `options.redraw_interval`
    ///         is negative.
    explicit progress_display(progress_options options)
        : state_(std::make_shared<detail::progress_state>(std::move(options))) {}

    /// Not copyable: two owners of one line would end it twice. A moved-from display may only
    /// be destroyed or assigned to.
    progress_display(const progress_display&) = delete;
    progress_display& operator=(const progress_display&) = delete;
    /// Takes over `other`'s line.
    progress_display(progress_display&&) noexcept = default;
    /// Ends this display's line (as `finish` does), then takes over `other`'s.
    progress_display& operator=(progress_display&& other) noexcept {
        if (this != &other) {
            finish();
            state_ = std::move(other.state_);
        }
        return *this;
    }

    /// Ends the terminal line if training left it open.
    ~progress_display() { finish(); }

    /// True if it redraws one line (terminal mode), false for one line per epoch.
    [[nodiscard]] bool terminal() const noexcept { return state_->terminal(); }

    /// Makes `options` report to this display, from now on: the clock starts, and
    /// `options.on_epoch` (and in terminal mode `options.on_batch`) are set to callbacks that
    /// first call the ones already there, if any, then draw. A user `on_epoch` that returns
    /// `fit_action::stop_training` still stops training (and ends the line). Call it once per
    /// training run, after setting `options.epochs` (read here, for the time left).
    /// @param options the options that will be given to `ffn::fit`
    template <scalar Scalar>
    void attach(fit_options<Scalar>& options) {
        state_->start(options.epochs);
        std::shared_ptr<detail::progress_state> state = state_;
        if (state->terminal()) {
            options.on_batch =
                [state, user = std::move(options.on_batch)](const batch_record<Scalar>& record) {
                    if (user) {
                        user(record);
                    }
                    state->note_batches(record.batches);
                    state->batch(record.epoch, record.batch, record.batches, record.samples,
                                 static_cast<double>(record.loss));
                };
        }
        options.on_epoch = [state, user = std::move(options.on_epoch)](
                               const epoch_record<Scalar>& record) {
            const fit_action action = user ? user(record) : fit_action::continue_training;
            std::optional<double> validation_loss;
            if (record.validation_loss) {
                validation_loss = static_cast<double>(*record.validation_loss);
            }
            state->epoch(record.epoch, static_cast<double>(record.training_loss), validation_loss,
                         record.validation_accuracy, action == fit_action::stop_training);
            return action;
        };
    }

    /// Ends the terminal line if training left it open; nothing otherwise.
    void finish() noexcept {
        if (state_) {
            state_->finish();
        }
    }

private:
    std::shared_ptr<detail::progress_state> state_;
};

} // namespace ffn
