// SPDX-License-Identifier: MIT
// The strict JSON parser behind safetensors headers: what RFC 8259 allows is read exactly,
// everything else is refused with a message that says what and at which byte.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include <ffn/detail/json.hpp>

namespace {

using ffn::detail::json_value;
using kind = json_value::kind_type;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

json_value parse(std::string_view text) { return ffn::detail::parse_json(text, "h.json"); }

/// The message of the ffn::format_error that parsing `text` throws ("no error" if none;
/// any other exception escapes and fails the test).
std::string error_of(std::string_view text) {
    try {
        (void)parse(text);
    } catch (const ffn::format_error& e) {
        return e.what();
    }
    return "no error";
}

std::string nested(int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
}

} // namespace

TEST_CASE("parse_json reads every kind of value, object members in the order of the text", "[io]") {
    const json_value v =
        parse(R"({"z": [1, -2.5e+3, true, false, null, "x"], "a": {}, "m": [], "s": ""})");
    REQUIRE(v.kind == kind::object);
    REQUIRE(v.members.size() == 4);
    CHECK(v.members[0].key == "z");
    CHECK(v.members[1].key == "a");
    CHECK(v.members[2].key == "m");
    CHECK(v.members[3].key == "s");
    const json_value& z = v.members[0].value;
    REQUIRE(z.kind == kind::array);
    REQUIRE(z.elements.size() == 6);
    CHECK(z.elements[0].kind == kind::number);
    CHECK(z.elements[0].text == "1");
    CHECK(z.elements[1].text == "-2.5e+3");
    CHECK(z.elements[2].kind == kind::boolean);
    CHECK(z.elements[2].boolean);
    CHECK(z.elements[3].kind == kind::boolean);
    CHECK_FALSE(z.elements[3].boolean);
    CHECK(z.elements[4].kind == kind::null);
    CHECK(z.elements[5].kind == kind::string);
    CHECK(z.elements[5].text == "x");
    CHECK(v.members[1].value.kind == kind::object);
    CHECK(v.members[1].value.members.empty());
    CHECK(v.members[2].value.kind == kind::array);
    CHECK(v.members[2].value.elements.empty());
    CHECK(v.members[3].value.text.empty());
    REQUIRE(v.find("a") != nullptr);
    CHECK(v.find("a") == &v.members[1].value);
    CHECK(v.find("nope") == nullptr);
    CHECK(parse("true").find("a") == nullptr);
}

TEST_CASE("parse_json: as_uint gives only integers written as digits that fit 64 bits", "[io]") {
    CHECK(parse("0").as_uint() == std::optional<std::uint64_t>(0));
    CHECK(parse("42").as_uint() == std::optional<std::uint64_t>(42));
    CHECK(parse("18446744073709551615").as_uint() == std::optional<std::uint64_t>(UINT64_MAX));
    CHECK_FALSE(parse("18446744073709551616").as_uint());
    CHECK_FALSE(parse("99999999999999999999").as_uint());
    CHECK_FALSE(parse("-0").as_uint());
    CHECK_FALSE(parse("-1").as_uint());
    CHECK_FALSE(parse("1.0").as_uint());
    CHECK_FALSE(parse("1e3").as_uint());
    CHECK_FALSE(parse("1E3").as_uint());
    CHECK_FALSE(parse("\"7\"").as_uint());
    CHECK_FALSE(parse("[7]").as_uint());
    CHECK_FALSE(parse("null").as_uint());
}

TEST_CASE("parse_json accepts the whitespace of RFC 8259 around and inside values", "[io]") {
    const json_value v = parse(" \t\r\n{ \"a\" :\t[ 1 ,\n2 ] } \r\n\t ");
    REQUIRE(v.kind == kind::object);
    CHECK(v.members[0].value.elements.size() == 2);
    // Form feed, vertical tab and no-break space are not JSON whitespace.
    CHECK_THAT(error_of("\f{}"), Contains("expected a value, found byte 0x0C at byte 0"));
    CHECK_THAT(error_of("{}\v"), Contains("unexpected byte 0x0B after the value at byte 2"));
    CHECK_THAT(error_of("\xC2\xA0{}"), Contains("expected a value, found byte 0xC2 at byte 0"));
}

TEST_CASE("parse_json decodes every escape, surrogate pairs included", "[io]") {
    CHECK(parse(R"("\"\\\/\b\f\n\r\t")").text == "\"\\/\b\f\n\r\t");
    CHECK(parse(R"("\u0041\u00e9\u20AC")").text == "A\xC3\xA9\xE2\x82\xAC");
    CHECK(parse(R"("\u0000")").text == std::string(1, '\0'));
    CHECK(parse(R"("\u007f\u0080\u07FF\u0800\uFFFF")").text ==
          "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF");
    // U+1F600 and U+10FFFF, the largest code point.
    CHECK(parse(R"("\ud83d\ude00")").text == "\xF0\x9F\x98\x80");
    CHECK(parse(R"("\uDBFF\uDFFF")").text == "\xF4\x8F\xBF\xBF");
    // Raw UTF-8 passes through unchanged.
    CHECK(parse("\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x7F\"").text ==
          "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x7F");
}

TEST_CASE("parse_json refuses lone surrogates and bad escapes", "[io]") {
    CHECK_THAT(error_of(R"("\ud800")"),
               Contains("a high surrogate \\u escape not followed by a low surrogate at byte 1"));
    CHECK_THAT(error_of(R"("ab\ud800x")"),
               Contains("a high surrogate \\u escape not followed by a low surrogate at byte 3"));
    CHECK_THAT(error_of(R"("\ud800\u0041")"),
               Contains("a high surrogate \\u escape not followed by a low surrogate at byte 1"));
    CHECK_THAT(error_of(R"("\ud800\ud800")"),
               Contains("a high surrogate \\u escape not followed by a low surrogate"));
    CHECK_THAT(error_of(R"("\udc00")"),
               Contains("a low surrogate \\u escape without a high surrogate before it at byte 1"));
    CHECK_THAT(error_of(R"("\ude00\ud83d")"), Contains("a low surrogate"));
    CHECK_THAT(error_of(R"("\x")"),
               Contains("an invalid escape: a backslash followed by 'x' at byte 1"));
    CHECK_THAT(error_of(R"("\U0041")"), Contains("an invalid escape"));
    CHECK_THAT(error_of(R"("\u12G4")"), Contains("expected four hex digits after \\u at byte 5"));
    CHECK_THAT(error_of(R"("\u12")"), Contains("expected four hex digits after \\u at byte 5"));
    CHECK_THAT(error_of("\"\\"),
               Contains("an invalid escape: a backslash followed by end of text"));
}

TEST_CASE("parse_json refuses invalid UTF-8 in strings", "[io]") {
    // Overlong forms.
    CHECK_THAT(error_of("\"\xC0\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"a\xC1\xBF\""), Contains("invalid UTF-8 in a string at byte 2"));
    CHECK_THAT(error_of("\"\xE0\x80\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xF0\x80\x80\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    // Surrogates encoded in UTF-8 (U+D800, U+DFFF).
    CHECK_THAT(error_of("\"\xED\xA0\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xED\xBF\xBF\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK(parse("\"\xED\x9F\xBF\"").text == "\xED\x9F\xBF"); // U+D7FF is fine
    // Above U+10FFFF.
    CHECK_THAT(error_of("\"\xF4\x90\x80\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xF5\x80\x80\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xFF\""), Contains("invalid UTF-8 in a string at byte 1"));
    // A continuation byte alone, a sequence cut short, a sequence cut by the end.
    CHECK_THAT(error_of("\"\x80\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xE2\x82\""), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xE2\x82"), Contains("invalid UTF-8 in a string at byte 1"));
    CHECK_THAT(error_of("\"\xF0\x9F\x98\x41\""), Contains("invalid UTF-8 in a string at byte 1"));
}

TEST_CASE("parse_json refuses unescaped control characters in strings", "[io]") {
    CHECK_THAT(error_of("\"a\nb\""),
               Contains("an unescaped control character (byte 0x0A) in a string at byte 2"));
    CHECK_THAT(error_of(std::string("\"\0\"", 3)),
               Contains("an unescaped control character (byte 0x00) in a string at byte 1"));
    CHECK_THAT(error_of("\"\x1F\""), Contains("control character (byte 0x1F)"));
    CHECK(parse("\"\x7F\"").text == "\x7F"); // DEL is not a control character in JSON
}

TEST_CASE("parse_json refuses duplicate keys, naming the first repeat", "[io]") {
    CHECK_THAT(error_of(R"({"a":1,"b":2,"a":3})"),
               Contains("duplicate object key \"a\" at byte 13"));
    // Many keys, so that the search is by sorting: the first repeat in the text is named.
    std::string many = "{";
    for (int i = 0; i < 100; ++i) {
        many += "\"k" + std::to_string(i) + "\":0,";
    }
    const std::size_t at = many.size();
    many += R"("k50":1,"k7":1})";
    CHECK_THAT(error_of(many),
               Contains("duplicate object key \"k50\" at byte " + std::to_string(at)));
    // In a nested object; and keys equal only after unescaping.
    CHECK_THAT(error_of(R"({"x":{"q":1,"q":2}})"),
               Contains("duplicate object key \"q\" at byte 12"));
    CHECK_THAT(error_of(R"({"\u0061":1,"a":2})"),
               Contains("duplicate object key \"a\" at byte 12"));
    // A key that needs escaping is shown escaped.
    CHECK_THAT(error_of("{\"\\n\\\"\":1,\"\\n\\\"\":2}"),
               Contains(R"(duplicate object key "\u000a\"")"));
    // The same key in different objects is fine.
    CHECK(parse(R"([{"a":1},{"a":2}])").elements.size() == 2);
}

TEST_CASE("parse_json limits nesting to 64 levels", "[io]") {
    CHECK(parse(nested(64)).kind == kind::array);
    CHECK_THAT(error_of(nested(65)),
               Contains("arrays and objects nested deeper than 64 levels at byte 64"));
    CHECK_THAT(error_of(nested(100)),
               Contains("arrays and objects nested deeper than 64 levels at byte 64"));
    // 100'000 opening brackets: refused at the limit, without recursing that deep.
    CHECK_THAT(error_of(std::string(100'000, '[')), Contains("nested deeper than 64 levels"));
    std::string objects;
    for (int i = 0; i < 65; ++i) {
        objects += "{\"a\":";
    }
    CHECK_THAT(error_of(objects + "1" + std::string(65, '}')),
               Contains("nested deeper than 64 levels at byte 320")); // 64 times 5 bytes
}

TEST_CASE("parse_json refuses anything after the value", "[io]") {
    CHECK_THAT(error_of("{} x"), Contains("unexpected 'x' after the value at byte 3"));
    CHECK_THAT(error_of("{}{}"), Contains("unexpected '{' after the value at byte 2"));
    CHECK_THAT(error_of("1 2"), Contains("unexpected '2' after the value at byte 2"));
    CHECK_THAT(error_of(std::string("{}\0", 3)),
               Contains("unexpected byte 0x00 after the value at byte 2"));
    CHECK_THAT(error_of("truex"), Contains("unexpected 'x' after the value at byte 4"));
}

TEST_CASE("parse_json reads numbers by RFC 8259's grammar only", "[io]") {
    for (const char* good :
         {"0", "-0", "7", "-7", "0.5", "-0.5", "1e9", "1E+9", "1e-9", "0e0", "123.456e-78"}) {
        const json_value v = parse(good);
        CHECK(v.kind == kind::number);
        CHECK(v.text == good);
    }
    CHECK_THAT(error_of("01"), Contains("a number with a leading zero at byte 0"));
    CHECK_THAT(error_of("[1, -012]"), Contains("a number with a leading zero at byte 4"));
    CHECK_THAT(error_of("00"), Contains("a number with a leading zero"));
    CHECK_THAT(error_of("1."), Contains("expected a digit after the decimal point, found end of "
                                        "text at byte 2"));
    CHECK_THAT(error_of("1.e5"), Contains("expected a digit after the decimal point, found 'e'"));
    CHECK_THAT(error_of("1e"), Contains("expected a digit in the exponent, found end of text"));
    CHECK_THAT(error_of("1e+"), Contains("expected a digit in the exponent"));
    CHECK_THAT(error_of("-"),
               Contains("expected a digit in a number, found end of text at byte 1"));
    CHECK_THAT(error_of("- 1"), Contains("expected a digit in a number, found ' ' at byte 1"));
    CHECK_THAT(error_of("+1"), Contains("expected a value, found '+' at byte 0"));
    CHECK_THAT(error_of(".5"), Contains("expected a value, found '.' at byte 0"));
    CHECK_THAT(error_of("0x10"), Contains("unexpected 'x' after the value at byte 1"));
    CHECK_THAT(error_of("NaN"), Contains("expected a value, found 'N'"));
    CHECK_THAT(error_of("-Infinity"), Contains("expected a digit in a number, found 'I'"));
}

TEST_CASE("parse_json refuses broken structure with the byte where it breaks", "[io]") {
    CHECK_THAT(error_of(""), Contains("the text ends where a value was expected at byte 0"));
    CHECK_THAT(error_of("   "), Contains("the text ends where a value was expected at byte 3"));
    CHECK_THAT(error_of(R"({"a" 1})"), Contains("expected ':' after an object key at byte 5"));
    CHECK_THAT(error_of(R"({"dtype":"F32","shape"[2]})"),
               Contains("expected ':' after an object key at byte 22"));
    CHECK_THAT(error_of(R"({"a":1,})"), Contains("expected a string key, found '}' at byte 7"));
    CHECK_THAT(error_of("{1:2}"), Contains("expected a string key, found '1' at byte 1"));
    CHECK_THAT(error_of("{'a':2}"), Contains("expected a string key, found ''' at byte 1"));
    CHECK_THAT(error_of("[1,]"), Contains("expected a value, found ']' at byte 3"));
    CHECK_THAT(error_of("[,1]"), Contains("expected a value, found ',' at byte 1"));
    CHECK_THAT(error_of("[1 2]"),
               Contains("expected ',' or ']' after an array element, found '2' at byte 3"));
    CHECK_THAT(error_of(R"({"a":1 "b":2})"),
               Contains("expected ',' or '}' after an object member, found '\"' at byte 7"));
    CHECK_THAT(error_of("[1,"), Contains("the text ends where a value was expected at byte 3"));
    CHECK_THAT(error_of(R"({"a":1)"),
               Contains("expected ',' or '}' after an object member, found end of text at byte 6"));
    CHECK_THAT(error_of("[}"), Contains("expected a value, found '}' at byte 1"));
    CHECK_THAT(error_of("\"abc"), Contains("a string that is never closed at byte 0"));
    CHECK_THAT(error_of(R"({"a":"b)"), Contains("a string that is never closed at byte 5"));
    CHECK_THAT(error_of("tru"), Contains("expected a value, found 't' at byte 0"));
    CHECK_THAT(error_of("nul"), Contains("expected a value, found 'n' at byte 0"));
    CHECK_THAT(error_of("True"), Contains("expected a value, found 'T' at byte 0"));
    CHECK_THAT(error_of("\xEF\xBB\xBF{}"), Contains("expected a value, found byte 0xEF at byte 0"));
}

TEST_CASE("parse_json errors are format_errors that name the input first", "[io]") {
    REQUIRE_THROWS_AS(ffn::detail::parse_json("{", "model.safetensors"), ffn::format_error);
    REQUIRE_THROWS_WITH(ffn::detail::parse_json("{", "model.safetensors"),
                        StartsWith("model.safetensors: the header is not valid JSON: "));
    CHECK(error_of("[1 2]") ==
          "h.json: the header is not valid JSON: expected ',' or ']' after an array element, "
          "found '2' at byte 3");
}

TEST_CASE("append_json_string escapes what JSON needs and parses back to the same text", "[io]") {
    std::string out = "x";
    ffn::detail::append_json_string(out, "a\"b\\c/\xC3\xA9");
    CHECK(out == "x\"a\\\"b\\\\c/\xC3\xA9\"");

    std::string controls;
    for (int c = 0; c < 0x20; ++c) {
        controls += static_cast<char>(c);
    }
    std::string escaped;
    ffn::detail::append_json_string(escaped, controls);
    CHECK(escaped.substr(0, 13) == "\"\\u0000\\u0001");
    CHECK(escaped.find("\\u000a") != std::string::npos);
    CHECK(escaped.find("\\u001f") != std::string::npos);
    CHECK(escaped.size() == 2 + 32 * 6);
    CHECK(parse(escaped).text == controls);

    const std::string tricky = "\"\\\x7F \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF end";
    std::string round;
    ffn::detail::append_json_string(round, tricky);
    CHECK(parse(round).text == tricky);
}

TEST_CASE("is_valid_utf8 accepts exactly the sequences of RFC 3629", "[io]") {
    using ffn::detail::is_valid_utf8;
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII"));
    CHECK(is_valid_utf8("\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80"
                        "\xF4\x8F\xBF\xBF"));
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));
    CHECK_FALSE(is_valid_utf8("ok\xE2\x82"));
    CHECK_FALSE(is_valid_utf8("\x80"));
    STATIC_REQUIRE(ffn::detail::is_valid_utf8("\xE2\x82\xAC"));
    STATIC_REQUIRE_FALSE(ffn::detail::is_valid_utf8("\xE0\x9F\xBF"));
}
