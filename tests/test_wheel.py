"""A plain wheel works: built from the checkout, installed into a fresh venv, run from elsewhere.

The venv reuses the dev venv's installed dependencies (a .pth line), so nothing is downloaded; only the
wheel's own files provide ``workbench``: prompts, samples and eval sets must all be inside it.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel
ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    # setuptools reuses build/: a module deleted from the tree would still ship from a stale copy there.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp),
        ],
        ROOT,
    )
    wheel = next(tmp.glob("workbench-*.whl"))
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", "--without-pip", str(tmp / "v")], tmp)
    packages = next((tmp / "v" / "lib").glob("python3*/site-packages"))
    # Dependencies from the dev venv, after the wheel's own files (a .pth path is appended to sys.path).
    (packages / "dev_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    python = str(tmp / "v" / "bin" / "python")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        tmp,
        # PYTHONPATH on the checkout shows pip its workbench.egg-info: "already installed", nothing installed
        {k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    return tmp / "v"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_") and k != "PYTHONPATH"}
    return {**env, "WORKBENCH_HOME": str(home), "WORKBENCH_LLM": "fake", "WORKBENCH_EMBEDDER": "fake"}


def test_the_wheel_is_what_runs(venv: Path, tmp_path: Path) -> None:
    python = str(venv / "bin" / "python")
    where = _run(
        [python, "-c", "import workbench; print(workbench.__file__)"], tmp_path, _env(tmp_path)
    ).stdout
    assert str(venv) in where and str(ROOT) not in where


def test_help_draft_and_quick_eval_from_outside_the_checkout(venv: Path, tmp_path: Path) -> None:
    cli = [str(venv / "bin" / "workbench")]  # the console script the wheel declares
    env = _env(tmp_path / "store")
    assert "draft" in _run([*cli, "--help"], tmp_path, env).stdout
    facts = tmp_path / "facts.txt"
    facts.write_text("时间：2024年5月10日\n活动：全体教师参加读书分享会，共48人\n", encoding="utf-8")
    draft = json.loads(
        _run([*cli, "draft", "--type", "活动简报", "--facts", str(facts), "--json"], tmp_path, env).stdout
    )
    assert draft["text"] and draft["check"] is not None
    result = json.loads(_run([*cli, "eval", "--quick", "--json"], tmp_path, env).stdout)
    assert result["passed"] and result["faithfulness"]["n"] > 0 and result["retrieval"]["n"] > 0
