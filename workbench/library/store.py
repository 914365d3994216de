"""Chroma behind a small class: chunk vectors plus one record per document.

A document becomes visible only when its record says ``complete``. Ingest writes the record as ``pending``,
then its chunks, then flips it to ``complete``; a crash in between leaves a pending record that the next
writer deletes with its chunks, so a killed run never leaves half a document. The same code runs on the
embedded ``PersistentClient`` and on a Chroma server (``WORKBENCH_CHROMA_URL``).

Every writer ends with a commit of ``manifest.json`` (see ``manifest.py``); every open compares Chroma with it
and with its own vector index, so a lost database or index folder is an error that names the loss, not an
empty or quietly partial library. Chroma's own exceptions never leave this module raw.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import numpy as np

from ..backends.embed import Vectors
from ..config import Settings
from ..errors import EmbedderMismatchError, StoreBusyError, StoreError
from ..types import Chunk, Document
from .chroma import Where, open_client
from .chroma import build_where as build_where  # re-exported: search imports it from here
from .manifest import REPAIR_HINT, Manifest, chroma_errors, loss, read_manifest, read_stamp, write_manifest
from .records import DocRecord as DocRecord  # re-exported: ingest and drafting import it from here

CHUNKS = "wb_chunks"
DOCS = "wb_docs"
REBUILD = "_rebuild"  # suffix of a collection the doctor is rebuilding; swapped in when complete
VERIFY_LIMIT = 20_000  # chunks an open asks the vector index for (~80 ms at 18,000); beyond, a sample
Dump = tuple[list[str], list[str] | None, list[dict[str, Any]]]  # ids, documents, metadatas


class Store:
    """Chunks and document records in Chroma; vectors always come from our own embedder.

    ``verify=False`` opens a damaged store as it is (for the doctor); every other open checks it first.
    """

    def __init__(self, settings: Settings, embedder_name: str, dim: int, verify: bool = True) -> None:
        self.settings = settings
        self.embedder_name = embedder_name
        self.dim = dim
        self._client = open_client(settings)
        self._dirty = False  # written since the last commit
        self._writing = False  # the manifest says a write is under way
        with chroma_errors("打开向量库"):
            self._open_collections()
            self._batch = int(self._client.get_max_batch_size())
        if verify:
            self.verify()

    def _chunk_meta(self) -> dict[str, Any]:
        return {"hnsw:space": "cosine", "embedder": self.embedder_name, "dim": self.dim}

    def _open_collections(self) -> None:
        names = {c.name for c in self._client.list_collections()}
        for name in (CHUNKS, DOCS):  # a repair that was stopped: keep the old one, or finish the swap
            if name + REBUILD in names and name in names:
                self._client.delete_collection(name + REBUILD)
            elif name + REBUILD in names:
                self._client.get_collection(name + REBUILD, embedding_function=None).modify(name=name)
        # embedding_function=None: Chroma's default would download a model; we always pass vectors.
        self._chunks = self._client.get_or_create_collection(
            CHUNKS, embedding_function=None, metadata=self._chunk_meta()
        )
        self._docs = self._client.get_or_create_collection(DOCS, embedding_function=None)
        stored = (self._chunks.metadata or {}).get("embedder")
        if stored and stored != self.embedder_name:
            if self._chunks.count() or self._docs.count():
                raise EmbedderMismatchError(
                    f"该库是用嵌入模型 {stored} 建立的，当前设置为 {self.embedder_name}；不同模型的向量不能混用",
                    f"改回 WORKBENCH_EMBEDDER={stored}，或用 --store 新建一个库后重新导入。",
                )
            self._client.delete_collection(CHUNKS)
            self._chunks = self._client.create_collection(
                CHUNKS, embedding_function=None, metadata=self._chunk_meta()
            )

    def close(self) -> None:
        """Release Chroma; the last client of an embedded store stops its cached system (files are reread)."""
        self._client.close()

    # -- the manifest ----------------------------------------------------------------------------
    def verify(self) -> None:
        """Raise ``StoreError`` naming the loss when Chroma holds less than the manifest or its index lost
        vectors. A store from an older version, which has no manifest, gets one instead."""
        manifest = read_manifest(self.settings.home)
        documents, chunks = self.record_count(), self.chunk_count()
        want = min(chunks, VERIFY_LIMIT)
        indexed = self.indexed(want)
        if manifest is not None and manifest.writing:
            return  # a writer is at work (or was killed): counts are moving; its commit or doctor settles them
        # A Chroma server may be shared by several machines, each with its own home: counts are not ours.
        problem = "" if manifest is None or self.settings.chroma_url else loss(manifest, documents, chunks)
        if problem:
            raise StoreError(problem, REPAIR_HINT)
        if indexed < want:
            raise StoreError(
                f"向量索引缺失或损坏：库中有 {chunks} 个片段，向量检索只能找到其中 {indexed} 个", REPAIR_HINT
            )
        if manifest is None:
            with suppress(OSError):  # a read-only library still opens; it just keeps no manifest
                self._write_manifest(writing=False)

    def indexed(self, n: int) -> int:
        """How many of ``n`` requested neighbours the vector index returns; fewer means it lost vectors."""
        if n <= 0:
            return 0
        probe = np.full((1, self.dim), self.dim**-0.5, dtype=np.float32)
        with chroma_errors("检查向量索引"):
            got = self._chunks.query(query_embeddings=probe, n_results=n, include=[])
        return len(got["ids"][0])

    def _write_manifest(self, writing: bool) -> None:
        try:
            documents, chunks = self.record_count(), self.chunk_count()
        except StoreError:
            if not writing:
                raise
            documents = chunks = 0  # a damaged collection being rebuilt; readers ignore counts while writing
        write_manifest(
            self.settings.home, Manifest(self.embedder_name, self.dim, documents, chunks, writing=writing)
        )

    def _begin_write(self) -> None:
        if not self._writing:  # before Chroma changes: readers then know the counts are moving
            self._write_manifest(writing=True)
            self._writing = True
        self._dirty = True

    def commit(self, force: bool = False) -> None:
        """Publish the writes made so far: the manifest gets the new counts and a new stamp."""
        if force or self._dirty or self._writing:
            self._write_manifest(writing=False)
            self._dirty = self._writing = False

    def change_stamp(self) -> str:
        """Changes whenever any process commits to this store; cheap enough to read on every search."""
        stamp = read_stamp(self.settings.home)
        # Other machines on a shared server write no manifest here; a read-only library may have none.
        if self.settings.chroma_url or not stamp:
            stamp += f":{self.record_count()}"
        return stamp

    def catch_up(self) -> bool:
        """Reopen an embedded store whose vector index is behind its records (another process wrote to it:
        Chroma keeps the index it loaded). Returns whether it reopened."""
        if self.settings.chroma_url:
            return False
        want = min(self.chunk_count(), VERIFY_LIMIT)
        if self.indexed(want) >= want:
            return False
        self._client.close()  # the last reference stops Chroma's cached system, so the next one rereads
        self._client = open_client(self.settings)
        with chroma_errors("重新打开向量库"):
            self._open_collections()
        return True

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
            self.commit()
        except BaseException:
            # Keep the manifest true to what was written; when Chroma itself fails, the writing flag stays
            # and the doctor reports an interrupted write.
            with suppress(Exception):
                self.commit()
            raise
        finally:
            lock.release()

    def put_records(self, records: Sequence[DocRecord]) -> None:
        """Write document records; one call, because each embedded Chroma write costs a commit (~40 ms)."""
        if records:
            self._begin_write()
            with chroma_errors("写入文档记录"):
                self._docs.upsert(
                    ids=[r.doc_id for r in records],
                    embeddings=[[1.0]] * len(records),
                    metadatas=[r.metadata() for r in records],
                )

    def add_chunks(self, items: Sequence[tuple[Document, Chunk]], vectors: Vectors) -> None:
        """Write chunks of one or more documents with their vectors, in as few calls as Chroma allows."""
        if items:
            self._begin_write()
        for start in range(0, len(items), self._batch):
            part = items[start : start + self._batch]
            with chroma_errors("写入片段"):
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
                            "owner": doc.owner,
                            "owner_unit": doc.owner_unit,
                            "visibility": doc.visibility,
                        }
                        for doc, c in part
                    ],
                )

    def delete_document(self, doc_id: str) -> None:
        """Chunks first, record last: an interrupted delete leaves a record the next run can finish."""
        self._begin_write()
        with chroma_errors("删除文档"):
            self._chunks.delete(where={"doc_id": doc_id})
            self._docs.delete(ids=[doc_id])

    def set_access(self, record: DocRecord) -> None:
        """Write a record's owner fields to it and to each of its chunks (Chroma merges metadata on update).
        Chunks first: until the record changes, a failed update can simply be retried."""
        self._begin_write()
        ids, _, _ = self.chunks_of([record.doc_id])
        for start in range(0, len(ids), self._batch):
            part = ids[start : start + self._batch]
            with chroma_errors("更新片段"):
                self._chunks.update(ids=part, metadatas=[record.access()] * len(part))
        self.put_records([record])

    def delete_chunks(self, chunk_ids: Sequence[str]) -> None:
        """Delete chunks by id (the doctor's cleanup of chunks no record owns)."""
        self._begin_write()
        for start in range(0, len(chunk_ids), self._batch):
            with chroma_errors("删除片段"):
                self._chunks.delete(ids=list(chunk_ids[start : start + self._batch]))

    def recover(self) -> list[str]:
        """Delete what a killed writer left half-done; returns the doc ids cleaned up."""
        stale = [r.doc_id for r in self.records(include_pending=True).values() if r.status != "complete"]
        for doc_id in stale:
            self.delete_document(doc_id)
        return stale

    def dump(self, chunks: bool) -> Dump:
        """Every id, text and metadata of the chunk (or record) collection, read through Chroma."""
        collection = self._chunks if chunks else self._docs
        with chroma_errors("读取向量库"):
            got = collection.get(include=["documents", "metadatas"] if chunks else ["metadatas"])
        texts = [str(t or "") for t in got["documents"] or []] if chunks else None
        return list(got["ids"]), texts, [dict(m or {}) for m in got["metadatas"] or []]

    def replace_collection(self, chunks: bool, dump: Dump, vectors: Vectors | None) -> None:
        """Replace the chunk (or record) collection by a new one holding ``dump``: the doctor's rebuild.

        Written under a temporary name and swapped in at the end, so a repair stopped half-way loses nothing
        (the next open keeps the old collection, or finishes the swap)."""
        name = CHUNKS if chunks else DOCS
        ids, texts, metas = dump
        self._begin_write()
        with chroma_errors("重建向量库"):
            if name + REBUILD in {c.name for c in self._client.list_collections()}:
                self._client.delete_collection(name + REBUILD)
            new = self._client.create_collection(
                name + REBUILD, embedding_function=None, metadata=self._chunk_meta() if chunks else None
            )
            for start in range(0, len(ids), self._batch):
                end = start + self._batch
                new.upsert(
                    ids=ids[start:end],
                    embeddings=(
                        np.asarray(vectors[start:end], dtype=np.float32)
                        if vectors is not None
                        else [[1.0]] * len(ids[start:end])
                    ),
                    documents=texts[start:end] if texts is not None else None,
                    metadatas=metas[start:end] or None,
                )
            self._client.delete_collection(name)
            new.modify(name=name)
        if chunks:
            self._chunks = new
        else:
            self._docs = new

    # -- reading ---------------------------------------------------------------------------------
    def records(self, include_pending: bool = False) -> dict[str, DocRecord]:
        with chroma_errors("读取文档记录"):
            got = self._docs.get(include=["metadatas"])
        out = {}
        for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
            record = DocRecord.from_metadata(doc_id, dict(meta or {}))
            if include_pending or record.status == "complete":
                out[doc_id] = record
        return out

    def record_count(self) -> int:
        with chroma_errors("读取文档记录"):
            return int(self._docs.count())

    def chunk_count(self) -> int:
        with chroma_errors("读取片段"):
            return int(self._chunks.count())

    def chunks_of(self, doc_ids: Sequence[str]) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """(ids, texts, metadatas) of every chunk of these documents."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for start in range(0, len(doc_ids), 100):
            part = list(doc_ids[start : start + 100])
            where: Where = {"doc_id": part[0]} if len(part) == 1 else {"doc_id": {"$in": part}}
            with chroma_errors("读取片段"):
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
        with chroma_errors("读取片段"):
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
        with chroma_errors("向量检索"):
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
