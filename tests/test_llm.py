"""LLM plumbing: packaged model assembly and its hash check, backend selection, the fake backend."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench import ConfigError, ModelError, Settings
from workbench.backends.llm import FakeLLM, make_llm
from workbench.backends.models import PackagedModel, assemble, judge_threshold


def _parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunks: list[bytes]) -> tuple[str, ...]:
    """Fake part packages, each exposing get_part_path() like the real ones."""
    names = []
    for i, data in enumerate(chunks, 1):
        name = f"fake_model_part{i}_{tmp_path.name.replace('-', '_')}"
        pkg = tmp_path / "site" / name
        pkg.mkdir(parents=True)
        (pkg / "part.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "from pathlib import Path\n\ndef get_part_path():\n    return str(Path(__file__).with_name('part.bin'))\n"
        )
        names.append(name)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return tuple(names)


def test_assemble_concatenates_in_order_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"GGUF" + b"a" * 100, b"b" * 50, b"c" * 7]
    whole = b"".join(chunks)
    model = PackagedModel(
        "m", "m.gguf", _parts(tmp_path, monkeypatch, chunks), len(whole), hashlib.sha256(whole).hexdigest()
    )
    path = assemble(model, tmp_path / "models")
    assert path.read_bytes() == whole
    mtime = path.stat().st_mtime_ns
    assert assemble(model, tmp_path / "models").stat().st_mtime_ns == mtime  # verified once, reused


def test_a_wrong_hash_is_refused_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"x" * 10, b"y" * 10]
    model = PackagedModel("m", "m.gguf", _parts(tmp_path, monkeypatch, chunks), 20, "0" * 64)
    with pytest.raises(ModelError, match="校验失败") as info:
        assemble(model, tmp_path / "models")
    assert "requirements-models" in info.value.hint
    assert list((tmp_path / "models").iterdir()) == []


def test_a_missing_part_package_names_what_to_install(tmp_path: Path) -> None:
    model = PackagedModel("m", "m.gguf", ("no_such_part_package_1",), 1, "0" * 64)
    with pytest.raises(ModelError, match="no-such-part-package-1") as info:
        assemble(model, tmp_path)
    assert "install" in info.value.hint


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("gpt-5", ConfigError),
        ("openai:http://127.0.0.1:9", ConfigError),
        ("local:/no/such/model.gguf", ModelError),
    ],
)
def test_bad_llm_settings(spec: str, error: type[Exception], tmp_path: Path) -> None:
    with pytest.raises(error):
        make_llm(Settings(llm=spec, home=tmp_path, model_dir=tmp_path))


def test_fake_llm_queues_and_records() -> None:
    llm = FakeLLM()
    llm.queue("第一条回复")
    llm.probabilities.append(0.9)
    msgs = [{"role": "user", "content": "<事实>\n- 甲\n- 乙\n</事实>"}]
    assert llm.complete(msgs) == "第一条回复"
    assert llm.complete(msgs) == "甲\n乙"  # an empty queue echoes the quoted facts
    assert llm.yes_probability(msgs) == 0.9 and llm.yes_probability(msgs) == 0.5
    assert len(llm.prompts) == 4
    assert isinstance(make_llm(Settings(llm="fake")), FakeLLM)


@pytest.mark.parametrize(
    ("llm", "explicit", "expected"),
    [
        ("local", None, 0.82),
        ("local:qwen-0.5b", None, 0.09),
        ("local:/site/model.gguf", None, 0.5),
        ("fake", None, 0.5),
        ("local", 0.7, 0.7),
    ],
)
def test_judge_threshold_per_model(llm: str, explicit: float | None, expected: float) -> None:
    assert judge_threshold(Settings(llm=llm, judge_threshold=explicit)) == expected
