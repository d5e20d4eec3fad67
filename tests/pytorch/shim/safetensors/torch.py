# SPDX-License-Identifier: MIT
"""`safetensors.torch.save_file` and `load_file`, on the tests' own reader and writer."""
import pathlib
import sys

sys.path.append(str(pathlib.Path(__file__).resolve().parents[2]))
import safetensors_io  # noqa: E402 (the folder above is added just before)


def save_file(tensors, filename, metadata=None):
    safetensors_io.save_file(tensors, filename, metadata)


def load_file(filename, device="cpu"):
    return {name: tensor.to(device) for name, tensor in safetensors_io.load_file(filename).items()}
