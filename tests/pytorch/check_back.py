# SPDX-License-Identifier: MIT
"""Loads what ffn_pytorch_roundtrip wrote (OUT_DIR/NAME.ffn.safetensors) back into PyTorch
with load_state_dict(strict=True) and checks, for each model of models.py, that the tensors
have the dtypes of the model's own state_dict (ffn writes F32 or F64, and a BatchNorm1d's
num_batches_tracked as I64), that they hold exactly the tensors PyTorch saved, and that the
model predicts the original outputs for the original inputs.

Usage: check_back.py IN_DIR OUT_DIR (IN_DIR as train_models.py wrote it)
"""
import pathlib
import sys

import torch

import models
from safetensors_io import load_file


def check(name, in_dir, out_dir):
    """Raises AssertionError or RuntimeError on failure; returns a line that says what passed."""
    model = models.build(name)
    _, dtype, _ = models.MODELS[name]
    dtypes = {key: tensor.dtype for key, tensor in model.state_dict().items()}
    state = load_file(out_dir / f"{name}.ffn.safetensors")
    for key, tensor in state.items():
        expected = dtypes.get(key, dtype)  # a key the model lacks fails in load_state_dict
        assert tensor.dtype == expected, f"ffn wrote {key} as {tensor.dtype}, not {expected}"
    model.load_state_dict(state, strict=True)
    original = load_file(in_dir / f"{name}.safetensors")
    for key, tensor in original.items():
        assert torch.equal(state[key], tensor.to(dtypes[key])), f"{key} differs from PyTorch's"
    x = load_file(in_dir / f"{name}.inputs.safetensors")["x"]
    y = load_file(in_dir / f"{name}.outputs.safetensors")["y"]
    with torch.no_grad():
        output = model(x)
    assert output.shape == y.shape, f"output of shape {list(output.shape)}, y {list(y.shape)}"
    worst, limit = models.worst_difference(output, y)
    assert worst <= limit, f"worst difference {worst:.3g} exceeds {limit:g}"
    return f"{len(state)} tensors, weights exact, worst difference {worst:.3g} (limit {limit:g})"


def main():
    in_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    failures = 0
    for name in models.MODELS:
        try:
            print(f"check_back {name}: {check(name, in_dir, out_dir)}")
        except (AssertionError, RuntimeError, ValueError, OSError) as error:
            print(f"check_back {name}: FAILED: {error}")
            failures += 1
    if failures:
        sys.exit(f"check_back: {failures} of {len(models.MODELS)} models failed")


if __name__ == "__main__":
    main()
