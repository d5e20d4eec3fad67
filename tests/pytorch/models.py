# SPDX-License-Identifier: MIT
"""The PyTorch models of the round trip, shared by train_models.py (which trains and writes
them) and check_back.py (which rebuilds them to load what ffn wrote). roundtrip.cpp builds
the matching ffn networks; a change here needs the same change there.
"""
import torch
from torch import nn
from torch.nn import functional


def sequential():
    """4 -> 8 tanh -> 3: ffn::dense<4, 8, ffn::tanh>, ffn::dense<8, 3, ffn::identity>."""
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))


def with_dropout():
    """4 -> 6 relu -> 2, a dropout in between, so the second Linear is module 3 (`3.weight`)."""
    return nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Dropout(0.2), nn.Linear(6, 2))


def with_batch_norm():
    """4 -> 8, batch normalisation, relu, dropout -> 3: modules 0, 1, 3 and 4 hold tensors.
    In ffn: dense<4, 8, identity>, batch_norm<8, relu>, dropout<8>, dense<8, 3, identity>."""
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(8, 3))


class Named(nn.Module):
    """4 -> 8 leaky relu (slope 0.3) -> 6 tanh -> 2, with layers named as a module names them."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 6)
        self.head = nn.Linear(6, 2)

    def forward(self, x):
        x = functional.leaky_relu(self.fc1(x), negative_slope=0.3)
        x = torch.tanh(self.fc2(x))
        return self.head(x)


# The models with a BatchNorm1d, for which train_models.py also records one training-mode step.
BATCH_NORM = ("batch_norm_f64", "batch_norm_f32")

# name -> (builder, dtype the model is trained and evaluated in, dtype its weights are saved in)
MODELS = {
    "seq_f64": (sequential, torch.float64, torch.float64),
    "seq_f32": (sequential, torch.float32, torch.float32),
    "dropout_f64": (with_dropout, torch.float64, torch.float64),
    "named_f64": (Named, torch.float64, torch.float64),
    "half": (sequential, torch.float32, torch.float16),
    "bf16": (sequential, torch.float32, torch.bfloat16),
    "batch_norm_f64": (with_batch_norm, torch.float64, torch.float64),
    "batch_norm_f32": (with_batch_norm, torch.float32, torch.float32),
}


def build(name):
    """A new model `name` in the dtype it is evaluated in, in eval mode."""
    builder, dtype, _ = MODELS[name]
    return builder().to(dtype).eval()


def worst_difference(output, expected):
    """The largest difference, and its limit: absolute for float64 (1e-12), relative for float32
    (|a - b| <= 1e-6 * max(1, |b|))."""
    difference = (output.double() - expected.double()).abs()
    if expected.dtype == torch.float64:
        return difference.max().item(), 1e-12
    return (difference / expected.double().abs().clamp(min=1.0)).max().item(), 1e-6
