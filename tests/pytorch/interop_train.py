# SPDX-License-Identifier: MIT
# docs/interop.md quotes this file whole. Trains a small model in PyTorch and saves it as
# safetensors for ffn.
import torch
from safetensors.torch import save_file

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
x = torch.randn(256, 4)
y = torch.stack([x[:, 0] * x[:, 1], x[:, 2].sin(), x[:, 3] - x[:, 0]], dim=1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(200):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()

save_file(model.state_dict(), "model.safetensors")
model.eval()
with torch.no_grad():
    print(model(torch.tensor([[0.5, -1.0, 0.25, 2.0]])).tolist()[0])
