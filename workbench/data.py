"""Where the data shipped in the package lives: sample reports and eval sets (found through importlib.resources, so a wheel works)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def samples_dir() -> Path:
    """The sample reports (fictional, written for the project)."""
    return Path(str(resources.files("workbench") / "samples"))


def evals_dir() -> Path:
    """The eval sets and their ``config.toml`` (the repo's top-level ``evals/``, shipped as workbench.evals)."""
    return Path(str(resources.files("workbench.evals")))


def resolve(base: Path, value: str) -> Path:
    """A path named in an eval config: relative to the config's folder, or ``package:samples``."""
    if value == "package:samples":
        return samples_dir()
    return (base / value).resolve()
