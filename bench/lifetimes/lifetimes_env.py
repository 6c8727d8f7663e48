"""The lifetimes reference environment, bench/.venv-lifetimes, made on first use.

lifetimes 0.11.3 needs numpy<2 and pandas<2, which the project cannot have, so the benches run
it in a separate virtual environment built from requirements.txt beside this file with uv
(Python downloads off, like the Makefile). It is rebuilt when requirements.txt changes.

    from lifetimes_env import python   # with bench/lifetimes on sys.path
    subprocess.run([str(python()), "script.py", ...])
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
VENV = HERE.parent / ".venv-lifetimes"


def python() -> Path:
    """The environment's interpreter, after creating or updating the environment if needed."""
    interpreter = VENV / "bin" / "python"
    stamp = VENV / "requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if interpreter.exists() and stamp.exists() and stamp.read_text() == wanted:
        return interpreter
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("bench/lifetimes needs uv on PATH (`python3 -m pip install uv`)")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(VENV)}
    env.pop("UV_PROJECT_ENVIRONMENT", None)
    print(f"Creating {VENV.name} from {REQUIREMENTS.relative_to(HERE.parent.parent)} …")
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([uv, "venv", "--quiet", "--allow-existing", "--python", base, str(VENV)],
                   env=env, check=True)  # fmt: skip
    subprocess.run([uv, "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], env=env, check=True)
    stamp.write_text(wanted)
    return interpreter
