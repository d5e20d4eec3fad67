# SPDX-License-Identifier: MIT
"""The PyTorch round trip that CTest runs: PyTorch trains and saves the models
(train_models.py), ffn loads them, predicts and saves them again (ROUNDTRIP_EXE), PyTorch
loads what ffn saved (check_back.py). WORK_DIR is emptied first, so no file of an earlier run
can stand in for a missing one.

Usage: run_roundtrip.py ROUNDTRIP_EXE WORK_DIR
"""
import os
import pathlib
import shutil
import subprocess
import sys

# No __pycache__ in the source tree, from this import or the scripts' (which inherit this).
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
import models  # noqa: E402 (after the setting above)

HERE = pathlib.Path(__file__).resolve().parent


def run(step, command):
    """Runs `command`; on failure exits naming `step`."""
    print("running:", " ".join(str(part) for part in command), flush=True)
    try:
        subprocess.run([str(part) for part in command], check=True)
    except subprocess.CalledProcessError as error:
        sys.exit(f"pytorch round trip: {step} failed with exit status {error.returncode}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    exe, work = sys.argv[1], pathlib.Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    from_pytorch, from_ffn = work / "pytorch", work / "ffn"
    run("train_models.py", [sys.executable, HERE / "train_models.py", from_pytorch])
    run("ffn_pytorch_roundtrip", [exe, from_pytorch, from_ffn])
    run("check_back.py", [sys.executable, HERE / "check_back.py", from_pytorch, from_ffn])
    print(f"pytorch round trip: {len(models.MODELS)} models passed")


if __name__ == "__main__":
    main()
