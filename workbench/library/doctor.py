"""``workbench doctor``: check records, chunks, vectors and the keyword cache; rebuild what can be rebuilt.

Chroma keeps every chunk's text and metadata in SQLite and the vectors in a separate index folder, so a lost
or damaged index is re-embedded from the stored texts. What cannot come back is a record or text that is gone
from SQLite itself: the doctor says which, and removes half-documents so that a re-import adds them again.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..backends.embed import Embedder
from ..config import Settings
from ..errors import StoreError
from ..types import Document
from .ingest import embed_inputs
from .manifest import Manifest, read_manifest
from .store import CHUNKS, DOCS, DocRecord, Dump, Store

# The keyword cache lives a stage above (search/); the façade passes its check in.
KeywordDoctor = Callable[[Store, bool], tuple[list[str], list[str]]]

_ROWS = """
SELECT e.embedding_id, m.key, m.string_value, m.int_value, m.float_value, m.bool_value
FROM collections c
JOIN segments s ON s.collection = c.id AND s.scope = 'METADATA'
JOIN embeddings e ON e.segment_id = s.id
LEFT JOIN embedding_metadata m ON m.id = e.id
WHERE c.name = ?
ORDER BY e.id
"""


@dataclass
class Diagnosis:
    """What the doctor found still wrong (``problems``) and what it rebuilt (``repaired``), in Chinese."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": list(self.problems), "repaired": list(self.repaired)}


def diagnose(
    settings: Settings, embedder: Embedder, repair: bool, keyword: KeywordDoctor | None
) -> Diagnosis:
    """Check the store (and with ``repair`` rebuild what can be rebuilt), holding the write lock."""
    store = Store(settings, embedder.name, embedder.dim, verify=False)
    try:
        with store.write_lock():
            return _Doctor(store, embedder, settings.embed_batch, repair).run(keyword)
    finally:
        store.close()


def sqlite_dump(chroma_dir: Path, name: str) -> Dump:
    """A collection's ids, texts and metadata read straight from Chroma's SQLite file, read-only.

    A damaged vector index makes Chroma refuse every read of its collection, texts included, while the
    texts themselves are intact in SQLite; this is the way to them."""
    path = chroma_dir / "chroma.sqlite3"
    if not path.is_file():
        raise StoreError(f"向量库数据库 {path} 不存在")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(_ROWS, (name,)).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(f"无法读取向量库数据库 {path}：{exc}") from exc
    metas: dict[str, dict[str, Any]] = {}
    texts: dict[str, str] = {}
    for eid, key, string, integer, real, flag in rows:
        meta = metas.setdefault(str(eid), {})
        if key == "chroma:document":
            texts[str(eid)] = str(string or "")
        elif key is not None and not key.startswith("chroma:"):
            meta[key] = next((v for v in (string, integer, real) if v is not None), bool(flag))
    ids = list(metas)
    return ids, [texts.get(i, "") for i in ids], [metas[i] for i in ids]


class _Doctor:
    """One run: each check reports a problem, or with ``repair`` fixes it and says what it did."""

    def __init__(self, store: Store, embedder: Embedder, batch: int, repair: bool) -> None:
        self.store, self.embedder, self.batch, self.repair = store, embedder, batch, repair
        self.out = Diagnosis()
        self.unreadable = ""  # why Chroma refuses to read the chunks ("" when it reads them)

    def run(self, keyword: KeywordDoctor | None) -> Diagnosis:
        manifest, manifest_error = None, ""
        try:
            manifest = read_manifest(self.store.settings.home)
        except StoreError as exc:
            manifest_error = exc.message
        records = self.read_records()
        if records is None:
            self.out.problems[:0] = [manifest_error] if manifest_error else []
            return self.out  # nothing else can be judged without the records
        ids, texts, metas = self.read_chunks()
        complete = {d: r for d, r in records.items() if r.status == "complete"}
        pending = [d for d, r in records.items() if r.status != "complete"]
        per_doc = Counter(str(m.get("doc_id", "")) for m in metas)
        broken = sorted((r for d, r in complete.items() if per_doc[d] != r.chunks), key=lambda r: r.doc_id)
        orphans = [cid for cid, m in zip(ids, metas, strict=True) if str(m.get("doc_id", "")) not in records]
        if manifest is not None and manifest.writing and not pending:
            self.report("上次写入被中断（库清单仍标记为写入中）", "已确认中断的写入没有留下未完成的文档")
        self.check_counts(manifest, len(records), len(ids), explained=bool(broken or orphans or pending))
        self.check_vectors((ids, texts, metas), set(complete) - {r.doc_id for r in broken})
        self.clean_up(pending, orphans, broken)
        self.out.documents = len(complete) - (len(broken) if self.repair else 0)
        self.out.chunks = len(ids) if self.unreadable else self.store.chunk_count()
        if keyword is not None:
            self.check_keyword(keyword)
        if manifest_error:
            self.report(manifest_error, "已按向量库的现状重写库清单")
        if self.repair or (manifest is None and not manifest_error and self.out.ok):
            self.store.commit(force=True)  # the manifest now describes the store as it is
        return self.out

    def report(self, problem: str, repaired: str) -> None:
        """A problem that ``repair`` fixes (the caller has fixed it when ``self.repair``)."""
        if self.repair:
            self.out.repaired.append(repaired)
        else:
            self.out.problems.append(problem)

    def read_records(self) -> dict[str, DocRecord] | None:
        try:
            return self.store.records(include_pending=True)
        except StoreError as exc:
            error = exc.message
        try:
            dump = sqlite_dump(self.store.settings.chroma_dir, DOCS)
        except StoreError as exc:
            self.out.problems.append(f"文档记录无法读取：{error}；{exc.message}；请重新导入原文件")
            return None
        if self.repair:
            self.store.replace_collection(False, dump, None)
        self.report(f"文档记录无法读取：{error}", f"已从数据库重建文档记录（{len(dump[0])} 篇）")
        return {d: DocRecord.from_metadata(d, m) for d, m in zip(dump[0], dump[2], strict=True)}

    def read_chunks(self) -> Dump:
        try:
            return self.store.dump(chunks=True)
        except StoreError as exc:
            self.unreadable = exc.message
            return sqlite_dump(self.store.settings.chroma_dir, CHUNKS)

    def check_counts(self, manifest: Manifest | None, documents: int, chunks: int, explained: bool) -> None:
        if manifest is None or manifest.writing or self.store.settings.chroma_url:
            return  # a shared Chroma server is written by other machines too: this home's counts are not its
        actual = f"清单记录 {manifest.documents} 篇、{manifest.chunks} 个片段，实际 {documents} 篇、{chunks} 个片段"
        if documents < manifest.documents:
            lost = manifest.documents - documents
            self.out.problems.append(
                f"向量库缺失或损坏：{actual}；{lost} 篇文档连同记录一起丢失，无法修复，请重新导入原文件"
                + ("（清单已按现状更新）" if self.repair else "")
            )
        elif (documents, chunks) != (manifest.documents, manifest.chunks) and not explained:
            self.report(f"库清单与向量库不一致：{actual}", f"已按向量库的现状重写库清单（{actual}）")

    def check_vectors(self, dump: Dump, keep: set[str]) -> None:
        found = 0
        if not self.unreadable:
            try:
                found = self.store.indexed(len(dump[0]))
            except StoreError as exc:
                self.unreadable = exc.message
        if not self.unreadable and found >= len(dump[0]):
            return
        text = (
            f"向量索引无法读取：{self.unreadable}"
            if self.unreadable
            else f"向量索引缺失或损坏：{len(dump[0])} 个片段中向量检索只能找到 {found} 个"
        )
        if self.repair:
            rebuilt = self.reembed(dump, keep)
            self.unreadable = ""
            text += f"；已用嵌入模型 {self.embedder.name} 重新嵌入 {rebuilt} 个片段，重建向量索引"
        self.report(text, text)

    def reembed(self, dump: Dump, keep: set[str]) -> int:
        """Recreate the chunk collection from the stored texts, with the chunks of complete documents only."""
        rows = [
            (cid, text, meta)
            for cid, text, meta in zip(dump[0], dump[1] or [], dump[2], strict=True)
            if str(meta.get("doc_id", "")) in keep
        ]
        passages = [
            embed_inputs(
                Document(str(m.get("doc_id", "")), "", str(m.get("title", "")), "", "", "", ""),
                [(str(m.get("heading", "")), t)],
            )[0]
            for _, t, m in rows
        ]
        parts = [
            self.embedder.embed_passages(passages[i : i + self.batch])
            for i in range(0, len(rows), self.batch)
        ]
        vectors = np.concatenate(parts) if parts else np.zeros((0, self.embedder.dim), np.float32)
        self.store.replace_collection(
            True, ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]), vectors
        )
        return len(rows)

    def clean_up(self, pending: list[str], orphans: list[str], broken: list[DocRecord]) -> None:
        """Half-written documents, chunks no record owns, records whose chunks are gone."""
        if self.repair:  # by now the vector index is readable again, or reembed raised
            for doc_id in pending + [r.doc_id for r in broken]:
                self.store.delete_document(doc_id)
            if orphans:
                self.store.delete_chunks(orphans)
        if pending:
            self.report(
                f"{len(pending)} 篇文档的写入未完成（导入时被中断）", f"已删除 {len(pending)} 篇未完成的文档"
            )
        if orphans:
            self.report(
                f"{len(orphans)} 个片段不属于任何文档", f"已删除 {len(orphans)} 个不属于任何文档的片段"
            )
        if broken:
            paths = "、".join(r.info().path or r.title or r.doc_id for r in broken[:10])
            paths += f" 等 {len(broken)} 篇" if len(broken) > 10 else ""
            self.out.problems.append(
                f"{len(broken)} 篇文档的片段缺失，已移除其记录，请重新导入原文件：{paths}"
                if self.repair
                else f"{len(broken)} 篇文档的片段缺失，无法修复，请重新导入原文件：{paths}"
                "（--repair 会先移除这些记录，否则重新导入会把它们当作未变）"
            )

    def check_keyword(self, keyword: KeywordDoctor) -> None:
        try:
            found, done = keyword(self.store, self.repair)
        except StoreError as exc:  # the chunks cannot be read until the vectors are repaired
            found, done = [f"关键词缓存无法检查：{exc.message}"], []
        self.out.problems += found
        self.out.repaired += done
