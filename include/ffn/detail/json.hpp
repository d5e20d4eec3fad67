// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// A strict JSON parser (RFC 8259) for the headers of safetensors files, and the string
/// escaper their writer needs. Strict because a header is untrusted input: duplicate keys,
/// invalid UTF-8, lone surrogates and leading zeros are errors, and nesting is limited so
/// that no input can exhaust the stack. Numbers keep their source text; the reader asks for
/// the one kind it needs, an unsigned integer.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ffn/errors.hpp"

namespace ffn::detail {

struct json_member;

/// One JSON value. Only the members of its `kind` are used: `boolean`, `text` (a string's
/// decoded UTF-8, a number's source text), `elements` (an array), `members` (an object, in
/// the order of the text, keys unique).
struct json_value {
    enum class kind_type : unsigned char { null, boolean, number, string, array, object };

    kind_type kind = kind_type::null;
    bool boolean = false;
    std::string text;
    std::vector<json_value> elements;
    std::vector<json_member> members;

    [[nodiscard]] bool is_string() const noexcept { return kind == kind_type::string; }
    [[nodiscard]] bool is_array() const noexcept { return kind == kind_type::array; }
    [[nodiscard]] bool is_object() const noexcept { return kind == kind_type::object; }

    /// The number as an unsigned integer if it is written as one (digits only: no sign,
    /// fraction or exponent, so not `-0`, `1.0` or `1e3`) and fits 64 bits; otherwise none.
    [[nodiscard]] std::optional<std::uint64_t> as_uint() const noexcept {
        if (kind != kind_type::number || text.empty()) {
            return std::nullopt;
        }
        std::uint64_t value = 0;
        for (const char c : text) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            const auto digit = static_cast<std::uint64_t>(c - '0');
            if (value > (UINT64_MAX - digit) / 10U) {
                return std::nullopt;
            }
            value = value * 10U + digit;
        }
        return value;
    }

    /// The value of the member `key` of an object, or null if there is none (or this is
    /// not an object).
    [[nodiscard]] const json_value* find(std::string_view key) const noexcept;
};

/// One member of an object. A struct, not a `std::pair`: libstdc++'s pair asks whether
/// json_value is default-constructible while json_value is still being defined.
struct json_member {
    std::string key;
    json_value value;
};

inline const json_value* json_value::find(std::string_view key) const noexcept {
    for (const auto& [name, value] : members) {
        if (name == key) {
            return &value;
        }
    }
    return nullptr;
}

/// The deepest nesting of arrays and objects `parse_json` accepts.
inline constexpr int json_max_depth = 64;

/// The length of the UTF-8 sequence (RFC 3629) that starts `text` at `at`, or 0 if none
/// does there: no overlong forms, no encoded surrogates, nothing above U+10FFFF.
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text,
                                                         std::size_t at) noexcept {
    const auto byte = [&](std::size_t i) -> unsigned {
        return at + i < text.size() ? static_cast<unsigned char>(text[at + i]) : 0U;
    };
    const unsigned lead = byte(0);
    if (lead < 0x80U) {
        return at < text.size() ? 1 : 0;
    }
    if (lead < 0xC2U || lead > 0xF4U) { // C0 and C1 could only start overlong forms
        return 0;
    }
    // The second byte's range excludes overlong forms after E0 and F0, the surrogates
    // U+D800..U+DFFF after ED, and everything above U+10FFFF after F4.
    const unsigned low = lead == 0xE0U ? 0xA0U : lead == 0xF0U ? 0x90U : 0x80U;
    const unsigned high = lead == 0xEDU ? 0x9FU : lead == 0xF4U ? 0x8FU : 0xBFU;
    if (byte(1) < low || byte(1) > high) {
        return 0;
    }
    const std::size_t length = lead >= 0xF0U ? 4 : lead >= 0xE0U ? 3 : 2;
    for (std::size_t i = 2; i < length; ++i) {
        if ((byte(i) & 0xC0U) != 0x80U) {
            return 0;
        }
    }
    return length;
}

/// True if `text` is valid UTF-8 throughout.
[[nodiscard]] constexpr bool is_valid_utf8(std::string_view text) noexcept {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = utf8_sequence_length(text, at);
        if (length == 0) {
            return false;
        }
        at += length;
    }
    return true;
}

/// Appends `utf8` to `out` as a JSON string with its quotes: `"` and `\` escaped, control
/// characters as `\u00XX`, everything else as it is.
/// @pre `utf8` is valid UTF-8 (see `is_valid_utf8`); the escaper does not check it.
inline void append_json_string(std::string& out, std::string_view utf8) {
    constexpr std::string_view hex = "0123456789abcdef";
    out += '"';
    for (const char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (b < 0x20U) {
            out += "\\u00";
            out += hex[b >> 4U];
            out += hex[b & 0xFU];
        } else {
            out += c;
        }
    }
    out += '"';
}

/// The recursive-descent parser behind `parse_json`.
class json_parser {
public:
    json_parser(std::string_view text, std::string_view where) : text_(text), where_(where) {}

    json_value parse_document() {
        skip_whitespace();
        json_value value = parse_value(0);
        skip_whitespace();
        if (at_ < text_.size()) {
            fail("unexpected " + describe(at_) + " after the value", at_);
        }
        return value;
    }

private:
    [[noreturn]] void fail(const std::string& what, std::size_t offset) const {
        detail::raise(format_error(std::string(where_) + ": the header is not valid JSON: " + what +
                                   " at byte " + std::to_string(offset)));
    }

    /// The byte at `offset` for a message: 'x' if printable ASCII, else 0xHH.
    [[nodiscard]] std::string describe(std::size_t offset) const {
        if (offset >= text_.size()) {
            return "end of text";
        }
        const auto b = static_cast<unsigned char>(text_[offset]);
        if (b >= 0x20U && b < 0x7FU) {
            return std::string("'") + text_[offset] + "'";
        }
        constexpr std::string_view hex = "0123456789ABCDEF";
        return std::string("byte 0x") + hex[b >> 4U] + hex[b & 0xFU];
    }

    [[nodiscard]] char peek() const noexcept { return at_ < text_.size() ? text_[at_] : '\0'; }
    [[nodiscard]] bool more() const noexcept { return at_ < text_.size(); }

    void skip_whitespace() noexcept {
        while (more() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
            ++at_;
        }
    }

    json_value parse_value(int depth) {
        json_value value;
        const char c = peek();
        if (!more()) {
            fail("the text ends where a value was expected", at_);
        } else if (c == '{' || c == '[') {
            if (depth == json_max_depth) {
                fail("arrays and objects nested deeper than " + std::to_string(json_max_depth) +
                         " levels",
                     at_);
            }
            parse_container(value, depth + 1);
        } else if (c == '"') {
            value.kind = json_value::kind_type::string;
            value.text = parse_string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            value.kind = json_value::kind_type::number;
            value.text = parse_number();
        } else if (literal("true") || literal("false")) {
            value.kind = json_value::kind_type::boolean;
            value.boolean = c == 't';
        } else if (!literal("null")) {
            fail("expected a value, found " + describe(at_), at_);
        }
        return value;
    }

    bool literal(std::string_view word) noexcept {
        if (text_.substr(at_, word.size()) != word) {
            return false;
        }
        at_ += word.size();
        return true;
    }

    /// An array or object from its opening bracket at `at_` on, into `value`.
    void parse_container(json_value& value, int depth) {
        const bool object = peek() == '{';
        const char close = object ? '}' : ']';
        value.kind = object ? json_value::kind_type::object : json_value::kind_type::array;
        std::vector<std::size_t> key_offsets;
        ++at_;
        skip_whitespace();
        if (literal(std::string_view(&close, 1))) {
            return;
        }
        while (true) {
            skip_whitespace();
            if (object) {
                if (peek() != '"') {
                    fail("expected a string key, found " + describe(at_), at_);
                }
                key_offsets.push_back(at_);
                std::string key = parse_string();
                skip_whitespace();
                if (!literal(":")) {
                    fail("expected ':' after an object key", at_);
                }
                skip_whitespace();
                value.members.push_back(json_member{std::move(key), parse_value(depth)});
            } else {
                value.elements.push_back(parse_value(depth));
            }
            skip_whitespace();
            if (literal(std::string_view(&close, 1))) {
                break;
            }
            if (!literal(",")) {
                fail(std::string("expected ',' or '") + close + "' after " +
                         (object ? "an object member" : "an array element") + ", found " +
                         describe(at_),
                     at_);
            }
        }
        check_unique_keys(value.members, key_offsets);
    }

    /// Reports the first key, in the order of the text, that repeats an earlier one. Sorting
    /// keeps this O(n log n): a header may hold many thousands of tensors.
    void check_unique_keys(const std::vector<json_member>& members,
                           const std::vector<std::size_t>& key_offsets) const {
        std::vector<std::size_t> order(members.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            order[i] = i;
        }
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const int order_of_keys = members[a].key.compare(members[b].key);
            return order_of_keys != 0 ? order_of_keys < 0 : a < b;
        });
        std::size_t first_repeat = members.size();
        for (std::size_t i = 1; i < order.size(); ++i) {
            if (members[order[i]].key == members[order[i - 1]].key) {
                first_repeat = std::min(first_repeat, order[i]);
            }
        }
        if (first_repeat < members.size()) {
            std::string key;
            append_json_string(key, members[first_repeat].key);
            fail("duplicate object key " + key, key_offsets[first_repeat]);
        }
    }

    /// Four hex digits at `at_` (after "\u"), as a number.
    unsigned parse_hex4() {
        unsigned code = 0;
        for (int i = 0; i < 4; ++i, ++at_) {
            const char c = peek();
            unsigned digit = 0;
            if (c >= '0' && c <= '9') {
                digit = static_cast<unsigned>(c - '0');
            } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
                digit = static_cast<unsigned>((c | 0x20) - 'a') + 10U;
            } else {
                fail("expected four hex digits after \\u", at_);
            }
            code = code * 16U + digit;
        }
        return code;
    }

    /// Appends the code point `code` (at most U+10FFFF, not a surrogate) as UTF-8.
    static void append_utf8(std::string& out, unsigned code) {
        const int continuation = code < 0x80U ? 0 : code < 0x800U ? 1 : code < 0x10000U ? 2 : 3;
        constexpr unsigned lead_bits[] = {0x00U, 0xC0U, 0xE0U, 0xF0U};
        out += static_cast<char>(lead_bits[continuation] | (code >> (6 * continuation)));
        for (int i = continuation - 1; i >= 0; --i) {
            out += static_cast<char>(0x80U | ((code >> (6 * i)) & 0x3FU));
        }
    }

    /// The escape sequence at `at_` (after the backslash), decoded onto `out`.
    void parse_escape(std::string& out, std::size_t backslash) {
        const char c = peek();
        constexpr std::string_view from = "\"\\/bfnrt";
        constexpr std::string_view to = "\"\\/\b\f\n\r\t";
        if (const std::size_t i = from.find(c); more() && i != std::string_view::npos) {
            out += to[i];
            ++at_;
            return;
        }
        if (c != 'u') {
            fail("an invalid escape: a backslash followed by " + describe(at_), backslash);
        }
        ++at_;
        unsigned code = parse_hex4();
        if (code >= 0xDC00U && code <= 0xDFFFU) {
            fail("a low surrogate \\u escape without a high surrogate before it", backslash);
        }
        if (code >= 0xD800U && code <= 0xDBFFU) {
            if (!literal("\\u")) {
                fail("a high surrogate \\u escape not followed by a low surrogate", backslash);
            }
            const unsigned low = parse_hex4();
            if (low < 0xDC00U || low > 0xDFFFU) {
                fail("a high surrogate \\u escape not followed by a low surrogate", backslash);
            }
            code = 0x10000U + ((code - 0xD800U) << 10U) + (low - 0xDC00U);
        }
        append_utf8(out, code);
    }

    std::string parse_string() {
        const std::size_t open = at_;
        ++at_; // '"'
        std::string out;
        while (true) {
            if (!more()) {
                fail("a string that is never closed", open);
            }
            const auto b = static_cast<unsigned char>(text_[at_]);
            if (b == '"') {
                ++at_;
                return out;
            }
            if (b == '\\') {
                ++at_;
                parse_escape(out, at_ - 1);
            } else if (b < 0x20U) {
                fail("an unescaped control character (" + describe(at_) + ") in a string", at_);
            } else {
                const std::size_t length = utf8_sequence_length(text_, at_);
                if (length == 0) {
                    fail("invalid UTF-8 in a string", at_);
                }
                out.append(text_.substr(at_, length));
                at_ += length;
            }
        }
    }

    /// RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    std::string parse_number() {
        const std::size_t start = at_;
        const auto digits = [&](const char* what) {
            if (peek() < '0' || peek() > '9') {
                fail(std::string("expected a digit ") + what + ", found " + describe(at_), at_);
            }
            while (peek() >= '0' && peek() <= '9') {
                ++at_;
            }
        };
        literal("-");
        if (peek() == '0') {
            ++at_;
            if (peek() >= '0' && peek() <= '9') {
                fail("a number with a leading zero", start);
            }
        } else {
            digits("in a number");
        }
        if (literal(".")) {
            digits("after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++at_;
            if (peek() == '+' || peek() == '-') {
                ++at_;
            }
            digits("in the exponent");
        }
        return std::string(text_.substr(start, at_ - start));
    }

    std::string_view text_;
    std::string_view where_;
    std::size_t at_ = 0;
};

/// Parses `text`, which must be exactly one JSON value with optional whitespace (space,
/// tab, LF, CR) around it.
/// @param where names the input in messages (a file name).
/// @throws ffn::format_error "<where>: the header is not valid JSON: <what> at byte <n>",
///   `n` counted from 0 within `text`, if it is not RFC 8259 JSON, repeats a key within an
///   object, holds invalid UTF-8 or a lone surrogate, or nests more than 64 levels.
[[nodiscard]] inline json_value parse_json(std::string_view text, std::string_view where) {
    return json_parser(text, where).parse_document();
}

} // namespace ffn::detail
