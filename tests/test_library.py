"""Ingest, list, remove and search against a real embedded Chroma store with the fake embedder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock

from workbench import (
    EmbedderMismatchError,
    FakeEmbedder,
    InputError,
    NotFoundError,
    Settings,
    StoreBusyError,
    Workbench,
)
from workbench.backends.embed import Vectors
from workbench.library.store import Store
from workbench.types import Chunk, Document

N_SAMPLES = 6


def _state(wb: Workbench) -> tuple[list[tuple[str, int]], int]:
    return sorted((d.doc_id, d.chunks) for d in wb.list_documents()), wb.store.chunk_count()


def test_ingest_samples_then_reingest_is_a_no_op(wb: Workbench, samples: Path) -> None:
    first = wb.ingest([samples])
    assert (first.added, first.updated, first.unchanged, first.errors, first.skipped) == (
        N_SAMPLES,
        0,
        0,
        [],
        [],
    )
    docs = wb.list_documents()
    assert first.chunks == sum(d.chunks for d in docs) == wb.store.chunk_count()
    assert {d.type for d in docs} == {"工作总结", "工作汇报", "工作要点", "活动简报", "新闻稿"}
    second = wb.ingest([samples])
    assert (second.added, second.unchanged, second.chunks) == (0, N_SAMPLES, 0)


def test_touched_but_same_content_is_unchanged(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    path = next(samples.glob("*.md"))
    os.utime(path, (1, 1))
    report = wb.ingest([path])
    assert (report.unchanged, report.added, report.updated) == (1, 0, 0)


def test_changed_file_replaces_its_old_chunks(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    path = next(samples.glob("*.md"))
    before = {d.doc_id for d in wb.list_documents()}
    path.write_text(path.read_text(encoding="utf-8").replace("1800个", "2400个"), encoding="utf-8")
    report = wb.ingest([samples])
    assert (report.updated, report.unchanged) == (1, N_SAMPLES - 1)
    after = {d.doc_id for d in wb.list_documents()}
    assert len(after) == N_SAMPLES and len(after - before) == 1
    assert wb.store.chunk_count() == sum(d.chunks for d in wb.list_documents())
    assert any("2400个" in h.text for h in wb.search("新增学位", k=3))
    assert not any("1800个" in h.text for h in wb.search("新增学位", k=10))


def test_same_content_under_new_path_is_one_document(wb: Workbench, samples: Path, tmp_path: Path) -> None:
    wb.ingest([samples])
    copy = tmp_path / "copy.md"
    copy.write_bytes(next(samples.glob("*.md")).read_bytes())
    report = wb.ingest([copy])
    assert (report.unchanged, report.added) == (1, 0)
    doc = next(d for d in wb.list_documents() if str(copy) in d.paths)
    assert len(doc.paths) == 2


def test_deleted_file_leaves_with_its_folder(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    next(samples.glob("*.docx")).unlink()
    report = wb.ingest([samples])
    assert report.removed == 1
    assert len(wb.list_documents()) == N_SAMPLES - 1


def test_bad_files_are_reported_and_the_rest_ingested(wb: Workbench, samples: Path) -> None:
    (samples / "empty.txt").write_bytes(b"")
    (samples / "broken.docx").write_bytes(b"not a zip")
    (samples / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (samples / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    report = wb.ingest([samples, samples / "missing.txt"])
    assert report.added == N_SAMPLES
    failed = {Path(e["path"]).name: e for e in report.errors}
    assert set(failed) == {"empty.txt", "broken.docx", "binary.txt", "missing.txt"}
    assert all(e["error"] and e["hint"] for e in report.errors)
    assert [Path(s["path"]).name for s in report.skipped] == ["photo.jpg"]


def test_a_crash_mid_ingest_leaves_no_half_document_and_a_rerun_finishes(
    settings: Settings, samples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings.model_copy(
        update={"embed_batch": 2}
    )  # write batches of 16 chunks: several for six documents
    wb = Workbench(settings, embedder=FakeEmbedder())
    calls = {"n": 0}
    original = Store.add_chunks

    def crash_on_third_batch(self: Store, items: Sequence[tuple[Document, Chunk]], vectors: Vectors) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # in the second write batch: the first batch's documents are complete
            original(self, items, vectors)  # some chunks of these documents are written…
            raise KeyboardInterrupt  # …and then the process is stopped
        original(self, items, vectors)

    monkeypatch.setattr(Store, "add_chunks", crash_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        wb.ingest([samples])
    monkeypatch.setattr(Store, "add_chunks", original)

    survivor = Workbench(settings, embedder=FakeEmbedder())
    complete = survivor.list_documents()
    assert 0 < len(complete) < N_SAMPLES
    assert all(h.doc_id in {d.doc_id for d in complete} for h in survivor.search("党员", k=20))

    report = survivor.ingest([samples])
    assert report.added == N_SAMPLES - len(complete)
    docs = survivor.list_documents()
    assert len(docs) == N_SAMPLES
    assert survivor.store.chunk_count() == sum(d.chunks for d in docs)  # no orphan chunks left


def test_a_failed_ingest_leaves_the_store_as_it_was(wb: Workbench, samples: Path, tmp_path: Path) -> None:
    wb.ingest([samples])
    before = _state(wb)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_bytes(b"")
    (bad / "b.docx").write_bytes(b"junk")
    report = wb.ingest([bad])
    assert len(report.errors) == 2
    assert _state(wb) == before


def test_second_writer_is_refused(wb: Workbench, samples: Path, settings: Settings) -> None:
    wb.ingest([samples])
    with FileLock(str(settings.lock_path)), pytest.raises(StoreBusyError) as info:
        Workbench(settings, embedder=FakeEmbedder()).ingest([samples])
    assert "另一个进程" in info.value.message
    assert Workbench(settings, embedder=FakeEmbedder()).search("党员")  # reading is always allowed


class OtherEmbedder(FakeEmbedder):
    name = "other"


def test_changing_the_embedder_of_a_store_is_refused(
    wb: Workbench, samples: Path, settings: Settings
) -> None:
    wb.ingest([samples])
    with pytest.raises(EmbedderMismatchError) as info:
        Workbench(settings, embedder=OtherEmbedder()).search("党员")
    assert "fake" in info.value.hint


def test_an_empty_store_may_switch_embedder(settings: Settings, samples: Path) -> None:
    Workbench(settings, embedder=FakeEmbedder()).list_documents()
    other = Workbench(settings, embedder=OtherEmbedder(dim=64))
    assert other.ingest([samples]).added == N_SAMPLES


def test_remove_by_id_prefix_and_path(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    docs = wb.list_documents()
    assert wb.remove(docs[0].doc_id[:8]) == 1
    assert wb.remove(docs[1].path) == 1
    assert len(wb.list_documents()) == N_SAMPLES - 2
    assert all(h.doc_id not in (docs[0].doc_id, docs[1].doc_id) for h in wb.search("工作", k=30))
    with pytest.raises(NotFoundError):
        wb.remove("no-such-document")


def test_search_filters_and_shape(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    hits = wb.search("主题党日 入党誓词", k=3)
    assert hits[0].title == "明川区教育局机关党支部主题党日活动简报"
    assert len(hits) <= 3 and hits == sorted(hits, key=lambda h: -h.score)
    assert all(h.type == "工作要点" for h in wb.search("教师", k=10, type="工作要点"))
    assert all(h.date.startswith("2023") for h in wb.search("教师", k=10, year=2023))
    assert {h.title for h in wb.search("教师", k=10, unit="云溪县教育局")} == {"云溪县教育局2024年工作要点"}
    assert wb.search("教师", year=1999) == []
    with pytest.raises(InputError):
        wb.search("   ")
    with pytest.raises(InputError):
        wb.search("教师", type="通知")


def test_near_duplicate_hits_are_collapsed(wb: Workbench, tmp_path: Path) -> None:
    body = "全校开展校园安全隐患排查整治，重点做好防溺水和交通安全工作，排查隐患十二处并全部整改到位。"
    (tmp_path / "a.txt").write_text(f"甲校安全工作简报\n{body}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"乙校安全工作简报\n{body}。", encoding="utf-8")
    wb.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    texts = [h.text for h in wb.search("防溺水 隐患排查", k=5)]
    assert sum(body[:20] in t for t in texts) == 1


def test_document_text_round_trips(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples])
    doc = next(d for d in wb.list_documents() if d.type == "工作要点")
    text = wb.document_text(doc.doc_id)
    assert text.startswith("云溪县教育局2024年工作要点") and "新增学位1800个" in text


def test_keyword_cache_survives_a_new_process(wb: Workbench, samples: Path, settings: Settings) -> None:
    wb.ingest([samples])
    assert (settings.keyword_dir / "tokens.json.gz").is_file()
    fresh = Workbench(settings, embedder=FakeEmbedder())
    assert fresh.search("体检率", k=1, mode="keyword")[0].title.startswith("松林镇中心幼儿园")
    (settings.keyword_dir / "tokens.json.gz").write_bytes(b"corrupt")  # only a cache: rebuilt from Chroma
    again = Workbench(settings, embedder=FakeEmbedder())
    assert again.search("体检率", k=1, mode="keyword")[0].title.startswith("松林镇中心幼儿园")


def test_fake_embedder_is_deterministic_and_normalised() -> None:
    a = FakeEmbedder().embed_passages(["党员大会", "体检率"])
    b = FakeEmbedder().embed_passages(["党员大会", "体检率"])
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert FakeEmbedder().embed_query("党员大会") @ a[0] > FakeEmbedder().embed_query("党员大会") @ a[1]


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "a/b/报告.docx", ".hidden.md", "名 称?.txt", ""])
def test_uploads_never_leave_the_upload_dir(wb: Workbench, tmp_path: Path, name: str) -> None:
    src = tmp_path / "src.txt"
    src.write_text("内容", encoding="utf-8")
    saved = wb.save_upload(src, name)
    assert saved.parent == (wb.settings.home / "uploads").resolve()
    assert saved.read_text(encoding="utf-8") == "内容" and not saved.name.startswith(".")
    other = tmp_path / "other.txt"
    other.write_text("不同内容", encoding="utf-8")
    assert wb.save_upload(other, saved.name) != saved  # a different file never overwrites an upload


def test_identical_uploads_at_once_never_see_a_half_written_file(wb: Workbench, tmp_path: Path) -> None:
    src = tmp_path / "同一份.txt"
    src.write_text("内容" * 200_000, encoding="utf-8")  # 1.2 MB: a copy takes a while
    first = wb.save_upload(src)
    before = first.stat().st_ino
    # The same file again (two users, one Gradio temp path) keeps the one already there, untouched.
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda _: wb.save_upload(src), range(8)))
    assert set(again) == {first} and first.stat().st_ino == before
    assert first.read_bytes() == src.read_bytes()
    assert not [p for p in first.parent.iterdir() if p.name.endswith(".part")]


def test_a_zip_upload_becomes_a_folder_to_ingest(wb: Workbench, samples: Path, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "往年报告.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(samples.iterdir()):
            zf.write(path, f"2023/{path.name}")
        zf.writestr("说明.jpg", b"\xff\xd8")
    folder = wb.save_upload(archive)
    assert folder.is_dir() and folder.parent == (wb.settings.home / "uploads").resolve()
    report = wb.ingest([folder])
    assert report.added == N_SAMPLES and len(report.skipped) == 1


def test_a_zip_slip_is_refused(wb: Workbench, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escaped.txt", "内容")
    with pytest.raises(InputError, match="指向外部"):
        wb.save_upload(archive)
    assert not (wb.settings.home / "escaped.txt").exists()
