# SPDX-License-Identifier: MIT
"""Runs the Python reader of docs/file_format.md on files that ffn::save wrote.

Usage: check_python_reader.py DOC WRITER FOLDER
DOC is docs/file_format.md, WRITER the write_samples program, FOLDER a scratch folder.

Checks that the reader returns every name, setting, tensor value and counter that
write_samples printed for each file; that the same files, written again in format versions 1
and 2 by the independent writer below, read back to the same contents less the fields those
versions lack; and that the page's byte-by-byte examples are the bytes ffn::save writes.
"""
import pathlib
import re
import struct
import subprocess
import sys
import zlib

MAGIC = b"\x89FFN\r\n\x1a\n"
# The example of the page in versions 2 and 1, as the unit tests write them by hand.
OLD_EXAMPLES = {2: (144, 0x1030A0DE), 1: (136, 0x573EDC1B)}


def parse_expected(path):
    """The files that expected.txt describes: name -> the dict read_ffn should return, with
    each tensor as (rows, cols, [values])."""
    files = {}
    net = layer = None
    for line in path.read_text().splitlines():
        word, _, rest = line.partition(" ")
        if word == "file":
            net = files[rest] = {"layers": []}
        elif word == "version":
            net["version"] = int(rest)
        elif word in ("scalar", "loss"):
            net[word] = rest
            if word == "loss":
                net["loss_settings"] = {}
        elif word == "loss_setting":
            key, value = rest.split()
            net["loss_settings"][key] = float(value)
        elif word == "layers":
            net["layer_count"] = int(rest)
        elif word == "layer":
            layer = {"activation_settings": {}, "settings": {}, "tensors": {}, "counters": {}}
            net["layers"].append(layer)
        elif word in ("kind", "activation", "bias_policy"):
            layer[word] = rest
        elif word in ("activation_setting", "layer_setting"):
            key, value = rest.split()
            layer["activation_settings" if word == "activation_setting" else "settings"][key] = \
                float(value)
        elif word == "tensors":
            layer["tensor_count"] = int(rest)
        elif word == "tensor":
            fields = rest.split()
            layer["tensors"][fields[0]] = (int(fields[1]), int(fields[2]),
                                           [float(v) for v in fields[3:]])
        elif word == "counter":
            key, value = rest.split()
            layer["counters"][key] = int(value)
        else:
            sys.exit(f"{path}: unknown line {line!r}")
    return files


def compare(name, got, expected):
    """What differs between `got` (from read_ffn) and `expected` (from parse_expected), as a
    list of messages, and the number of values compared."""
    failures = []
    checked = 0
    for key in ("version", "scalar", "loss"):
        if got[key] != expected[key]:
            failures.append(f"{name}: {key} {got[key]!r}, expected {expected[key]!r}")

    def same_items(what, found, wanted):
        # Names, order and values; settings are exact binary64 values.
        nonlocal checked
        checked += len(wanted)
        if list(found.items()) != list(wanted.items()):
            failures.append(f"{name}: {what} {found!r}, expected {wanted!r}")

    same_items("loss settings", got["loss_settings"], expected["loss_settings"])
    if len(got["layers"]) != expected["layer_count"] or \
            len(expected["layers"]) != expected["layer_count"]:
        failures.append(f"{name}: {len(got['layers'])} layers, expected {expected['layer_count']}")
        return failures, checked
    for index, (layer, wanted) in enumerate(zip(got["layers"], expected["layers"])):
        where = f"layer {index}"
        for key in ("kind", "activation", "bias_policy"):
            if layer[key] != wanted[key]:
                failures.append(f"{name}: {where} {key} {layer[key]!r}, expected {wanted[key]!r}")
        same_items(f"{where} activation settings", layer["activation_settings"],
                   wanted["activation_settings"])
        same_items(f"{where} settings", layer["settings"], wanted["settings"])
        same_items(f"{where} counters", layer["counters"], wanted["counters"])
        if list(layer["tensors"]) != list(wanted["tensors"]) or \
                len(wanted["tensors"]) != wanted["tensor_count"]:
            failures.append(f"{name}: {where} tensors {list(layer['tensors'])}, expected "
                            f"{list(wanted['tensors'])}")
            continue
        for tensor, (rows, cols, values) in wanted["tensors"].items():
            array = layer["tensors"][tensor]
            if array.shape != (rows, cols):
                failures.append(f"{name}: {where} {tensor} is {array.shape}, expected "
                                f"{(rows, cols)}")
                continue
            # Row by row, every value exact.
            for k, value in enumerate(values):
                found = float(array[k // cols, k % cols])
                checked += 1
                if found != value:
                    failures.append(f"{name}: {where} {tensor}[{k // cols}, {k % cols}] = "
                                    f"{found!r}, expected {value!r}")
    return failures, checked


def write_ffn(net, version):
    """The bytes of `net`, as read_ffn returns it, in format `version`: a writer of its own,
    written from the page's tables, so that the reader also meets versions 1 and 2."""
    out = bytearray()

    def name(text):
        out.extend(struct.pack("<H", len(text)) + text.encode("ascii"))

    def settings(values, since):
        if version >= since:
            out.extend(struct.pack("<I", len(values)))
            for key, value in values.items():
                name(key)
                out.extend(struct.pack("<d", value))

    dtype = {"float": "<f4", "double": "<f8"}[net["scalar"]]
    out.extend(MAGIC + struct.pack("<IQB", version, 0, int(dtype[-1])))
    name(net["loss"])
    settings(net["loss_settings"], 2)
    out.extend(struct.pack("<I", len(net["layers"])))
    for layer in net["layers"]:
        name(layer["kind"])
        name(layer["activation"])
        settings(layer["activation_settings"], 2)
        name(layer["bias_policy"])
        settings(layer["settings"], 3)
        out.extend(struct.pack("<I", len(layer["tensors"])))
        for tensor, values in layer["tensors"].items():
            name(tensor)
            out.extend(struct.pack("<QQ", *values.shape))
            out.extend(values.astype(dtype).tobytes(order="C"))
        if version >= 3:
            out.extend(struct.pack("<I", len(layer["counters"])))
            for key, value in layer["counters"].items():
                name(key)
                out.extend(struct.pack("<Q", value))
    struct.pack_into("<Q", out, 12, len(out) + 4)
    out.extend(struct.pack("<I", zlib.crc32(out)))
    return bytes(out)


def older(net, version):
    """`net` as read_ffn returns it from a file of format `version`: without the settings and
    counters that version does not hold."""
    old = dict(net, version=version)
    if version < 2:
        old["loss_settings"] = {}
    old["layers"] = []
    for layer in net["layers"]:
        layer = dict(layer, counters={}, settings={})
        if version < 2:
            layer["activation_settings"] = {}
        old["layers"].append(layer)
    return old


def page_samples(doc_text):
    """The byte-by-byte examples of the page: (sample file, first offset, bytes), from each
    fenced block after a line "<!-- sample: NAME -->". A row is an offset, then from column 8
    to column 57 its bytes (hex pairs and "quoted" ASCII), then what they are."""
    samples = []
    for sample, block in re.findall(r"<!-- sample: (\S+) -->\n```\n(.*?)```", doc_text, re.S):
        lines = block.splitlines()
        column = lines[0].index("field")
        data = bytearray()
        first = None
        for line in lines[1:]:
            offset = int(line[:6])
            first = offset if first is None else first
            if offset != first + len(data):
                raise ValueError(f"{sample}: the row at offset {offset} follows "
                                 f"{first + len(data)} bytes")
            text = line[8:column]
            tokens = re.findall(r'"[^"]*"|[0-9a-f]{2}', text)
            if re.sub(r'"[^"]*"|[0-9a-f]{2}', "", text).strip() or line[column - 1] != " ":
                raise ValueError(f"{sample}: cannot read the bytes of row {line!r}")
            for token in tokens:
                data.extend(token[1:-1].encode("ascii") if token[0] == '"'
                            else bytes([int(token, 16)]))
        samples.append((sample, first, bytes(data)))
    return samples


def main():
    doc, writer, folder = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    doc_text = pathlib.Path(doc).read_text()
    blocks = re.findall(r"```python\n(.*?)```", doc_text, re.S)
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
    expected_files = parse_expected(folder / "expected.txt")
    for name, expected in expected_files.items():
        path = folder / name
        net = read_ffn(str(path))
        found, count = compare(name, net, expected)
        failures += found
        checked += count
        # This test's own writer gives back the very bytes ffn::save wrote, so the reader
        # missed nothing; written in the older versions, the reader gets the same less the
        # fields they lack.
        if write_ffn(net, expected["version"]) != path.read_bytes():
            failures.append(f"{name}: written again, the bytes differ from ffn::save's")
        for version in range(1, expected["version"]):
            old_path = folder / f"v{version}_{name}"
            old_path.write_bytes(write_ffn(net, version))
            found, count = compare(old_path.name, read_ffn(str(old_path)),
                                   older(expected, version))
            failures += found
            checked += count

    # The page's example in versions 1 and 2 is what the unit tests hold by hand.
    example = read_ffn(str(folder / "example.ffn"))
    for version, (size, crc) in OLD_EXAMPLES.items():
        old = write_ffn(example, version)
        if (len(old), struct.unpack_from("<I", old, len(old) - 4)[0]) != (size, crc):
            failures.append(f"example.ffn in version {version}: {len(old)} bytes, CRC-32 "
                            f"{zlib.crc32(old[:-4]):#010x}, expected {size}, {crc:#010x}")

    # The page's byte-by-byte examples are what ffn::save wrote.
    samples = page_samples(doc_text)
    if [sample for sample, _, _ in samples] != ["example.ffn", "example_dropout.ffn"]:
        failures.append(f"the page's examples are {[s for s, _, _ in samples]}")
    for sample, first, data in samples:
        saved = (folder / sample).read_bytes()
        if saved[first:first + len(data)] != data or (first == 0 and len(data) != len(saved)):
            failures.append(f"{doc}: the bytes of {sample} are not those ffn::save writes:\n"
                            f"  page:  {data.hex(' ')}\n"
                            f"  saved: {saved[first:].hex(' ')}")
    if not samples or samples[0][1] != 0 or \
            zlib.crc32(samples[0][2][:-4]) != struct.unpack_from("<I", samples[0][2][-4:])[0]:
        failures.append(f"{doc}: the first example is not a whole file with its CRC-32")

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
    # So is a negative counter, under a right checksum.
    negative = bytearray((folder / "normalized.ffn").read_bytes())
    at = negative.rindex(b"num_batches_tracked") + len("num_batches_tracked")
    negative[at + 7] |= 0x80
    negative[-4:] = struct.pack("<I", zlib.crc32(negative[:-4]))
    (folder / "negative_counter.ffn").write_bytes(bytes(negative))
    try:
        read_ffn(str(folder / "negative_counter.ffn"))
        failures.append("the file with a negative counter was read")
    except ValueError as e:
        if str(e) != "a counter is negative":
            failures.append(f"the file with a negative counter gave {e}")

    # Run as a program, the script prints a summary.
    version = expected_files["lecture_float.ffn"]["version"]
    for sample, lines in (("lecture_float.ffn",
                           [f"ffn file version {version}, float, loss half_squared_error",
                            "layer 1: dense sigmoid shared"]),
                          ("normalized.ffn",
                           ["layer 1: batch_norm relu {'momentum': 0.05, 'epsilon': 0.001}",
                            "layer 2: dropout {'p': 0.2}", "  num_batches_tracked = 3",
                            "  running_var 4x1:"])):
        summary = subprocess.run([sys.executable, str(script), str(folder / sample)],
                                 check=True, capture_output=True, text=True).stdout
        printed = [line.rstrip() for line in summary.splitlines()]
        if any(line not in printed for line in lines):
            failures.append(f"unexpected summary of {sample}:\n{summary}")

    if checked == 0:
        failures.append("no value was compared")
    for failure in failures:
        print(failure)
    print(f"{len(expected_files)} files in versions 1 to {version}, {checked} values compared, "
          f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


main()
