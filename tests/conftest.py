"""Shared fixtures: a temporary library with the fake embedder, and the sample reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench import FakeEmbedder, Settings, Workbench

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "workbench" / "samples"
CORPUS = ROOT.parent / "shared" / "corpus"
# The draft JSON of INTERFACES.md, which outside scripts rely on.
DRAFT_FIELDS = {"text", "precedents", "seconds", "first_token_seconds", "prompt_tokens", "tokens", "check"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "store", embedder="fake", llm="fake", model_dir=tmp_path / "models")


@pytest.fixture
def wb(settings: Settings) -> Workbench:
    return Workbench(settings, embedder=FakeEmbedder())


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    """A private copy of the sample reports, so tests may edit and delete files."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (a user's clone has no shared/)")
    return CORPUS
