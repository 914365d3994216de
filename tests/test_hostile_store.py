"""A store that was tampered with, damaged or changed by another process: no code runs, no loss goes unnoticed,
the doctor rebuilds what can be rebuilt, and a running workbench sees another's ingest."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from workbench import FakeEmbedder, Settings, StoreError, Workbench
from workbench.cli import main
from workbench.library.manifest import read_manifest
from workbench.library.store import DocRecord, Store
from workbench.search.keyword import CACHE, LEGACY, KeywordIndex
from workbench.types import Chunk, Document

N_SAMPLES = 6
BULK = (50, 50)  # documents x chunks: past Chroma's sync threshold, so its log no longer holds every vector


class Planted:
    """Unpickling this runs code: it creates ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _reopened(wb: Workbench) -> Workbench:
    """What a new process sees: the old one's Chroma is released, so files are read afresh."""
    wb.store.close()
    return Workbench(wb.settings, embedder=FakeEmbedder())


def _vector_dir(settings: Settings) -> Path:
    con = sqlite3.connect(settings.chroma_dir / "chroma.sqlite3")
    try:
        (segment,) = con.execute(
            "SELECT s.id FROM segments s JOIN collections c ON s.collection = c.id "
            "WHERE c.name = 'wb_chunks' AND s.scope = 'VECTOR'"
        ).fetchone()
    finally:
        con.close()
    return settings.chroma_dir / str(segment)


def _cli(capsys: pytest.CaptureFixture[str], settings: Settings, *argv: str) -> tuple[int, Any]:
    code = main([*argv, "--store", str(settings.home), "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _fake_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_EMBEDDER", "fake")
    monkeypatch.setenv("WORKBENCH_LLM", "fake")


@pytest.fixture(scope="module")
def bulk_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library written straight through ``Store``: large enough that Chroma persisted its vector index."""
    settings = Settings(home=tmp_path_factory.mktemp("bulk") / "store", embedder="fake", llm="fake")
    embedder = FakeEmbedder()
    store = Store(settings, embedder.name, embedder.dim)
    items: list[tuple[Document, Chunk]] = []
    records: list[DocRecord] = []
    docs, per_doc = BULK
    for i in range(docs):
        doc = Document(
            f"bulk{i:04d}", "", f"第{i}号简报", "活动简报", "某单位", "2024-05-01", f"/bulk/{i}.txt"
        )
        items += [
            (doc, Chunk(doc.doc_id, j, f"第{i}号单位开展第{j}项活动。", ("一、活动",)))
            for j in range(per_doc)
        ]
        records.append(
            DocRecord(doc.doc_id, doc.title, doc.type, doc.unit, doc.date, per_doc, "complete", {})
        )
    with store.write_lock():
        store.put_records(records)
        store.add_chunks(items, embedder.embed_passages([c.text for _, c in items]))
    store.close()
    return settings.home


@pytest.fixture
def bulk(bulk_store: Path, settings: Settings) -> Settings:
    shutil.copytree(bulk_store, settings.home)
    return settings


# -- 1. the keyword cache runs no code ---------------------------------------------------------------
def test_a_planted_pickle_is_never_opened(wb: Workbench, samples: Path, tmp_path: Path) -> None:
    wb.ingest([samples])
    marker = tmp_path / "pwned"
    assert pickle.loads(pickle.dumps(Planted(tmp_path / "armed"))) is not None  # the payload does fire…
    assert (tmp_path / "armed").exists()
    keyword = wb.settings.keyword_dir
    (keyword / CACHE).unlink()  # an old store: only the pickle cache, as the previous version wrote it
    (keyword / LEGACY).write_bytes(pickle.dumps(Planted(marker)))
    fresh = _reopened(wb)
    hits = fresh.search("体检率", k=1, mode="keyword")
    assert hits and hits[0].title.startswith("松林镇中心幼儿园")
    assert not marker.exists()  # …but the workbench never unpickles it
    assert not (keyword / LEGACY).exists() and KeywordIndex.read(keyword)[1] == ""


def _cache_bytes(payload: bytes, digest: str | None = None, fmt: int = 3) -> bytes:
    digest = digest or hashlib.sha256(payload).hexdigest()
    header = {"kind": "workbench-keyword-cache", "format": fmt, "sha256": digest}
    return gzip.compress(json.dumps(header).encode() + b"\n" + payload)


HOSTILE = {
    "garbage": b"corrupt",
    "garbage gzip": gzip.compress(b"\x80\x05not json"),
    "wrong checksum": _cache_bytes(b'{"stamp": "x", "docs": {}}', digest="0" * 64),
    "other format": _cache_bytes(b'{"stamp": "x", "docs": {}}', fmt=2),
    "wrong types": _cache_bytes(
        b'{"stamp": "x", "docs": {"d": {"chunk_ids": [1], "tokens": [[2]], "meta": []}}}'
    ),
    "ragged": _cache_bytes(b'{"stamp": "x", "docs": {"d": {"chunk_ids": ["a"], "tokens": [], "meta": []}}}'),
    "overflow": _cache_bytes(
        b'{"stamp": "x", "docs": {"d": {"chunk_ids": ["a"], "tokens": [["t"]], "meta": [["", Infinity, ""]]}}}'
    ),
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_tampered_keyword_cache_is_rebuilt_from_chroma(
    wb: Workbench, samples: Path, content: bytes
) -> None:
    wb.ingest([samples])
    (wb.settings.keyword_dir / CACHE).write_bytes(content)
    assert KeywordIndex.read(wb.settings.keyword_dir)[1]  # refused, with a reason
    fresh = Workbench(wb.settings, embedder=FakeEmbedder())
    assert fresh.search("体检率", k=1, mode="keyword")[0].title.startswith("松林镇中心幼儿园")
    index, problem = KeywordIndex.read(wb.settings.keyword_dir)
    assert problem == "" and len(index.docs) == N_SAMPLES


# -- 2 and 3. a damaged store says so -----------------------------------------------------------------
def test_a_deleted_database_is_an_error_not_an_empty_library(
    wb: Workbench, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb.ingest([samples])
    wb.store.close()
    (wb.settings.chroma_dir / "chroma.sqlite3").unlink()
    with pytest.raises(StoreError) as info:
        Workbench(wb.settings, embedder=FakeEmbedder()).list_documents()
    assert "清单记录 6 篇" in info.value.message and "实际 0 篇" in info.value.message
    code, err = _cli(capsys, wb.settings, "list")
    assert code == 1 and "doctor --repair" in err["hint"]

    code, report = _cli(capsys, wb.settings, "doctor", "--repair")
    assert code == 1 and not report["ok"]
    assert any("6 篇文档连同记录一起丢失" in p and "重新导入" in p for p in report["problems"])
    assert _cli(capsys, wb.settings, "doctor") == (0, {"ok": True, "problems": [], "repaired": []})
    assert Workbench(wb.settings, embedder=FakeEmbedder()).ingest([samples]).added == N_SAMPLES


def test_a_lost_vector_index_is_found_and_rebuilt(bulk: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    total = BULK[0] * BULK[1]
    shutil.rmtree(_vector_dir(bulk))
    with pytest.raises(StoreError) as info:
        Workbench(bulk, embedder=FakeEmbedder()).list_documents()
    assert f"库中有 {total} 个片段" in info.value.message and "doctor --repair" in info.value.hint
    code, err = _cli(capsys, bulk, "search", "活动", "-k", "1000")
    assert code == 1 and set(err) == {"error", "hint"}  # a StoreError, not chromadb's InternalError

    code, report = _cli(capsys, bulk, "doctor")
    assert code == 1 and any("向量索引缺失或损坏" in p for p in report["problems"])
    code, report = _cli(capsys, bulk, "doctor", "--repair")
    assert code == 0 and report["ok"]
    assert any(f"重新嵌入 {total} 个片段" in r for r in report["repaired"])
    fresh = Workbench(bulk, embedder=FakeEmbedder())
    assert fresh.store.indexed(total) == total
    assert fresh.search("第7号单位开展第3项活动", k=1, mode="dense")[0].doc_id == "bulk0007"


def test_a_truncated_vector_index_is_rebuilt_from_the_stored_texts(bulk: Settings) -> None:
    for part in _vector_dir(bulk).iterdir():
        part.write_bytes(b"")
    with pytest.raises(StoreError) as info:
        Workbench(bulk, embedder=FakeEmbedder()).search("活动")
    assert "doctor --repair" in info.value.hint
    report = Workbench(bulk, embedder=FakeEmbedder()).doctor()
    assert not report.ok and any("向量索引无法读取" in p for p in report.problems)
    assert Workbench(bulk, embedder=FakeEmbedder()).doctor(repair=True).ok
    assert len(Workbench(bulk, embedder=FakeEmbedder()).search("第12号单位", k=3)) == 3


def test_chroma_errors_during_search_become_store_errors(wb: Workbench, samples: Path) -> None:
    from chromadb.errors import InternalError

    wb.ingest([samples])

    class Broken:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        def query(self, **_: Any) -> Any:
            raise InternalError("Error executing plan: hnsw segment reader")

    wb.store._chunks = Broken(wb.store._chunks)
    with pytest.raises(StoreError) as info:
        wb.search("党员", k=1000)
    assert "doctor --repair" in info.value.hint


def test_records_whose_chunks_are_gone_are_named_and_can_be_reimported(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    victim = wb.list_documents()[0]
    wb.store._chunks.delete(where={"doc_id": victim.doc_id})  # behind the workbench's back
    wb = _reopened(wb)
    with pytest.raises(StoreError):
        wb.list_documents()
    report = wb.doctor()
    assert any("1 篇文档的片段缺失" in p and victim.path in p for p in report.problems)
    report = wb.doctor(repair=True)
    assert not report.ok and any("已移除其记录，请重新导入" in p for p in report.problems)
    assert wb.doctor().ok
    assert wb.ingest([samples]).added == 1 and len(wb.list_documents()) == N_SAMPLES


def test_a_store_from_an_older_version_gets_a_manifest(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    (wb.settings.home / "manifest.json").unlink()
    assert len(_reopened(wb).list_documents()) == N_SAMPLES
    manifest = read_manifest(wb.settings.home)
    assert manifest is not None and (manifest.documents, manifest.writing) == (N_SAMPLES, False)


def test_a_corrupt_manifest_is_an_error_the_doctor_repairs(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    (wb.settings.home / "manifest.json").write_text('{"schema": 1, "documents": "many"}')
    with pytest.raises(StoreError) as info:
        _reopened(wb).list_documents()
    assert "库清单" in info.value.message
    report = Workbench(wb.settings, embedder=FakeEmbedder()).doctor(repair=True)
    assert report.ok and "已按向量库的现状重写库清单" in report.repaired
    assert len(Workbench(wb.settings, embedder=FakeEmbedder()).list_documents()) == N_SAMPLES


def test_a_killed_writer_does_not_lock_readers_out(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    path = wb.settings.home / "manifest.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "writing": True, "documents": 99}))  # died between two writes
    assert len(_reopened(wb).list_documents()) == N_SAMPLES
    assert not wb.doctor().ok
    assert wb.doctor(repair=True).ok and not json.loads(path.read_text())["writing"]


def test_the_doctor_cli_on_a_healthy_and_a_stale_cache(
    wb: Workbench, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb.ingest([samples])
    assert _cli(capsys, wb.settings, "doctor") == (0, {"ok": True, "problems": [], "repaired": []})
    (wb.settings.keyword_dir / CACHE).unlink()
    code, report = _cli(capsys, wb.settings, "doctor")
    assert code == 1 and report["problems"] == ["关键词缓存缺失"]
    code, report = _cli(capsys, wb.settings, "doctor", "--repair")
    assert code == 0 and report["problems"] == [] and "重建关键词缓存" in report["repaired"][0]
    assert main(["doctor", "--store", str(wb.settings.home)]) == 0
    assert "库完好：6 篇文档" in capsys.readouterr().out


# -- 5. a running workbench follows another's commits --------------------------------------------------
def test_a_second_workbench_sees_an_update_that_keeps_the_count(wb: Workbench, samples: Path) -> None:
    server = Workbench(wb.settings, embedder=FakeEmbedder())
    wb.ingest([samples])
    assert server.search("新增学位", k=3)  # the server has built its keyword index
    path = next(p for p in samples.glob("*.md") if "1800个" in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("1800个", "2400个"), encoding="utf-8")
    assert wb.ingest([samples]).updated == 1  # same number of documents, one of them new
    assert any("2400个" in h.text for h in server.search("新增学位", k=3, mode="keyword"))
    assert not any("1800个" in h.text for h in server.search("新增学位", k=10))


def test_a_running_workbench_sees_an_ingest_by_another_process(
    wb: Workbench, samples: Path, tmp_path: Path
) -> None:
    wb.ingest([samples])
    assert wb.search("蓝鲸湾 海洋科普", k=1)[0].title != "蓝鲸湾小学海洋科普周简报"
    new = tmp_path / "new.txt"
    new.write_text(
        "蓝鲸湾小学海洋科普周简报\n蓝鲸湾小学开展海洋科普周活动，学生参观海洋馆。\n", encoding="utf-8"
    )
    env = {**os.environ, "WORKBENCH_EMBEDDER": "fake", "WORKBENCH_LLM": "fake"}
    command = [sys.executable, "-m", "workbench.cli", "ingest", str(new), "--store", str(wb.settings.home)]
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True, timeout=120)
    for mode in ("keyword", "dense"):  # dense too: the stale vector index is reopened
        assert wb.search("蓝鲸湾 海洋科普", k=1, mode=mode)[0].title == "蓝鲸湾小学海洋科普周简报"
