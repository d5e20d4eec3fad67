// SPDX-License-Identifier: MIT
#pragma once

/// @file
/// `ffn::write_source`: a network as a C++ header, for programs that have no file system to
/// load a model from (a microcontroller, say). The header defines one `inline` function that
/// returns the network with its parameters, bit for bit, and every setting of its activations
/// and loss; its values are `static constexpr` arrays, which such targets keep in flash.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ffn/activations/elu.hpp"
#include "ffn/activations/gelu.hpp"
#include "ffn/activations/identity.hpp"
#include "ffn/activations/leaky_relu.hpp"
#include "ffn/activations/relu.hpp"
#include "ffn/activations/sigmoid.hpp"
#include "ffn/activations/silu.hpp"
#include "ffn/activations/softmax.hpp"
#include "ffn/activations/softplus.hpp"
#include "ffn/activations/tanh.hpp"
#include "ffn/concepts/settings.hpp"
#include "ffn/detail/format.hpp"
#include "ffn/errors.hpp"
#include "ffn/io/file.hpp"
#include "ffn/io/format.hpp"
#include "ffn/layers/bias.hpp"
#include "ffn/layers/dense.hpp"
#include "ffn/losses/binary_cross_entropy.hpp"
#include "ffn/losses/categorical_cross_entropy.hpp"
#include "ffn/losses/half_squared_error.hpp"
#include "ffn/losses/huber.hpp"
#include "ffn/losses/mean_squared_error.hpp"

namespace ffn {

/// A policy that is not one of ffn's names itself for `ffn::write_source`: its fully qualified
/// C++ name (`"my_ns::my_activation"`) and the header that defines it (`"my/activation.hpp"`,
/// written as `#include "my/activation.hpp"`).
template <class P>
concept names_its_cpp_source = requires {
    { P::cpp_name } -> std::convertible_to<std::string_view>;
    { P::cpp_header } -> std::convertible_to<std::string_view>;
};

namespace detail {

template <class T, class... U>
inline constexpr bool is_one_of = (std::is_same_v<T, U> || ...);

/// ffn's own activations: each is `ffn::NAME`, defined in `<ffn/activations/NAME.hpp>`.
template <class P>
inline constexpr bool is_ffn_activation =
    is_one_of<P, elu, gelu, identity, leaky_relu, relu, sigmoid, silu, softmax, softplus, tanh>;

/// ffn's own losses: each is `ffn::NAME`, defined in `<ffn/losses/NAME.hpp>`.
template <class P>
inline constexpr bool is_ffn_loss = is_one_of<P, binary_cross_entropy, categorical_cross_entropy,
                                              half_squared_error, huber, mean_squared_error>;

template <class L>
struct is_dense_layer : std::false_type {};
template <Eigen::Index In, Eigen::Index Out, class Activation, class Scalar, class Bias>
struct is_dense_layer<dense<In, Out, Activation, Scalar, Bias>> : std::true_type {};

/// How generated source names a policy and where it finds its definition.
struct cpp_spelling {
    std::string name;    ///< the qualified type name
    std::string include; ///< the whole include directive's argument, with its <> or ""
};

/// The C++20 keywords, with the alternative tokens, and the names the generated header needs
/// for itself: its namespaces, `main`, and `import` and `module`, which begin a C++20 module
/// directive at the start of a line (where the generated header puts the function's name).
inline constexpr std::string_view reserved_function_names[] = {
    "alignas",       "alignof",     "and",
    "and_eq",        "asm",         "auto",
    "bitand",        "bitor",       "bool",
    "break",         "case",        "catch",
    "char",          "char8_t",     "char16_t",
    "char32_t",      "class",       "compl",
    "concept",       "const",       "consteval",
    "constexpr",     "constinit",   "const_cast",
    "continue",      "co_await",    "co_return",
    "co_yield",      "decltype",    "default",
    "delete",        "do",          "double",
    "dynamic_cast",  "else",        "enum",
    "explicit",      "export",      "extern",
    "false",         "float",       "for",
    "friend",        "goto",        "if",
    "inline",        "int",         "long",
    "mutable",       "namespace",   "new",
    "noexcept",      "not",         "not_eq",
    "nullptr",       "operator",    "or",
    "or_eq",         "private",     "protected",
    "public",        "register",    "reinterpret_cast",
    "requires",      "return",      "short",
    "signed",        "sizeof",      "static",
    "static_assert", "static_cast", "struct",
    "switch",        "template",    "this",
    "thread_local",  "throw",       "true",
    "try",           "typedef",     "typeid",
    "typename",      "union",       "unsigned",
    "using",         "virtual",     "void",
    "volatile",      "wchar_t",     "while",
    "xor",           "xor_eq",      "import",
    "module",        "main",        "ffn",
    "Eigen",         "std"};

[[nodiscard]] constexpr bool is_ascii_letter(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
[[nodiscard]] constexpr bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Throws `std::invalid_argument` unless `name` can name the generated function.
inline void check_function_name(std::string_view name, std::string_view where) {
    const auto refuse = [&](std::string_view why) {
        detail::raise(std::invalid_argument(
            std::string(where) + ": the function name " + quoted_name(name) +
            " is not a valid C++ identifier for the generated function: " + std::string(why)));
    };
    if (name.empty()) {
        refuse("it is empty");
    }
    for (const char c : name) {
        if (!is_ascii_letter(c) && !is_ascii_digit(c) && c != '_') {
            refuse("it may hold only ASCII letters, digits and underscores");
        }
    }
    if (is_ascii_digit(name.front())) {
        refuse("it starts with a digit");
    }
    // The function is declared in the global namespace, where every name that starts with
    // an underscore is reserved (not only those that go on with an uppercase letter).
    if (name.front() == '_') {
        refuse("names that start with an underscore are reserved in the global namespace");
    }
    if (name.find("__") != std::string_view::npos) {
        refuse("names that contain a double underscore are reserved");
    }
    if (std::find(std::begin(reserved_function_names), std::end(reserved_function_names), name) !=
        std::end(reserved_function_names)) {
        refuse("it is a C++ keyword or a name the generated header needs itself");
    }
}

/// `value` as a hexadecimal floating literal of its own type, bit for bit
/// (`0x1.3333333333333p-2`, `-0x1.333334p-2f`).
/// @pre `value` is finite.
template <class Scalar>
[[nodiscard]] std::string hex_literal(Scalar value) {
    static_assert(std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>);
    std::array<char, 64> buffer{};
    const auto result =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::hex);
    std::string_view digits(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
    std::string literal;
    if (!digits.empty() && digits.front() == '-') {
        literal += '-';
        digits.remove_prefix(1);
    }
    literal += "0x";
    literal += digits;
    if constexpr (std::is_same_v<Scalar, float>) {
        literal += 'f';
    }
    return literal;
}

/// The spelling of a compile-time size: a number or `Eigen::Dynamic`.
[[nodiscard]] inline std::string size_spelling(Eigen::Index size) {
    return size == Eigen::Dynamic ? std::string("Eigen::Dynamic") : std::to_string(size);
}

/// Throws unless `text`, a policy's `cpp_name` or `cpp_header`, can be pasted into source.
inline void check_policy_spelling(std::string_view text, std::string_view field,
                                  std::string_view policy_name, bool is_name,
                                  std::string_view where) {
    const auto allowed = [is_name](char c) {
        if (is_name) {
            return is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == ':' || c == '<' ||
                   c == '>' || c == ',' || c == ' ';
        }
        return c >= 0x20 && c < 0x7F && c != '"';
    };
    if (text.empty() || !std::all_of(text.begin(), text.end(), allowed)) {
        detail::raise(std::invalid_argument(
            std::string(where) + ": the " + std::string(field) + " of the policy " +
            quoted_name(policy_name) + " is " + quoted_name(text) + ", which is not " +
            (is_name ? "a qualified C++ type name" : "a header name that can stand in quotes")));
    }
}

/// How the generated source names the activation or loss `P`, or a compile error saying what
/// `P` must declare.
template <class P>
[[nodiscard]] cpp_spelling policy_spelling(std::string_view where) {
    // Instantiated for its own message; a static_assert here would add a second, bare one.
    [[maybe_unused]] constexpr bool savable = check_savable_policy<P>::value;
    constexpr bool own_activation = is_ffn_activation<P>;
    constexpr bool own_loss = is_ffn_loss<P>;
    static_assert(own_activation || own_loss || names_its_cpp_source<P>,
                  "ffn::write_source: this activation or loss is not one of ffn's, so the "
                  "generated source cannot name it. Add `static constexpr std::string_view "
                  "cpp_name = \"my_ns::my_policy\";` (its fully qualified C++ name) and `static "
                  "constexpr std::string_view cpp_header = \"my/policy.hpp\";` (the header that "
                  "defines it) to the class.");
    if constexpr (own_activation || own_loss) {
        const std::string name(P::name);
        return {"ffn::" + name, std::string(own_activation ? "<ffn/activations/" : "<ffn/losses/") +
                                    name + ".hpp>"};
    } else if constexpr (names_its_cpp_source<P>) {
        const std::string_view name = P::cpp_name;
        const std::string_view header = P::cpp_header;
        std::string_view policy_name = name;
        if constexpr (requires { P::name; }) {
            policy_name = P::name;
        }
        check_policy_spelling(name, "cpp_name", policy_name, true, where);
        check_policy_spelling(header, "cpp_header", policy_name, false, where);
        return {std::string(name), "\"" + std::string(header) + "\""};
    } else {
        return {}; // refused by the static_assert above
    }
}

/// `P(setting, ...)` with its settings as hexadecimal literals, or `P{}` without settings.
/// @throws std::invalid_argument if a setting is not finite.
template <class P>
[[nodiscard]] std::string policy_construction(const P& policy, const cpp_spelling& spelling,
                                              const std::string& what, std::string_view where) {
    constexpr auto names = setting_names<P>();
    const auto values = settings_of(policy);
    if constexpr (names.empty()) {
        return spelling.name + "{}";
    } else {
        std::string text = spelling.name + "(";
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!std::isfinite(values[i])) {
                detail::raise(std::invalid_argument(
                    std::string(where) + ": " + what + "'s setting '" + std::string(names[i]) +
                    "' is " + format_number(values[i]) + ", not a finite number"));
            }
            text += (i == 0 ? "" : ", ") + hex_literal(values[i]);
        }
        return text + ")";
    }
}

template <class Bias>
[[nodiscard]] constexpr std::string_view bias_spelling() noexcept {
    if constexpr (std::is_same_v<Bias, per_unit_bias>) {
        return "ffn::per_unit_bias";
    } else if constexpr (std::is_same_v<Bias, shared_bias>) {
        return "ffn::shared_bias";
    } else {
        return "ffn::no_bias";
    }
}

/// What the generated header says about one layer: its type, and the statements that make
/// it (the arrays of its values, its construction, the copies of the values into it).
struct layer_source {
    std::string type;
    std::string statements;
};

/// Appends `tensor` to `arrays` as a `static constexpr` array, row by row, and to
/// `assignments` the statement that copies it into the layer.
template <class Tensor>
void append_tensor(const Tensor& tensor, const std::string& variable, std::string_view accessor,
                   std::string_view scalar_name, std::string& arrays, std::string& assignments) {
    if (tensor.size() == 0) {
        return; // a layer without biases: nothing to store, and C++ has no empty arrays
    }
    const std::string array = variable + "_" + std::string(accessor);
    arrays += "    static constexpr " + std::string(scalar_name) + " " + array + "[" +
              std::to_string(tensor.size()) + "] = {";
    constexpr Eigen::Index per_line = 4;
    Eigen::Index written = 0;
    for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
        for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
            arrays += written == 0 ? "\n        " : written % per_line == 0 ? ",\n        " : ", ";
            arrays += hex_literal(tensor(r, c));
            ++written;
        }
    }
    arrays += "};\n";
    // Eigen insists that a one-column matrix be column-major (and a one-row matrix row-major);
    // for a vector both orders lay the values out alike.
    const bool column = tensor.cols() == 1 && tensor.rows() != 1;
    const std::string target = "    " + variable + "." + std::string(accessor) + "() =";
    const std::string map = "Eigen::Map<const Eigen::Matrix<" + std::string(scalar_name) + ", " +
                            std::to_string(tensor.rows()) + ", " + std::to_string(tensor.cols()) +
                            (column ? "" : ", Eigen::RowMajor") + ">>(" + array + ");\n";
    constexpr std::size_t line_limit = 100;
    assignments +=
        target + (target.size() + 1 + map.size() - 1 <= line_limit ? " " : "\n        ") + map;
}

/// Adds `include` to the ffn headers (`<...>`) or to the user's (`"..."`, kept in order).
inline void add_include(const std::string& include, std::set<std::string>& includes,
                        std::vector<std::string>& user_includes) {
    if (include.front() == '<') {
        includes.insert(include);
    } else if (std::find(user_includes.begin(), user_includes.end(), include) ==
               user_includes.end()) {
        user_includes.push_back(include);
    }
}

template <std::size_t I, class Net>
[[nodiscard]] layer_source layer_source_of(const Net& net, std::set<std::string>& includes,
                                           std::vector<std::string>& user_includes,
                                           std::string_view where) {
    using layer_type = typename Net::template layer_type<I>;
    static_assert(is_dense_layer<layer_type>::value,
                  "ffn::write_source: every layer must be an ffn::dense layer; the generated "
                  "source can spell no other layer type.");
    using activation_type = typename layer_type::activation_type;
    using bias_type = typename layer_type::bias_type;
    using scalar_type = typename layer_type::scalar_type;
    static_assert(is_one_of<bias_type, per_unit_bias, shared_bias, no_bias>,
                  "ffn::write_source: a layer's bias policy must be ffn::per_unit_bias, "
                  "ffn::shared_bias or ffn::no_bias; the generated source can spell no other.");
    const cpp_spelling activation = policy_spelling<activation_type>(where);
    add_include(activation.include, includes, user_includes);

    const auto& layer = net.template layer<I>();
    const std::string scalar_name = std::is_same_v<scalar_type, float> ? "float" : "double";
    const std::string label = "layer " + std::to_string(I);
    const std::string variable = "layer" + std::to_string(I);
    layer_source result;
    result.type = "ffn::dense<" + size_spelling(layer_type::input_size) + ", " +
                  size_spelling(layer_type::output_size) + ", " + activation.name + ", " +
                  scalar_name + ", " + std::string(bias_spelling<bias_type>()) + ">";
    std::string arrays;
    std::string assignments;
    append_tensor(layer.weights(), variable, "weights", scalar_name, arrays, assignments);
    append_tensor(layer.bias(), variable, "bias", scalar_name, arrays, assignments);
    result.statements =
        "\n    // " + label + ": " + std::to_string(layer.inputs()) +
        (layer.inputs() == 1 ? " input, " : " inputs, ") + std::to_string(layer.outputs()) +
        (layer.outputs() == 1 ? " unit" : " units") +
        "; the weights row by row (unit 0's first)\n" + arrays + "    net_type::layer_type<" +
        std::to_string(I) + "> " + variable + "(" + std::to_string(layer.inputs()) + ", " +
        std::to_string(layer.outputs()) + ", " +
        policy_construction(layer.activation(), activation, label + "'s activation", where) +
        ");\n" + assignments;
    return result;
}

template <class Net, std::size_t... I>
[[nodiscard]] std::vector<layer_source> layer_sources(const Net& net,
                                                      std::set<std::string>& includes,
                                                      std::vector<std::string>& user_includes,
                                                      std::string_view where,
                                                      std::index_sequence<I...> /*unused*/) {
    return {layer_source_of<I>(net, includes, user_includes, where)...};
}

/// Whether every layer of `Net` has its sizes fixed at compile time.
template <class Net, std::size_t... I>
[[nodiscard]] constexpr bool all_sizes_fixed(std::index_sequence<I...> /*unused*/) noexcept {
    return ((Net::template layer_type<I>::input_size != Eigen::Dynamic &&
             Net::template layer_type<I>::output_size != Eigen::Dynamic) &&
            ...);
}

/// Whether every tensor of `Net` is a fixed-size Eigen matrix (not one that ffn keeps on the
/// heap for its size, see detail/storage.hpp), so that making the network allocates nothing.
template <class Net, std::size_t... I>
[[nodiscard]] constexpr bool all_storage_fixed(std::index_sequence<I...> /*unused*/) noexcept {
    return ((Net::template layer_type<I>::weight_matrix::SizeAtCompileTime != Eigen::Dynamic &&
             Net::template layer_type<I>::bias_vector::SizeAtCompileTime != Eigen::Dynamic) &&
            ...);
}

/// `source_code`'s work, with `where` naming the public function in messages.
template <storable_network Net>
[[nodiscard]] std::string source_code(const Net& net, std::string_view function_name,
                                      std::string_view where) {
    using scalar_type = typename Net::scalar_type;
    using loss_type = typename Net::loss_type;
    static_assert(std::is_same_v<scalar_type, float> || std::is_same_v<scalar_type, double>,
                  "ffn::write_source: only float and double networks can be written as source; "
                  "their values are written as hexadecimal floating literals of that type.");
    static_assert(storable_scalar<scalar_type>,
                  "ffn::write_source: the scalar type must be an IEEE-754 binary32 or binary64 "
                  "type, so that the literals mean the same on the target.");

    check_function_name(function_name, where);
    net.check_shapes(where);
    net.visit_tensors([where](std::size_t layer, std::string_view name, const auto& tensor, bool) {
        for (Eigen::Index r = 0; r < tensor.rows(); ++r) {
            for (Eigen::Index c = 0; c < tensor.cols(); ++c) {
                if (!std::isfinite(tensor(r, c))) {
                    detail::raise(std::invalid_argument(
                        std::string(where) + ": layer " + std::to_string(layer) + " " +
                        std::string(name) + "(" + std::to_string(r) + ", " + std::to_string(c) +
                        ") is " + format_number(static_cast<double>(tensor(r, c))) +
                        "; a network with parameters that are not finite is not written"));
                }
            }
        }
    });

    std::set<std::string> includes = {"<ffn/layers/bias.hpp>", "<ffn/layers/dense.hpp>",
                                      "<ffn/network.hpp>"};
    std::vector<std::string> user_includes;
    const std::vector<layer_source> layers = layer_sources(
        net, includes, user_includes, where, std::make_index_sequence<Net::layer_count>{});
    const cpp_spelling loss = policy_spelling<loss_type>(where);
    add_include(loss.include, includes, user_includes);
    const std::string loss_construction =
        policy_construction(net.loss_function(), loss, "the loss", where);

    // The shape, as the lecture draws it: inputs, then each layer's units (2-2-2).
    std::string shape = std::to_string(net.inputs());
    net.visit_tensors([&shape](std::size_t, std::string_view name, const auto& tensor, bool) {
        if (name == "weights") {
            shape += "-" + std::to_string(tensor.rows());
        }
    });
    constexpr bool fixed = all_sizes_fixed<Net>(std::make_index_sequence<Net::layer_count>{});
    constexpr bool stack_only =
        all_storage_fixed<Net>(std::make_index_sequence<Net::layer_count>{});
    const std::string scalar_name = std::is_same_v<scalar_type, float> ? "float" : "double";
    const std::string function(function_name);

    std::string text;
    text += "// Generated by ffn::write_source; do not edit, but write it again from the program "
            "that\n// holds the network.\n// A " +
            shape + " network of " + scalar_name + " values (" + (fixed ? "fixed" : "dynamic") +
            " sizes), loss " + loss.name + ".\n";
    text += "#pragma once\n\n#include <Eigen/Core>\n\n";
    for (const std::string& include : includes) {
        text += "#include " + include + "\n";
    }
    if (!user_includes.empty()) {
        text += "\n";
        for (const std::string& include : user_includes) {
            text += "#include " + include + "\n";
        }
    }
    text += "\n/// The " + shape + " network as it was when ffn::write_source wrote this file: ";
    text += "its parameters\n/// bit for bit and the settings of its activations and loss ";
    text += "(frozen flags are not kept).\n";
    if (stack_only) {
        text += "/// Its sizes are fixed, so making it allocates nothing.\n";
    }
    text += "[[nodiscard]] inline ffn::network<\n    " + loss.name;
    for (const layer_source& layer : layers) {
        text += ",\n    " + layer.type;
    }
    text += ">\n" + function + "() {\n";
    text += "    using net_type = decltype(" + function + "()); // the return type above\n";
    for (const layer_source& layer : layers) {
        text += layer.statements;
    }
    text += "\n    return net_type(" + loss_construction;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        text += ", layer" + std::to_string(i);
    }
    text += ");\n}\n";
    return text;
}

} // namespace detail

/// The text of a C++ header that defines `inline ffn::network<...> function_name()`, which
/// returns `net`: the same types, every parameter bit for bit (as hexadecimal floating
/// literals, in `static constexpr` arrays inside the function, row by row), and the settings
/// of its activations and loss. The header includes `<Eigen/Core>`, the ffn headers it uses
/// and, for an activation or loss that is not one of ffn's, the header the policy names in
/// its `cpp_header` (in quotes), the policy itself being spelled by its `cpp_name`. It
/// compiles warning-free with `-Wall -Wextra -Wpedantic -Wconversion -Wshadow
/// -Wdouble-promotion`. For fixed sizes the function allocates nothing (unless a layer is so
/// large that ffn stores it on the heap anyway; see detail/storage.hpp). Frozen flags are not
/// parameters and are not written.
///
/// Every layer must be an `ffn::dense` with one of ffn's bias policies, and the scalar type
/// `float` or `double`. An activation or loss that is not ffn's must declare
/// `static constexpr std::string_view cpp_name` and `cpp_header`; one with data members must
/// declare its settings (concepts/settings.hpp). Otherwise this does not compile.
///
/// @param net           the network to write
/// @param function_name the name of the function, declared in the global namespace: ASCII
///                      letters, digits and underscores, not starting with a digit or an
///                      underscore, without `__`, and not a keyword, `main`, `std`, `ffn` or
///                      `Eigen`
/// @throws std::invalid_argument naming what is wrong if `function_name` is not such a name,
///         if the network is empty (dynamic sizes, default-constructed) or its shapes do not
///         chain, if a parameter (naming the layer, tensor and element) or a setting is not
///         finite, or if a policy's `cpp_name` or `cpp_header` could not stand in source.
template <storable_network Net>
[[nodiscard]] std::string source_code(const Net& net, std::string_view function_name) {
    return detail::source_code(net, function_name, "ffn::source_code");
}

/// Writes `source_code(net, function_name)` to the file `path`, atomically: `path` holds
/// either its previous contents or the whole new header, whatever fails (see
/// `ffn::save(net, path)`).
///
/// @param net           the network to write
/// @param path          the header to write (`"model.hpp"`)
/// @param function_name the name of the function the header defines
/// @throws std::invalid_argument as `source_code` does (nothing is written then).
/// @throws std::system_error naming the file and the reason if a file operation fails.
template <storable_network Net>
void write_source(const Net& net, const std::filesystem::path& path,
                  std::string_view function_name) {
    const std::string text = detail::source_code(net, function_name, "ffn::write_source");
    detail::file_operations operations;
    detail::write_file_atomically(
        path,
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(text.data()),
                                       text.size()),
        operations, "ffn::write_source");
}

} // namespace ffn
