# SPDX-License-Identifier: MIT
"""Runs the Python reader of docs/file_format.md on files that ffn::save wrote.

Usage: check_python_reader.py DOC WRITER FOLDER
DOC is docs/file_format.md, WRITER the write_samples program, FOLDER a scratch folder.
"""
import pathlib
import re
import subprocess
import sys


def main():
    doc, writer, folder = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    blocks = re.findall(r"```python\n(.*?)```", pathlib.Path(doc).read_text(), re.S)
    if len(blocks) != 1:
        sys.exit(f"expected one python block in {doc}, found {len(blocks)}")
    script = folder / "read_ffn.py"
    folder.mkdir(parents=True, exist_ok=True)
    script.write_text(blocks[0])
    subprocess.run([writer, str(folder)], check=True)

    reader = {"__name__": "ffn_reader"}
    exec(compile(blocks[0], str(script), "exec"), reader)
    read_ffn = reader["read_ffn"]

    failures = []
    checked = 0
    net = None
    layer = None
    for line in (folder / "expected.txt").read_text().splitlines():
        word, _, rest = line.partition(" ")
        if word == "file":
            net = read_ffn(str(folder / rest))
            name = rest
        elif word == "scalar":
            if net["scalar"] != rest:
                failures.append(f"{name}: scalar {net['scalar']}, expected {rest}")
        elif word == "loss":
            if net["loss"] != rest:
                failures.append(f"{name}: loss {net['loss']}, expected {rest}")
        elif word == "layer":
            layer = net["layers"][int(rest)]
        elif word == "setting":
            owner, setting, value = rest.split()
            settings = net["loss_settings"] if owner == "loss" else \
                net["layers"][int(owner[len("layer"):])]["activation_settings"]
            checked += 1
            if settings.get(setting) != float(value):
                failures.append(f"{name}: {owner} setting {setting} = {settings.get(setting)!r}, "
                                f"expected {float(value)!r}")
        elif word == "tensor":
            fields = rest.split()
            tensor, rows, cols = fields[0], int(fields[1]), int(fields[2])
            values = [float(v) for v in fields[3:]]
            array = layer["tensors"][tensor]
            if array.shape != (rows, cols):
                failures.append(f"{name}: {tensor} is {array.shape}, expected {(rows, cols)}")
                continue
            # Row by row, every value exact.
            for k, expected in enumerate(values):
                got = float(array[k // cols, k % cols])
                checked += 1
                if got != expected:
                    failures.append(f"{name}: {tensor}[{k // cols}, {k % cols}] = {got!r}, "
                                    f"expected {expected!r}")
    if checked == 0:
        failures.append("no value was compared")
    if not read_ffn(str(folder / "settings.ffn"))["layers"][0]["activation_settings"]:
        failures.append("settings.ffn: no settings read")

    # A damaged file is refused.
    damaged = bytearray((folder / "no_bias.ffn").read_bytes())
    damaged[60] ^= 1
    (folder / "damaged.ffn").write_bytes(bytes(damaged))
    try:
        read_ffn(str(folder / "damaged.ffn"))
        failures.append("the damaged file was read")
    except ValueError as e:
        if str(e) != "checksum mismatch":
            failures.append(f"the damaged file gave {e}")

    # Run as a program, the script prints a summary.
    summary = subprocess.run([sys.executable, str(script), str(folder / "lecture_float.ffn")],
                             check=True, capture_output=True, text=True).stdout
    if "ffn file version 2, float, loss half_squared_error" not in summary or \
            "layer 1: dense sigmoid shared" not in summary:
        failures.append(f"unexpected summary:\n{summary}")

    for failure in failures:
        print(failure)
    print(f"{checked} values compared, {len(failures)} failures")
    sys.exit(1 if failures else 0)


main()
