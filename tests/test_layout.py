"""The package's shape: stages import only downwards, data ships with the package, calibrations match prompts."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from workbench.backends.models import PACKAGED
from workbench.prompts import prompt_hash

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"

# Each part of the package and the tier it sits in: a module may import its own part and lower tiers only.
TIERS = {
    "errors": 0,
    "text": 1,
    "config": 2,
    "types": 2,
    "prompts": 2,
    "data": 2,
    "backends": 3,
    "library": 4,
    "search": 5,
    "check": 5,
    "write": 6,
    "plan": 6.5,  # 对照要点: drafts through write's trusted path and export, so just above write
    "core": 7,
    "evaluation": 8,
    "ui": 9,
    "cli": 10,  # the program's entry: it starts the web UI too
}


def _part(module: str) -> str:
    """workbench.library.store -> library; workbench.core -> core."""
    return module.split(".")[1] if module.count(".") else ""


def _imports(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """The workbench modules ``path`` imports (relative ones resolved), with line numbers."""
    rel = path.relative_to(root).with_suffix("")
    package = list(rel.parts[:-1])
    out: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "workbench":  # "from .. import x": each name is a module of its own
                out += [(f"workbench.{a.name}", node.lineno) for a in node.names]
            elif target.startswith("workbench."):
                out.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.startswith("workbench.")]
    return out


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_every_part_has_a_tier() -> None:
    parts = {_part(".".join(p.relative_to(ROOT).with_suffix("").parts)) for p in _modules()}
    assert parts - {""} <= set(TIERS), f"add these parts of the package to TIERS: {parts - set(TIERS)}"


def _violations(path: Path, root: Path = ROOT) -> list[str]:
    here = _part(".".join(path.relative_to(root).with_suffix("").parts))
    return [
        f"{path.relative_to(root)}:{line} imports {target} ({_part(target)} is not below {here})"
        for target, line in _imports(path, root)
        if _part(target) != here and TIERS.get(_part(target), 99) >= TIERS[here]
    ]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_stages_import_only_downwards(path: Path) -> None:
    wrong = _violations(path)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("where", "line", "wrong"),
    [
        ("library/x.py", "from ..search.hybrid import HybridSearch", True),  # upwards
        ("check/x.py", "from ..search import fusion", True),  # sideways, same tier
        ("write/x.py", "from ..core import Workbench", True),
        ("write/x.py", "from ..check.rules import RuleChecker", False),  # downwards
        ("text/x.py", "from ..errors import InputError", False),
        ("library/x.py", "from .store import Store", False),  # its own part
        ("library/x.py", "import workbench.ui.app", True),
    ],
)
def test_the_layering_rule(tmp_path: Path, where: str, line: str, wrong: bool) -> None:
    path = tmp_path / "workbench" / where
    path.parent.mkdir(parents=True)
    path.write_text(line + "\n", encoding="utf-8")
    assert bool(_violations(path, tmp_path)) is wrong


def test_text_primitives_import_nothing_but_errors() -> None:
    for path in (PACKAGE / "text").glob("*.py"):
        assert {_part(t) for t, _ in _imports(path)} <= {"text", "errors"}, path


def test_no_data_found_through_parent_parent() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "parent.parent" not in text and "parents[" not in text, path


def test_the_wheel_lists_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")} | {
        ".".join(("workbench", *p.parent.relative_to(ROOT).parts))
        for p in (ROOT / "evals").rglob("__init__.py")
    }
    assert set(config["packages"]) == found
    assert config["package-dir"] == {"workbench.evals": "evals"}


@pytest.mark.parametrize("name", sorted(PACKAGED))
def test_judge_thresholds_were_calibrated_with_todays_prompts(name: str) -> None:
    """Editing system.md or judge.md invalidates the calibrated threshold: run `python -m bench.judge` again
    and record the new value and hash in backends/models.py."""
    assert PACKAGED[name].judge_prompt_hash == prompt_hash("system", "judge")
