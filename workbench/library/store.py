"""Chroma behind a small class: chunk vectors plus one record per document.

A document becomes visible only when its record says ``complete``. Ingest writes the record as ``pending``,
then its chunks, then flips it to ``complete``; a crash in between leaves a pending record that the next
writer deletes with its chunks, so a killed run never leaves half a document. The same code runs on the
embedded ``PersistentClient`` and on a Chroma server (``WORKBENCH_CHROMA_URL``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ..backends.embed import Vectors
from ..config import Settings
from ..errors import EmbedderMismatchError, StoreBusyError, StoreError
from ..types import Chunk, Document, DocumentInfo

CHUNKS = "wb_chunks"
DOCS = "wb_docs"
Where = dict[str, Any]


@dataclass
class DocRecord:
    """The manifest entry of one document. ``files`` maps a path to its (size, mtime_ns) when ingested."""

    doc_id: str
    title: str
    type: str
    unit: str
    date: str
    chunks: int
    status: str
    files: dict[str, list[int]] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "type": self.type,
            "unit": self.unit,
            "date": self.date,
            "year": int(self.date[:4]) if self.date[:4].isdigit() else -1,
            "chunks": self.chunks,
            "status": self.status,
            "files": json.dumps(self.files, ensure_ascii=False),
        }

    @classmethod
    def from_metadata(cls, doc_id: str, meta: dict[str, Any]) -> DocRecord:
        return cls(
            doc_id=doc_id,
            title=str(meta.get("title", "")),
            type=str(meta.get("type", "其他")),
            unit=str(meta.get("unit", "")),
            date=str(meta.get("date", "")),
            chunks=int(meta.get("chunks", 0)),
            status=str(meta.get("status", "pending")),
            files=json.loads(str(meta.get("files", "{}"))),
        )

    def info(self) -> DocumentInfo:
        paths = tuple(sorted(self.files))
        return DocumentInfo(
            self.doc_id,
            self.title,
            paths[0] if paths else "",
            self.type,
            self.unit,
            self.date,
            self.chunks,
            paths,
        )


def build_where(type: str | None = None, year: int | None = None, unit: str | None = None) -> Where | None:
    """A Chroma ``where`` clause for the metadata filters that are set."""
    clauses: list[Where] = []
    if type:
        clauses.append({"type": type})
    if year is not None:
        clauses.append({"year": int(year)})
    if unit:
        clauses.append({"unit": unit})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)  # documents never leave the machine
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise StoreError(
                    f"Chroma 服务器地址无效：{settings.chroma_url}", "格式如 http://127.0.0.1:8000"
                )
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "cannot open the store"
        where = settings.chroma_url or str(settings.chroma_dir)
        raise StoreError(f"无法打开向量库 {where}：{exc}") from exc


class Store:
    """Chunks and document records in Chroma; vectors always come from our own embedder."""

    def __init__(self, settings: Settings, embedder_name: str, dim: int) -> None:
        self.settings = settings
        self._client = _client(settings)
        # embedding_function=None: Chroma's default would download a model; we always pass vectors.
        self._chunks = self._client.get_or_create_collection(
            CHUNKS,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "embedder": embedder_name, "dim": dim},
        )
        self._docs = self._client.get_or_create_collection(DOCS, embedding_function=None)
        stored = (self._chunks.metadata or {}).get("embedder")
        if stored and stored != embedder_name:
            if self._chunks.count() or self._docs.count():
                raise EmbedderMismatchError(
                    f"该库是用嵌入模型 {stored} 建立的，当前设置为 {embedder_name}；不同模型的向量不能混用",
                    f"改回 WORKBENCH_EMBEDDER={stored}，或用 --store 新建一个库后重新导入。",
                )
            self._client.delete_collection(CHUNKS)
            self._chunks = self._client.create_collection(
                CHUNKS,
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "embedder": embedder_name, "dim": dim},
            )
        self._batch = int(self._client.get_max_batch_size())

    # -- writing ---------------------------------------------------------------------------------
    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time per store; a second one fails at once with a clear message."""
        from filelock import FileLock, Timeout

        self.settings.home.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.settings.lock_path), timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise StoreBusyError(f"库 {self.settings.home} 正在被另一个进程写入") from exc
        try:
            yield
        finally:
            lock.release()

    def put_records(self, records: Sequence[DocRecord]) -> None:
        """Write document records; one call, because each embedded Chroma write costs a commit (~40 ms)."""
        if records:
            self._docs.upsert(
                ids=[r.doc_id for r in records],
                embeddings=[[1.0]] * len(records),
                metadatas=[r.metadata() for r in records],
            )

    def add_chunks(self, items: Sequence[tuple[Document, Chunk]], vectors: Vectors) -> None:
        """Write chunks of one or more documents with their vectors, in as few calls as Chroma allows."""
        for start in range(0, len(items), self._batch):
            part = items[start : start + self._batch]
            self._chunks.upsert(
                ids=[c.chunk_id for _, c in part],
                embeddings=np.asarray(vectors[start : start + len(part)], dtype=np.float32),
                documents=[c.text for _, c in part],
                metadatas=[
                    {
                        "doc_id": doc.doc_id,
                        "index": c.index,
                        "heading": c.heading_path,
                        "title": doc.title,
                        "type": doc.type,
                        "unit": doc.unit,
                        "date": doc.date,
                        "year": doc.year if doc.year is not None else -1,
                        "path": doc.path,
                    }
                    for doc, c in part
                ],
            )

    def delete_document(self, doc_id: str) -> None:
        """Chunks first, record last: an interrupted delete leaves a record the next run can finish."""
        self._chunks.delete(where={"doc_id": doc_id})
        self._docs.delete(ids=[doc_id])

    def recover(self) -> list[str]:
        """Delete what a killed writer left half-done; returns the doc ids cleaned up."""
        stale = [r.doc_id for r in self.records(include_pending=True).values() if r.status != "complete"]
        for doc_id in stale:
            self.delete_document(doc_id)
        return stale

    # -- reading ---------------------------------------------------------------------------------
    def records(self, include_pending: bool = False) -> dict[str, DocRecord]:
        got = self._docs.get(include=["metadatas"])
        out = {}
        for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            record = DocRecord.from_metadata(doc_id, dict(meta or {}))
            if include_pending or record.status == "complete":
                out[doc_id] = record
        return out

    def record_count(self) -> int:
        return int(self._docs.count())

    def chunk_count(self) -> int:
        return int(self._chunks.count())

    def chunks_of(self, doc_ids: Sequence[str]) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """(ids, texts, metadatas) of every chunk of these documents."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for start in range(0, len(doc_ids), 100):
            part = list(doc_ids[start : start + 100])
            where: Where = {"doc_id": part[0]} if len(part) == 1 else {"doc_id": {"$in": part}}
            got = self._chunks.get(where=where, include=["documents", "metadatas"])
            ids.extend(got["ids"])
            texts.extend(got["documents"] or [])
            metas.extend(dict(m or {}) for m in got["metadatas"] or [])
        return ids, texts, metas

    def document_text(self, doc_id: str) -> str:
        """The whole cleaned text of a document, rebuilt from its chunks in order ("" when unknown)."""
        _, texts, metas = self.chunks_of([doc_id])
        ordered = sorted(zip(metas, texts, strict=True), key=lambda mt: int(mt[0].get("index", 0)))
        return "\n".join(text for _, text in ordered)

    def get_chunks(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        if not chunk_ids:
            return {}
        got = self._chunks.get(ids=list(chunk_ids), include=["documents", "metadatas"])
        return {
            cid: (text, dict(meta or {}))
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False
            )
        }

    def query(self, vector: Vectors, n: int, where: Where | None) -> list[tuple[str, str, dict[str, Any]]]:
        """Nearest chunks as (id, text, metadata), best first."""
        total = self.chunk_count()
        if total == 0:
            return []
        got = self._chunks.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=min(n, total),
            where=where,
            include=["documents", "metadatas"],
        )
        return [
            (cid, text, dict(meta or {}))
            for cid, text, meta in zip(
                got["ids"][0], (got["documents"] or [[]])[0], (got["metadatas"] or [[]])[0], strict=False
            )
        ]
