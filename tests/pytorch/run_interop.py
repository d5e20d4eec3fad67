# SPDX-License-Identifier: MIT
"""Runs the three programs of docs/interop.md in a scratch folder, as a user would, and checks
that PyTorch's prediction, ffn's and PyTorch's again after the round trip agree.

Usage: run_interop.py PREDICT_EXE WORK_DIR
"""
import ast
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def run(command, work, env):
    result = subprocess.run([str(part) for part in command], cwd=work, env=env, check=True,
                            capture_output=True, text=True)
    print(result.stdout, end="")
    return [float(v) for v in ast.literal_eval(result.stdout.strip().splitlines()[-1])]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    exe, work = pathlib.Path(sys.argv[1]).resolve(), pathlib.Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        import safetensors  # noqa: F401 (the real package, where it is installed)
    except ImportError:
        env["PYTHONPATH"] = str(HERE / "shim")
    trained = run([sys.executable, HERE / "interop_train.py"], work, env)
    predicted = run([exe], work, env)
    back = run([sys.executable, HERE / "interop_back.py"], work, env)
    failures = []
    for name, values in (("ffn", predicted), ("PyTorch after the round trip", back)):
        worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(values, trained))
        print(f"{name}: worst relative difference {worst:.3g} from PyTorch's prediction")
        if len(values) != 3 or worst > 1e-6:
            failures.append(name)
    if failures:
        sys.exit("docs/interop.md programs disagree: " + ", ".join(failures))
    print("docs/interop.md programs: 3 programs agree")


if __name__ == "__main__":
    main()
