# SPDX-License-Identifier: MIT
"""A small safetensors writer and a strict reader, written from the format's specification:
an 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a multiple
of 8) naming each tensor's dtype, shape and byte range, then the raw little-endian,
row-major data. Debian has no safetensors package, so the tests carry their own.
"""
import json
import math
import struct
import sys

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
          "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32}
NAMES = {dtype: name for name, dtype in DTYPES.items()}
assert sys.byteorder == "little", "the raw bytes below are written in the machine's order"


def _raw_bytes(tensor):
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 16 bits as int16
        tensor = tensor.view(torch.int16)
    return tensor.numpy().tobytes()


def save_file(tensors, path, metadata=None):
    """Writes the dict name -> tensor to `path`, with `metadata` (str -> str) if given."""
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, tensor in tensors.items():
        data = _raw_bytes(tensor)
        header[name] = {"dtype": NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def load_file(path):
    """The tensors of the file `path` as a dict; raises ValueError for a malformed file."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: shorter than the 8-byte header length")
    (length,) = struct.unpack("<Q", raw[:8])
    if length > len(raw) - 8:
        raise ValueError(f"{path}: header of {length} bytes in a file of {len(raw)}")
    header = json.loads(raw[8:8 + length].decode())
    data = raw[8 + length:]
    metadata = header.pop("__metadata__", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError(f"{path}: __metadata__ must map strings to strings")
    for name, entry in header.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"} \
                or entry["dtype"] not in DTYPES or len(entry["data_offsets"]) != 2:
            raise ValueError(f"{path}: tensor {name!r} has the entry {entry}")
    tensors, covered = {}, 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"]):
        dtype, shape, (begin, end) = DTYPES[entry["dtype"]], entry["shape"], entry["data_offsets"]
        size = math.prod(shape) * torch.tensor([], dtype=dtype).element_size()
        if begin != covered or end - begin != size:
            raise ValueError(f"{path}: tensor {name!r} at [{begin}, {end}) after byte {covered},"
                             f" {size} bytes expected")
        covered = end
        chunk = bytearray(data[begin:end])
        tensors[name] = (torch.frombuffer(chunk, dtype=dtype) if chunk
                         else torch.empty(0, dtype=dtype)).reshape(shape)
    if covered != len(data):
        raise ValueError(f"{path}: data bytes [{covered}, {len(data)}) belong to no tensor")
    return tensors
