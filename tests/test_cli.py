"""The CLI contract of INTERFACES.md: JSON shapes, exit codes, errors as {"error", "hint"}."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from tests.conftest import DRAFT_FIELDS
from workbench.cli import main


@pytest.fixture(autouse=True)
def _fake_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    monkeypatch.setenv("WORKBENCH_LLM", "fake")


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_ingest_list_search_remove(tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "lib")
    (samples / "photo.jpg").write_bytes(b"\xff\xd8")
    (samples / "empty.txt").write_bytes(b"")
    code, report = _json(capsys, "ingest", str(samples), "--store", store, "--json")
    assert code == 0
    assert isinstance(report, dict)
    assert set(report) >= {"added", "updated", "unchanged", "removed", "chunks", "errors", "skipped"}
    assert report["added"] == 6 and report["chunks"] > 6
    assert report["errors"][0]["error"] == "empty.txt：文件为空" and report["errors"][0]["hint"]
    assert report["skipped"] == [{"path": str(samples / "photo.jpg"), "reason": "unsupported type"}]

    code, rows = _json(capsys, "list", "--store", store, "--json", "--type", "工作总结")
    assert code == 0 and isinstance(rows, list) and len(rows) == 2
    fields = {"doc_id", "title", "path", "type", "unit", "date", "chunks", "owner", "visibility"}
    assert set(rows[0]) == fields and (rows[0]["owner"], rows[0]["visibility"]) == ("", "all")  # site library

    code, hits = _json(
        capsys, "search", "招聘新教师", "-k", "2", "--store", store, "--json", "--year", "2024"
    )
    assert code == 0 and isinstance(hits, list) and 1 <= len(hits) <= 2
    assert set(hits[0]) == {"doc_id", "title", "path", "heading", "text", "score", "type", "date"}
    assert hits[0]["heading"] == "四、建设高素质教师队伍" and "120名" in hits[0]["text"]

    code, removed = _json(capsys, "remove", rows[0]["doc_id"], "--store", store, "--json")
    assert (code, removed) == (0, {"removed": 1})


def test_errors_are_json_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _json(capsys, "remove", "nothing-here", "--store", str(tmp_path / "lib"), "--json")
    assert code == 1 and isinstance(err, dict)
    assert set(err) == {"error", "hint"} and "workbench list" in err["hint"]


def test_plain_errors_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tmp_path / "nothing"), "--store", str(tmp_path / "lib")]) == 1
    out = capsys.readouterr().out
    assert "路径不存在" in out
    assert main(["search", " ", "--store", str(tmp_path / "lib")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "检索词为空" in captured.err


def test_store_env_relocates_everything(
    tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(samples), "--json"]) == 0
    assert (tmp_path / "elsewhere" / "chroma").is_dir() and not (tmp_path / "vectorstore").exists()


def test_quickstart_builds_the_sample_library_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "lib")
    assert main(["quickstart", "--store", store]) == 0
    first = capsys.readouterr().out
    assert "新增 6" in first and "共 6 篇" in first
    assert main(["quickstart", "--store", store, "体检率"]) == 0
    second = capsys.readouterr().out
    assert "新增" not in second and "松林镇中心幼儿园" in second


def test_check_json_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.txt"
    facts.write_text(
        "2023年，学校党支部召开党员大会6次、支委会12次。共读《教育的情调》等3本书籍。", encoding="utf-8"
    )
    draft = tmp_path / "draft.txt"
    draft.write_text("学校党支部召开党员大会6次。\n共读《教育的情调》等5本书籍。\n", encoding="utf-8")
    code, report = _json(capsys, "check", "--source", str(facts), "--text", str(draft), "--lines", "--json")
    assert code == 0 and isinstance(report, dict)
    assert report["score"] == 0.5
    first, second = report["claims"]
    assert set(first) >= {"text", "start", "end", "verdict", "reason", "checks", "evidence"}
    assert (first["verdict"], second["verdict"]) == ("supported", "unsupported")
    text = draft.read_text(encoding="utf-8")
    assert text[second["start"] : second["end"]] == second["text"]
    assert [s["text"] for s in report["spans"]] == ["5本"]


def test_check_needs_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    code, err = _json(capsys, "check", "--source", str(empty), "--text", str(empty), "--json")
    assert code == 1 and isinstance(err, dict) and err["error"]


def test_draft_and_condense_json(
    tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_LLM", "fake")
    store = str(tmp_path / "lib")
    assert main(["ingest", str(samples), "--store", store, "--json"]) == 0
    capsys.readouterr()
    facts = tmp_path / "facts.txt"
    facts.write_text("2024年5月，支部组织党员参观纪念馆，共28人参加。", encoding="utf-8")
    out = tmp_path / "draft.docx"
    _, listing = _json(capsys, "list", "--store", store, "--json", "--type", "活动简报")
    assert isinstance(listing, list)
    brief = listing[0]["doc_id"]
    args = [
        "draft",
        "--type",
        "活动简报",
        "--facts",
        str(facts),
        "--store",
        store,
        "--out",
        str(out),
        "--json",
    ]
    code, draft = _json(capsys, *args)
    assert code == 0 and isinstance(draft, dict)
    assert set(draft) >= DRAFT_FIELDS
    assert draft["precedents"][0]["doc_id"] == brief  # the same type comes first
    code, other = _json(capsys, *args, "--exclude", brief)
    assert code == 0 and isinstance(other, dict)
    assert brief not in [p["doc_id"] for p in other["precedents"]]
    paragraphs = [x.text for x in docx.Document(str(out)).paragraphs]
    # The title comes first: with no unit given it is a placeholder for the user, never a precedent's unit.
    assert paragraphs[0] == "【待补：标题】" and paragraphs[1].startswith("2024年5月")
    code, summary = _json(
        capsys,
        "condense",
        str(samples / "云溪县教育局2024年工作要点.md"),
        "--chars",
        "200",
        "--store",
        store,
        "--json",
    )
    assert code == 0 and isinstance(summary, dict)
    assert set(summary) >= {"summary", "chars", "seconds", "source_chars", "check"}
    assert 170 <= summary["chars"] <= 230
