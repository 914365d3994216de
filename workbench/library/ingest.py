"""Ingest: walk paths, skip what is unchanged, add or replace documents one atomic step at a time."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..backends.embed import Embedder
from ..errors import InputError
from ..types import EVERYONE, Chunk, Document, IngestReport, Viewer
from .chunking import chunk_text
from .documents import content_id, has_words, load_document
from .reading import is_supported
from .store import DocRecord, Store
from .uploads import MANIFEST, skipped_members

Progress = Callable[[Iterable[Path], int], Iterable[Path]]


@dataclass(frozen=True)
class Walk:
    files: list[Path]
    roots: list[Path]  # folders given: a document whose file vanished from one of them is removed
    skipped: list[dict[str, str]]
    errors: list[dict[str, str]]


def walk(paths: Iterable[Path]) -> Walk:
    """Supported files under the given paths (folders recursively), sorted, each once."""
    files: dict[Path, None] = {}
    roots: list[Path] = []
    skipped: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            roots.append(path.resolve())
            for item in sorted(path.rglob("*")):
                hidden = [part.startswith(".") for part in item.relative_to(path).parts]
                if item.name == MANIFEST and not any(hidden[:-1]):
                    skipped.extend(skipped_members(item.parent))  # an unpacked zip's left-out members
                elif item.is_file() and not any(hidden):
                    if is_supported(item):
                        files[item.resolve()] = None
                    else:
                        skipped.append({"path": str(item), "reason": "unsupported type"})
        elif path.is_file():
            if is_supported(path):
                files[path.resolve()] = None
            else:
                skipped.append({"path": str(path), "reason": "unsupported type"})
        else:
            errors.append(
                {"path": str(path), "error": "路径不存在", "hint": "检查路径拼写；文件夹会被递归导入。"}
            )
    return Walk(list(files), roots, skipped, errors)


def _searchable(chunks: list[Chunk]) -> list[Chunk]:
    """Chunks with words in them, numbered again from 0: an empty chunk is noise in both indexes."""
    kept = [c for c in chunks if has_words(c.text)]
    if len(kept) == len(chunks):
        return chunks
    return [Chunk(c.doc_id, i, c.text, c.heading) for i, c in enumerate(kept)]


def _signature(path: Path) -> list[int]:
    st = path.stat()
    return [int(st.st_size), int(st.st_mtime_ns)]


def embed_inputs(doc: Document, texts: Iterable[tuple[str, str]]) -> list[str]:
    """What the embedder sees for each (heading, text): the title and heading give a chunk its context."""
    return [f"{doc.title}\n{heading}\n{text}".strip() for heading, text in texts]


@dataclass
class _Pending:
    """A new document waiting in the write buffer."""

    doc: Document
    chunks: list[Chunk]
    files: dict[str, list[int]]
    replaces: dict[str, str]  # path -> the document that path held before


class Ingester:
    """One ingest run against an open store, holding the write lock.

    New documents are buffered and written together: one upsert of pending records, the chunks, one upsert
    of complete records. Each embedded Chroma write costs a commit, so this keeps ingest close to the
    embedder's own speed, while each document still becomes visible only through its complete record.
    """

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        chunk_tokens: int,
        max_bytes: int,
        batch: int,
        flush_chunks: int = 256,
        owner: Viewer | None = None,
        visibility: str = EVERYONE,
    ) -> None:
        self.store = store
        self.owner = owner  # None: the site library
        self.visibility = visibility if owner is not None else EVERYONE
        self.embedder = embedder
        self.chunk_tokens = chunk_tokens
        self.max_bytes = max_bytes
        self.batch = batch
        self.flush_chunks = flush_chunks
        self.records = store.records()
        self.by_path = {p: r.doc_id for r in self.records.values() for p in r.files}
        self.buffer: dict[str, _Pending] = {}

    def flush(self, report: IngestReport) -> None:
        """pending records → chunks → complete records for everything buffered."""
        if not self.buffer:
            return
        pending = list(self.buffer.values())
        records = [
            DocRecord(
                p.doc.doc_id,
                p.doc.title,
                p.doc.type,
                p.doc.unit,
                p.doc.date,
                len(p.chunks),
                "pending",
                p.files,
                p.doc.owner,
                p.doc.owner_unit,
                p.doc.visibility,
            )
            for p in pending
        ]
        self.store.put_records(records)
        items = [(p.doc, c) for p in pending for c in p.chunks]
        inputs = [
            text
            for p in pending
            for text in embed_inputs(p.doc, ((c.heading_path, c.text) for c in p.chunks))
        ]
        vectors = [
            self.embedder.embed_passages(inputs[i : i + self.batch]) for i in range(0, len(items), self.batch)
        ]
        self.store.add_chunks(
            items, np.concatenate(vectors) if vectors else np.zeros((0, self.embedder.dim), np.float32)
        )
        for record in records:
            record.status = "complete"
        self.store.put_records(records)
        for p, record in zip(pending, records, strict=True):
            self.records[record.doc_id] = record
            for path in p.files:
                self.by_path[path] = record.doc_id
            for path, old in p.replaces.items():
                self.detach(path, old)
            if p.replaces:
                report.updated += 1
            else:
                report.added += 1
        report.chunks += len(items)
        self.buffer.clear()

    def detach(self, path: str, old: str) -> bool:
        """Forget that ``path`` held document ``old``; a document left with no file is deleted."""
        record = self.records.get(old)
        if record is None or path not in record.files:
            return False
        record.files.pop(path)
        if self.by_path.get(path) == old:
            del self.by_path[path]
        if record.files:
            self.store.put_records([record])
            return False
        self.store.delete_document(old)
        del self.records[old]
        return True

    def ingest_file(self, path: Path, report: IngestReport) -> None:
        key = str(path)
        signature = _signature(path)
        known = self.by_path.get(key)
        if known is not None and self.records[known].files.get(key) == signature:
            report.unchanged += 1
            return
        doc = self.owned(load_document(path, self.max_bytes))
        if doc.doc_id in self.buffer:  # the same content twice in one run
            self.buffer[doc.doc_id].files[key] = signature
            report.unchanged += 1
            return
        if doc.doc_id in self.records:  # same content already stored (maybe under another path)
            record = self.records[doc.doc_id]
            record.files[key] = signature
            self.store.put_records([record])
            self.by_path[key] = doc.doc_id
            if known is not None and known != doc.doc_id:
                self.detach(key, known)
                report.updated += 1
            else:
                report.unchanged += 1
            return
        chunks = _searchable(chunk_text(doc.doc_id, doc.text, self.chunk_tokens))
        if not chunks:
            raise InputError(
                f"{path.name}：清理后没有可用的正文", "请确认文件里有报告正文，而不只是符号或空白。"
            )
        replaces = {key: known} if known is not None else {}
        self.buffer[doc.doc_id] = _Pending(doc, chunks, {key: signature}, replaces)
        if sum(len(p.chunks) for p in self.buffer.values()) >= self.flush_chunks:
            self.flush(report)

    def owned(self, doc: Document) -> Document:
        """The document as its owner's: a user's copy of a text is their own document (its id includes the
        owner), so two users uploading the same report each keep theirs and neither sees the other's."""
        if self.owner is None:
            return doc
        return replace(
            doc,
            doc_id=content_id(f"{self.owner.user}\n{doc.doc_id}"),
            owner=self.owner.user,
            owner_unit=self.owner.unit,
            visibility=self.visibility,
        )

    def prune(self, roots: list[Path], report: IngestReport) -> None:
        """Documents whose files were deleted from a re-ingested folder leave the library too."""
        for path in list(self.by_path):
            gone = any(Path(path).is_relative_to(root) for root in roots) and not os.path.exists(path)
            if gone and self.detach(path, self.by_path[path]):
                report.removed += 1

    def run(self, walked: Walk, progress: Progress | None = None) -> IngestReport:
        report = IngestReport(errors=list(walked.errors), skipped=list(walked.skipped))
        files: Iterable[Path] = progress(walked.files, len(walked.files)) if progress else walked.files
        for path in files:
            try:
                self.ingest_file(path, report)
            except InputError as exc:
                report.errors.append({"path": str(path), "error": exc.message, "hint": exc.hint})
            except OSError as exc:
                report.errors.append(
                    {"path": str(path), "error": f"无法读取：{exc.strerror}", "hint": "检查文件权限。"}
                )
        self.flush(report)
        self.prune(walked.roots, report)
        return report
