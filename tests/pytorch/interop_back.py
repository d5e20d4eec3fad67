# SPDX-License-Identifier: MIT
# docs/interop.md quotes this file whole. Loads into PyTorch the model that ffn saved.
import torch
from safetensors.torch import load_file

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
model.load_state_dict(load_file("back.safetensors"), strict=True)
model.eval()
with torch.no_grad():
    print(model(torch.tensor([[0.5, -1.0, 0.25, 2.0]])).tolist()[0])
