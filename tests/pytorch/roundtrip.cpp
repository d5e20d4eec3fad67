// SPDX-License-Identifier: MIT
// ffn's side of the PyTorch round trip (run_roundtrip.py runs it between train_models.py and
// check_back.py). For each model that train_models.py wrote into IN_DIR: loads NAME.safetensors
// into the matching ffn network (and into a network of dynamic sizes where noted), checks its
// predictions for NAME.inputs.safetensors against PyTorch's in NAME.outputs.safetensors, checks
// that ffn reads back what it saves, and saves it as OUT_DIR/NAME.ffn.safetensors for
// check_back.py. For a model with batch normalisation it also checks the count of batches
// loaded, and one training-mode pass against PyTorch's (NAME.train.safetensors). The networks
// here must match the models of models.py.
//
// Usage: ffn_pytorch_roundtrip IN_DIR OUT_DIR
// Exit status 0 if every check passed, 1 if one failed (with a message), 2 for a usage error.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include <ffn/activations/identity.hpp>
#include <ffn/activations/leaky_relu.hpp>
#include <ffn/activations/relu.hpp>
#include <ffn/activations/tanh.hpp>
#include <ffn/detail/safetensors_file.hpp>
#include <ffn/io/safetensors.hpp>
#include <ffn/layers/batch_norm.hpp>
#include <ffn/layers/dense.hpp>
#include <ffn/layers/dropout.hpp>
#include <ffn/layers/training.hpp>
#include <ffn/losses/mean_squared_error.hpp>
#include <ffn/network.hpp>

namespace {

namespace fs = std::filesystem;
constexpr Eigen::Index dyn = Eigen::Dynamic;

/// models.sequential(): `seq_f64`, `seq_f32`, `half`, `bf16`.
template <class Scalar, Eigen::Index In = 4, Eigen::Index Hidden = 8, Eigen::Index Out = 3>
using sequential_net =
    ffn::network<ffn::mean_squared_error, ffn::dense<In, Hidden, ffn::tanh, Scalar>,
                 ffn::dense<Hidden, Out, ffn::identity, Scalar>>;

/// models.with_dropout(), `dropout_f64`: the dropout is the identity in eval mode.
template <Eigen::Index In = 4, Eigen::Index Hidden = 6, Eigen::Index Out = 2>
using dropout_net = ffn::network<ffn::mean_squared_error, ffn::dense<In, Hidden, ffn::relu>,
                                 ffn::dense<Hidden, Out, ffn::identity>>;

/// models.with_batch_norm(), `batch_norm_f64` and `batch_norm_f32`: PyTorch's ReLU after the
/// BatchNorm1d is the batch normalisation's activation, and its Linear layers have none.
template <class Scalar, Eigen::Index In = 4, Eigen::Index Hidden = 8, Eigen::Index Out = 3>
using batch_norm_net =
    ffn::network<ffn::mean_squared_error, ffn::dense<In, Hidden, ffn::identity, Scalar>,
                 ffn::batch_norm<Hidden, ffn::relu, Scalar>, ffn::dropout<Hidden, Scalar>,
                 ffn::dense<Hidden, Out, ffn::identity, Scalar>>;

/// A batch_norm_net whose dropout has PyTorch's p = 0.2 (a file from PyTorch does not carry it).
template <class Net>
Net batch_norm_model() {
    Net net;
    net.template layer<2>().set_probability(0.2);
    return net;
}

/// models.Named, `named_f64`.
using named_net = ffn::network<ffn::mean_squared_error, ffn::dense<4, 8, ffn::leaky_relu>,
                               ffn::dense<8, 6, ffn::tanh>, ffn::dense<6, 2, ffn::identity>>;

/// The whole file `path`.
std::vector<unsigned char> read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open '" + path.string() + "'");
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The 2-dimensional tensor `name` of the safetensors file `path` (one row per sample, as
/// PyTorch has it) as a matrix with one column per sample, as ffn takes it.
Eigen::MatrixXd samples(const fs::path& path, const std::string& name) {
    const std::vector<unsigned char> bytes = read_bytes(path);
    const ffn::detail::safetensors_header header =
        ffn::detail::parse_safetensors(bytes, path.string());
    const ffn::detail::safetensors_tensor* tensor = header.find(name);
    if (tensor == nullptr || tensor->shape.size() != 2) {
        throw std::runtime_error("'" + path.string() + "' has no 2-dimensional tensor '" + name +
                                 "'");
    }
    const auto count = static_cast<Eigen::Index>(tensor->shape[0]);
    const auto features = static_cast<Eigen::Index>(tensor->shape[1]);
    const std::uint64_t width = ffn::detail::dtype_size(tensor->dtype);
    const unsigned char* data = bytes.data() + header.data_offset() + tensor->begin;
    Eigen::MatrixXd out(features, count);
    for (Eigen::Index sample = 0; sample < count; ++sample) {
        for (Eigen::Index feature = 0; feature < features; ++feature) {
            const auto index = static_cast<std::uint64_t>(sample * features + feature);
            out(feature, sample) =
                ffn::detail::safetensors_value(tensor->dtype, data + index * width);
        }
    }
    return out;
}

/// The 0-dimensional I64 tensor `name` of the safetensors file `path` (a count).
std::int64_t count_tensor(const fs::path& path, const std::string& name) {
    const std::vector<unsigned char> bytes = read_bytes(path);
    const ffn::detail::safetensors_header header =
        ffn::detail::parse_safetensors(bytes, path.string());
    const ffn::detail::safetensors_tensor* tensor = header.find(name);
    if (tensor == nullptr || tensor->dtype != ffn::detail::safetensors_dtype::i64 ||
        !tensor->shape.empty()) {
        throw std::runtime_error("'" + path.string() + "' has no I64 tensor '" + name +
                                 "' of shape []");
    }
    return ffn::detail::safetensors_i64(bytes.data() + header.data_offset() + tensor->begin);
}

/// Compares ffn's values a with PyTorch's b: |a - b| <= 1e-12 if `is_double`, otherwise
/// |a - b| <= 1e-6 max(1, |b|). Prints the worst difference; returns whether every value is
/// within the limit.
bool compare(const std::string& label, const Eigen::MatrixXd& output,
             const Eigen::MatrixXd& expected, bool is_double) {
    if (output.rows() != expected.rows() || output.cols() != expected.cols()) {
        std::printf("%-28s FAILED: %td x %td values, PyTorch's are %td x %td\n", label.c_str(),
                    output.rows(), output.cols(), expected.rows(), expected.cols());
        return false;
    }
    const double limit = is_double ? 1e-12 : 1e-6;
    double worst = 0;
    bool within = true;
    for (Eigen::Index j = 0; j < output.cols(); ++j) {
        for (Eigen::Index i = 0; i < output.rows(); ++i) {
            const double b = expected(i, j);
            const double difference =
                std::abs(output(i, j) - b) / (is_double ? 1.0 : std::max(1.0, std::abs(b)));
            within = within && difference <= limit; // false for a NaN too
            worst = std::max(worst, difference);
        }
    }
    std::printf("%-28s worst %s difference %.3g (limit %g): %s\n", label.c_str(),
                is_double ? "absolute" : "relative", worst, limit, within ? "ok" : "FAILED");
    return within;
}

/// Whether ffn's count `got` is PyTorch's `expected`; prints both.
bool compare_count(const std::string& label, std::int64_t got, std::int64_t expected) {
    const bool same = got == expected;
    std::printf("%-28s %lld, PyTorch's %lld: %s\n", label.c_str(), static_cast<long long>(got),
                static_cast<long long>(expected), same ? "ok" : "FAILED");
    return same;
}

/// The inputs `x` of `model`, in the network's scalar type (exact: PyTorch wrote them in it).
template <class Net>
Eigen::Matrix<typename Net::scalar_type, dyn, dyn> inputs(const fs::path& in_dir,
                                                          const std::string& model) {
    return samples(in_dir / (model + ".inputs.safetensors"), "x")
        .template cast<typename Net::scalar_type>();
}

/// Loads `model` from `in_dir` into `net` (with the layer names `names`, or by the default
/// grouping if empty) and compares its predictions a with PyTorch's b: |a - b| <= 1e-12 for a
/// double network, |a - b| <= 1e-6 max(1, |b|) for a float one. Prints the worst difference;
/// returns whether every prediction is within the limit.
template <class Net>
bool check_predictions(Net& net, const std::string& label, const fs::path& in_dir,
                       const std::string& model, const std::vector<std::string>& names = {}) {
    constexpr bool is_double = std::is_same_v<typename Net::scalar_type, double>;
    ffn::load_safetensors(net, in_dir / (model + ".safetensors"), names);
    const Eigen::MatrixXd expected = samples(in_dir / (model + ".outputs.safetensors"), "y");
    const Eigen::MatrixXd output = net.predict(inputs<Net>(in_dir, model)).template cast<double>();
    return compare(label, output, expected, is_double);
}

/// For a batch_norm_net `net` loaded from `model`: checks that it loaded PyTorch's count of
/// batches, then runs on a copy PyTorch's one training-mode pass of NAME.train.safetensors (a
/// copy of the model with the dropout off, so that no random mask enters) and compares the
/// outputs, the running statistics after the pass and the count.
template <class Net>
bool check_training_step(const Net& net, const fs::path& in_dir, const std::string& model) {
    using scalar_type = typename Net::scalar_type;
    constexpr bool is_double = std::is_same_v<scalar_type, double>;
    const fs::path path = in_dir / (model + ".train.safetensors");
    bool passed = compare_count(
        model + " num_batches_tracked", net.template layer<1>().num_batches_tracked(),
        count_tensor(in_dir / (model + ".outputs.safetensors"), "num_batches_tracked"));
    Net step = net;
    step.template layer<2>().set_probability(0.0);
    ffn::training mode(1);
    ffn::workspace<Net, dyn> ws;
    const Eigen::MatrixXd output =
        step.forward(samples(path, "x").template cast<scalar_type>(), ws, mode)
            .template cast<double>();
    const auto& normalisation = step.template layer<1>();
    passed =
        compare(model + " training-mode output", output, samples(path, "y"), is_double) && passed;
    passed = compare(model + " running_mean", normalisation.running_mean().template cast<double>(),
                     samples(path, "running_mean"), is_double) &&
             passed;
    passed = compare(model + " running_var", normalisation.running_var().template cast<double>(),
                     samples(path, "running_var"), is_double) &&
             passed;
    return compare_count(model + " batches after the pass", normalisation.num_batches_tracked(),
                         count_tensor(path, "num_batches_tracked")) &&
           passed;
}

/// Saves `net` as OUT_DIR/MODEL.ffn.safetensors with the layer names `names` (if empty, ffn's
/// default: the module indices of the matching `nn.Sequential`, `0`, `2`, ... for dense layers
/// with activations), and checks that ffn reads the file back into a default network of the
/// same type as `net`: the file records the names and the activations' and layers' settings
/// (a dropout's p, a batch normalisation's momentum and epsilon).
template <class Net>
bool save(const Net& net, const fs::path& out_dir, const std::string& model,
          const std::vector<std::string>& names = {}) {
    const fs::path path = out_dir / (model + ".ffn.safetensors");
    ffn::save_safetensors(net, path, names);
    Net again;
    ffn::load_safetensors(again, path);
    if (!(again == net)) {
        std::printf("%-28s FAILED: ffn reads back another network from '%s'\n", model.c_str(),
                    path.string().c_str());
        return false;
    }
    std::printf("%-28s saved as '%s'\n", model.c_str(), path.string().c_str());
    return true;
}

/// Runs every check; returns the number that failed.
int run(const fs::path& in_dir, const fs::path& out_dir) {
    int failures = 0;
    const auto count = [&failures](bool passed) { failures += passed ? 0 : 1; };

    sequential_net<double> seq_f64;
    count(check_predictions(seq_f64, "seq_f64", in_dir, "seq_f64"));
    sequential_net<double, dyn, dyn, dyn> seq_f64_dynamic;
    count(check_predictions(seq_f64_dynamic, "seq_f64 (dynamic sizes)", in_dir, "seq_f64"));
    count(save(seq_f64, out_dir, "seq_f64"));

    sequential_net<float> seq_f32;
    count(check_predictions(seq_f32, "seq_f32", in_dir, "seq_f32"));
    count(save(seq_f32, out_dir, "seq_f32"));

    // The dropout is module 2, so the second Linear is `3`: the default grouping takes `0`
    // and `3`, but a save must name them, as ffn's default is `0` and `2`.
    const std::vector<std::string> dropout_layers = {"0", "3"};
    dropout_net<> dropout_f64;
    count(check_predictions(dropout_f64, "dropout_f64", in_dir, "dropout_f64"));
    dropout_net<dyn, dyn, dyn> dropout_f64_dynamic;
    count(check_predictions(dropout_f64_dynamic, "dropout_f64 (dynamic sizes)", in_dir,
                            "dropout_f64"));
    count(save(dropout_f64, out_dir, "dropout_f64", dropout_layers));

    // A file from PyTorch carries no activation settings: the slope is set here.
    const std::vector<std::string> named_layers = {"fc1", "fc2", "head"};
    named_net named_f64(ffn::dense<4, 8, ffn::leaky_relu>(4, 8, ffn::leaky_relu(0.3)),
                        ffn::dense<8, 6, ffn::tanh>(), ffn::dense<6, 2, ffn::identity>());
    count(check_predictions(named_f64, "named_f64", in_dir, "named_f64", named_layers));
    count(save(named_f64, out_dir, "named_f64", named_layers));

    // F16 and BF16 weights, read exactly into float networks.
    sequential_net<float> half;
    count(check_predictions(half, "half", in_dir, "half"));
    count(save(half, out_dir, "half"));
    sequential_net<float> bf16;
    count(check_predictions(bf16, "bf16", in_dir, "bf16"));
    count(save(bf16, out_dir, "bf16"));

    // Linear, BatchNorm1d, ReLU, Dropout, Linear: the default grouping gives `0`, `1` and `4`
    // to the layers with tensors, and a save names them so again.
    auto batch_norm_f64 = batch_norm_model<batch_norm_net<double>>();
    count(check_predictions(batch_norm_f64, "batch_norm_f64", in_dir, "batch_norm_f64"));
    count(check_training_step(batch_norm_f64, in_dir, "batch_norm_f64"));
    auto batch_norm_f64_dynamic = batch_norm_model<batch_norm_net<double, dyn, dyn, dyn>>();
    count(check_predictions(batch_norm_f64_dynamic, "batch_norm_f64 (dynamic sizes)", in_dir,
                            "batch_norm_f64"));
    count(save(batch_norm_f64, out_dir, "batch_norm_f64"));
    auto batch_norm_f32 = batch_norm_model<batch_norm_net<float>>();
    count(check_predictions(batch_norm_f32, "batch_norm_f32", in_dir, "batch_norm_f32"));
    count(check_training_step(batch_norm_f32, in_dir, "batch_norm_f32"));
    count(save(batch_norm_f32, out_dir, "batch_norm_f32"));
    return failures;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s IN_DIR OUT_DIR\n", argc > 0 ? argv[0] : "roundtrip");
        return 2;
    }
    try {
        const fs::path out_dir = argv[2];
        fs::create_directories(out_dir);
        const int failures = run(argv[1], out_dir);
        if (failures != 0) {
            std::fprintf(stderr, "ffn_pytorch_roundtrip: %d checks failed\n", failures);
            return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ffn_pytorch_roundtrip: %s\n", e.what());
        return 1;
    }
    std::printf("ffn_pytorch_roundtrip: every check passed\n");
    return 0;
}
