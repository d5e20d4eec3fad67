# SPDX-License-Identifier: MIT
"""Trains the models of models.py briefly on a synthetic regression problem and writes, for
each NAME, into OUT_DIR:
  NAME.safetensors          the state_dict (F16 or BF16 for `half` and `bf16`)
  NAME.inputs.safetensors   `x`, test inputs, one row per sample as PyTorch has them
  NAME.outputs.safetensors  `y`, the model's predictions for `x` in eval mode, and for a model
                            with a BatchNorm1d its `num_batches_tracked` (I64, shape [])
and for each model of models.BATCH_NORM also
  NAME.train.safetensors    one training-mode forward pass of a copy of the saved model whose
                            dropout has p = 0: `x`, the batch (one row per sample); `y`, the
                            outputs; `running_mean` and `running_var` after the pass (shape
                            [1, features]); `num_batches_tracked` after it (I64, shape [])

Usage: train_models.py OUT_DIR
"""
import copy
import pathlib
import sys

import torch

import models
from safetensors_io import save_file

SEED = 20240611


def targets(x, outputs):
    """A smooth function of the 4 inputs, its first `outputs` components."""
    y = torch.stack([torch.sin(x[:, 0]) + x[:, 1] * x[:, 2],
                     torch.cos(x[:, 3]) - 0.5 * x[:, 0],
                     torch.tanh(x[:, 1] - x[:, 2])], dim=1)
    return y[:, :outputs]


def train(model, dtype):
    """A few epochs of Adam on minibatches; returns the last epoch's mean loss."""
    x = torch.rand(256, 4, dtype=dtype) * 4 - 2
    y = targets(x, model(x[:1]).shape[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    model.train()
    for _ in range(30):
        total = 0.0
        for batch in torch.randperm(len(x)).split(32):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
    model.eval()
    return total / len(x)


def batch_norm_of(model):
    """The model's only BatchNorm1d."""
    (layer,) = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm1d)]
    return layer


def training_step(model, dtype):
    """One training-mode forward pass of a copy of `model` with its dropout off (p = 0, so the
    output does not depend on random masks): what NAME.train.safetensors holds."""
    step = copy.deepcopy(model)
    for module in step.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
    step.train()
    x = torch.rand(16, 4, dtype=dtype) * 6 - 3
    with torch.no_grad():  # the running statistics move all the same
        y = step(x)
    layer = batch_norm_of(step)
    return {"x": x, "y": y, "running_mean": layer.running_mean.reshape(1, -1),
            "running_var": layer.running_var.reshape(1, -1),
            "num_batches_tracked": layer.num_batches_tracked.clone()}


def main():
    out_dir = pathlib.Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for index, (name, (_, dtype, saved_dtype)) in enumerate(models.MODELS.items()):
        torch.manual_seed(SEED + index)
        model = models.build(name)
        loss = train(model, dtype)
        # Inputs wider than the training range, so that relu and leaky relu see negative sums.
        x = torch.rand(32, 4, dtype=dtype) * 6 - 3
        saved = model
        if saved_dtype != dtype:
            saved = copy.deepcopy(model).to(saved_dtype)
            # The reference: the rounded weights, evaluated in the model's own dtype.
            model = copy.deepcopy(saved).to(dtype)
        with torch.no_grad():
            y = model(x)
        save_file(saved.state_dict(), out_dir / f"{name}.safetensors", {"format": "pt"})
        save_file({"x": x}, out_dir / f"{name}.inputs.safetensors")
        outputs = {"y": y}
        if name in models.BATCH_NORM:
            outputs["num_batches_tracked"] = batch_norm_of(saved).num_batches_tracked.clone()
            save_file(training_step(saved, dtype), out_dir / f"{name}.train.safetensors")
        save_file(outputs, out_dir / f"{name}.outputs.safetensors")
        keys = ", ".join(saved.state_dict())
        print(f"{name}: trained in {dtype}, final loss {loss:.4f}, saved as {saved_dtype}: {keys}")


if __name__ == "__main__":
    main()
