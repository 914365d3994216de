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


def resolve(base: Path, value: str, home: Path | None = None) -> Path:
    """A path named in an eval config: relative to the config's folder, ``package:samples``, or
    ``store:NAME`` (under the library's ``evals/`` folder: sets built from text that may not ship)."""
    if value == "package:samples":
        return samples_dir()
    if value.startswith("store:") and home is not None:
        return (home / "evals" / value.removeprefix("store:")).resolve()
    return (base / value).resolve()
