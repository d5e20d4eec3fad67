// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// Numbers and names in error messages.

#include <algorithm>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ffn::detail {

/// A non-negative integer of up to 1184 bits, enough for the exact arithmetic of
/// `write_number` (a double times a power of ten or two, scaled by at most 10^342).
class wide_unsigned {
public:
    wide_unsigned() = default;
    explicit wide_unsigned(std::uint64_t value) noexcept
        : words_{static_cast<std::uint32_t>(value), static_cast<std::uint32_t>(value >> 32U)},
          size_(value == 0            ? 0
                : (value >> 32U) == 0 ? 1
                                      : 2) {}

    /// `*this *= 2^bits`.
    void shift_left(unsigned bits) noexcept {
        if (size_ == 0) {
            return;
        }
        const std::size_t words = bits / 32U;
        const unsigned rest = bits % 32U;
        std::size_t n = size_ + words;
        words_[n] = 0;
        // From the top down, so that every word is read before anything is written over it.
        for (std::size_t i = size_; i-- > 0;) {
            if (rest != 0) {
                words_[i + words + 1] |= words_[i] >> (32U - rest);
            }
            words_[i + words] = words_[i] << rest;
        }
        std::fill_n(words_, words, 0U);
        size_ = words_[n] != 0 ? n + 1 : n;
    }

    /// `*this *= factor`.
    void multiply(std::uint32_t factor) noexcept {
        std::uint64_t carry = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            const std::uint64_t product = std::uint64_t{words_[i]} * factor + carry;
            words_[i] = static_cast<std::uint32_t>(product);
            carry = product >> 32U;
        }
        if (carry != 0) {
            words_[size_++] = static_cast<std::uint32_t>(carry);
        }
    }

    /// `*this /= divisor`; returns the remainder.
    std::uint32_t divide(std::uint32_t divisor) noexcept {
        std::uint64_t remainder = 0;
        for (std::size_t i = size_; i-- > 0;) {
            const std::uint64_t part = (remainder << 32U) | words_[i];
            words_[i] = static_cast<std::uint32_t>(part / divisor);
            remainder = part % divisor;
        }
        while (size_ > 0 && words_[size_ - 1] == 0) {
            --size_;
        }
        return static_cast<std::uint32_t>(remainder);
    }

    [[nodiscard]] bool is_zero() const noexcept { return size_ == 0; }

    /// `*this -= other`; `other` must not be larger.
    void subtract(const wide_unsigned& other) noexcept {
        std::uint64_t borrow = 0;
        for (std::size_t i = 0; i < size_; ++i) {
            const std::uint64_t b = (i < other.size_ ? other.words_[i] : 0U) + borrow;
            borrow = words_[i] < b ? 1U : 0U;
            words_[i] = static_cast<std::uint32_t>(words_[i] - b);
        }
        while (size_ > 0 && words_[size_ - 1] == 0) {
            --size_;
        }
    }

    /// `a + b` compared with `c`: negative, zero or positive.
    friend int compare_sum(const wide_unsigned& a, const wide_unsigned& b,
                           const wide_unsigned& c) noexcept {
        wide_unsigned sum = a;
        std::uint64_t carry = 0;
        const std::size_t n = std::max(a.size_, b.size_);
        for (std::size_t i = 0; i < n; ++i) {
            carry +=
                std::uint64_t{i < a.size_ ? a.words_[i] : 0U} + (i < b.size_ ? b.words_[i] : 0U);
            sum.words_[i] = static_cast<std::uint32_t>(carry);
            carry >>= 32U;
        }
        sum.size_ = n;
        if (carry != 0) {
            sum.words_[sum.size_++] = static_cast<std::uint32_t>(carry);
        }
        return compare(sum, c);
    }

    friend int compare(const wide_unsigned& a, const wide_unsigned& b) noexcept {
        if (a.size_ != b.size_) {
            return a.size_ < b.size_ ? -1 : 1;
        }
        for (std::size_t i = a.size_; i-- > 0;) {
            if (a.words_[i] != b.words_[i]) {
                return a.words_[i] < b.words_[i] ? -1 : 1;
            }
        }
        return 0;
    }

private:
    std::uint32_t words_[37]{};
    std::size_t size_ = 0;
};

/// Writes `value` into `out` in the shortest form that reads back as the same double, in the
/// notation (fixed or scientific) that is shorter, fixed on a tie: the text of
/// `std::to_chars(first, last, value)` ("0.1", "1e-08", "123", "-inf", "nan"). Returns the end
/// of what it wrote, at most 24 characters. Exact integer arithmetic after Steele and White's
/// free-format algorithm (Burger and Dybvig's formulation): the digits are the fewest that lie
/// strictly inside the interval of reals that round to `value` (its ends too when the
/// significand is even, as round-half-to-even reading takes them), the last one rounded to
/// the nearer, halves to even.
inline char* write_number(char* out, double value) noexcept {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    if ((bits >> 63U) != 0) {
        *out++ = '-';
    }
    const auto biased_exponent = static_cast<int>((bits >> 52U) & 0x7FFU);
    const std::uint64_t fraction = bits & ((std::uint64_t{1} << 52U) - 1);
    const auto copy = [&out](std::string_view text) {
        out = std::copy(text.begin(), text.end(), out);
        return out;
    };
    if (biased_exponent == 0x7FF) {
        return copy(fraction == 0 ? "inf" : "nan");
    }
    if (biased_exponent == 0 && fraction == 0) {
        return copy("0");
    }
    const std::uint64_t significand =
        biased_exponent == 0 ? fraction : fraction | (std::uint64_t{1} << 52U);
    const int exponent = (biased_exponent == 0 ? 1 : biased_exponent) - 1075;
    // value = r / s; the reals within m_plus / s above and m_minus / s below round to it (the
    // gap below a power of two is half the gap above).
    const bool lower_gap_smaller = fraction == 0 && biased_exponent > 1;
    const bool inclusive = significand % 2 == 0;
    wide_unsigned r(significand);
    wide_unsigned s(1);
    wide_unsigned m_plus(1);
    wide_unsigned m_minus(1);
    const unsigned scale = lower_gap_smaller ? 2U : 1U;
    if (exponent >= 0) {
        r.shift_left(static_cast<unsigned>(exponent) + scale);
        s.shift_left(scale);
        m_plus.shift_left(static_cast<unsigned>(exponent) + scale - 1);
        m_minus.shift_left(static_cast<unsigned>(exponent));
    } else {
        r.shift_left(scale);
        s.shift_left(static_cast<unsigned>(-exponent) + scale);
        m_plus.shift_left(scale - 1);
    }
    // The decimal exponent k: the upper end of the interval lies in (10^(k-1), 10^k].
    int k = 0;
    const auto high_reaches = [inclusive](const wide_unsigned& a, const wide_unsigned& b,
                                          const wide_unsigned& c) {
        const int order = compare_sum(a, b, c);
        return inclusive ? order >= 0 : order > 0;
    };
    while (high_reaches(r, m_plus, s)) {
        s.multiply(10);
        ++k;
    }
    for (;;) {
        wide_unsigned r10 = r;
        wide_unsigned m10 = m_plus;
        r10.multiply(10);
        m10.multiply(10);
        if (high_reaches(r10, m10, s)) {
            break;
        }
        r = r10;
        m_plus = m10;
        m_minus.multiply(10);
        --k;
    }
    char digits[20];
    int count = 0;
    for (;;) {
        r.multiply(10);
        m_plus.multiply(10);
        m_minus.multiply(10);
        int digit = 0;
        while (compare(r, s) >= 0) {
            r.subtract(s);
            ++digit;
        }
        const int low_order = compare(r, m_minus);
        const bool low = inclusive ? low_order <= 0 : low_order < 0;
        const bool high = high_reaches(r, m_plus, s);
        if (low && high) {
            const int half = compare_sum(r, r, s);
            digit += half > 0 || (half == 0 && digit % 2 != 0) ? 1 : 0;
        } else if (high) {
            ++digit;
        }
        digits[count++] = static_cast<char>('0' + digit);
        if (low || high) {
            break;
        }
    }
    // value = 0.d1 d2 ... dn x 10^k. Fixed: "ddd000", "dd.dd" or "0.000dd"; scientific:
    // "d.ddde+XX".
    const int scientific_exponent = k - 1;
    const int magnitude = scientific_exponent < 0 ? -scientific_exponent : scientific_exponent;
    const int scientific_length = count + (count > 1 ? 1 : 0) + 2 + (magnitude >= 100 ? 3 : 2);
    const int fixed_length = k >= count ? k : k > 0 ? count + 1 : 2 - k + count;
    const std::string_view text(digits, static_cast<std::size_t>(count));
    if (fixed_length <= scientific_length) {
        if (k <= 0) {
            copy("0.");
            out = std::fill_n(out, -k, '0');
            return copy(text);
        }
        if (k >= count) {
            // An integer (the interval around a fraction holds no integer): written in full,
            // as std::to_chars does, rather than as its shortest digits and zeros.
            wide_unsigned whole(exponent >= 0 ? significand : significand >> -exponent);
            whole.shift_left(exponent >= 0 ? static_cast<unsigned>(exponent) : 0U);
            char reversed[32];
            int length = 0;
            do {
                reversed[length++] = static_cast<char>('0' + whole.divide(10));
            } while (!whole.is_zero());
            return std::reverse_copy(reversed, reversed + length, out);
        }
        out = std::copy(digits, digits + k, out);
        *out++ = '.';
        return std::copy(digits + k, digits + count, out);
    }
    *out++ = digits[0];
    if (count > 1) {
        *out++ = '.';
        out = std::copy(digits + 1, digits + count, out);
    }
    *out++ = 'e';
    *out++ = scientific_exponent < 0 ? '-' : '+';
    if (magnitude >= 100) {
        *out++ = static_cast<char>('0' + magnitude / 100);
    }
    *out++ = static_cast<char>('0' + magnitude / 10 % 10);
    *out++ = static_cast<char>('0' + magnitude % 10);
    return out;
}

/// `value` in the shortest form that reads back as the same double ("0.1", "1e-08", "inf",
/// "nan"), unlike `std::to_string`, which prints 1e-8 as "0.000000" (see `write_number`).
[[nodiscard]] inline std::string format_number(double value) {
    char buffer[32];
    return std::string(buffer, write_number(buffer, value));
}

/// An error message written into a buffer of its own, for the checks that a program without
/// exceptions and without the heap links (settings checked at run time even with fixed
/// sizes): `message() << "ffn::sgd: learning_rate must be positive, got " << value`. Numbers
/// are written as `format_number` writes them. A message longer than its 511 characters ends
/// in "...".
class message {
public:
    /// Appends `text`.
    message& operator<<(std::string_view text) noexcept {
        const std::size_t room = capacity - size_;
        const std::size_t n = std::min(room, text.size());
        std::copy_n(text.data(), n, text_ + size_);
        size_ += n;
        if (n < text.size()) {
            std::copy_n("...", 3, text_ + capacity - 3);
        }
        text_[size_] = '\0';
        return *this;
    }
    /// Appends `value` in decimal.
    template <std::integral T>
    message& operator<<(T value) noexcept {
        char digits[24];
        char* end = digits + sizeof digits;
        char* first = end;
        using wide = std::uint64_t;
        const bool negative = value < 0;
        wide magnitude = negative ? wide{0} - static_cast<wide>(value) : static_cast<wide>(value);
        do {
            *--first = static_cast<char>('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude != 0);
        if (negative) {
            *--first = '-';
        }
        return *this << std::string_view(first, static_cast<std::size_t>(end - first));
    }
    /// Appends `value` as `format_number` writes it.
    message& operator<<(double value) noexcept {
        char buffer[32];
        return *this << std::string_view(
                   buffer, static_cast<std::size_t>(write_number(buffer, value) - buffer));
    }

    /// The text, ended by a zero byte.
    [[nodiscard]] const char* c_str() const noexcept { return text_; }
    /// The text.
    [[nodiscard]] std::string_view view() const noexcept { return {text_, size_}; }

private:
    static constexpr std::size_t capacity = 511;
    char text_[capacity + 1] = {};
    std::size_t size_ = 0;
};

/// `text` in single quotes, cut to 64 characters, with bytes outside printable ASCII written
/// as `\xNN`: names read from a damaged file go into messages safely.
[[nodiscard]] inline std::string quoted_name(std::string_view text) {
    constexpr std::size_t limit = 64;
    std::string result = "'";
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
            result += static_cast<char>(c);
        } else {
            constexpr std::string_view digits = "0123456789abcdef";
            result += "\\x";
            result += digits[c >> 4U];
            result += digits[c & 0xFU];
        }
    }
    if (text.size() > limit) {
        result += "...";
    }
    result += "'";
    return result;
}

} // namespace ffn::detail
