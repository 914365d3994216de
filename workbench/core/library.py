"""The façade's library: ingest and uploads, list, remove, visibility, doctor, a document's text."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import AccessError, InputError, NotFoundError
from ..library.access import may_manage, may_see, parse_visibility
from ..library.doctor import Diagnosis, diagnose
from ..library.ingest import Ingester, walk
from ..library.store import DocRecord
from ..library.uploads import discard, safe_name, save
from ..search.hybrid import check_keyword_cache
from ..types import PRIVATE, DocumentInfo, IngestReport, Viewer
from .base import Facade, check_type


def _tqdm_progress(items: Iterable[Path], total: int) -> Iterable[Path]:
    from tqdm import tqdm

    # Progress goes to stderr and only to a terminal, so --json stdout and CI logs stay clean.
    bar: Iterable[Path] = tqdm(
        items, total=total, desc="导入", unit="文件", file=sys.stderr, disable=None, leave=False
    )
    return bar


class LibraryMixin(Facade):
    """Ingest, list, remove and inspect the library's documents, filtered by who asks."""

    def ingest(
        self,
        paths: Sequence[str | Path],
        progress: bool = True,
        owner: Viewer | None = None,
        visibility: str = PRIVATE,
    ) -> IngestReport:
        """Add files and folders; unchanged files cost a stat, changed ones replace their old version.
        ``owner``: the user whose documents they become, with ``visibility`` (else the site library)."""
        walked = walk(Path(p) for p in paths)
        with self._lock, self.store.write_lock():
            self.store.recover()
            ingester = Ingester(
                self.store,
                self.embedder,
                self.settings.chunk_tokens,
                self.settings.max_bytes,
                self.settings.embed_batch,
                flush_chunks=8 * self.settings.embed_batch,
                owner=owner,
                visibility=parse_visibility(visibility),
            )
            report = ingester.run(walked, _tqdm_progress if progress else None)
            self.searcher.refresh(save=True)
        return report

    def save_upload(self, source: str | Path, name: str = "", owner: Viewer | None = None) -> Path:
        """Keep an uploaded file (a zip becomes a folder) under ``home/uploads`` (a user's in a folder of their
        own, so one user's file never stands in for another's); see ``uploads.save``."""
        return save(source, self._uploads(owner), self.settings.max_bytes, name)

    def ingest_uploads(
        self, sources: Sequence[str | Path], owner: Viewer | None = None, visibility: str = PRIVATE
    ) -> IngestReport:
        """Keep uploaded files (``save_upload``) and ingest them; what did not become a document (a refused
        file, a zip's left-out members) is deleted again, so ``uploads/`` holds only the library's files."""
        saved = [self.save_upload(s, owner=owner) for s in sources]
        report = self.ingest(saved, progress=False, owner=owner, visibility=visibility)
        with self._lock:
            used = {str(Path(f).resolve()) for r in self.store.records().values() for f in r.files}
            files = [f for p in saved for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
            discard([str(f) for f in files if str(f.resolve()) not in used], self._uploads())
        return report

    def _uploads(self, owner: Viewer | None = None) -> Path:
        root = self.settings.home / "uploads"
        return root / "by-user" / safe_name(owner.user) if owner is not None else root

    def _visible(self, viewer: Viewer | None) -> dict[str, DocRecord]:
        """The complete documents ``viewer`` may see, by id: the one place every library read filters."""
        return {
            d: r
            for d, r in self.store.records().items()
            if may_see(viewer, r.owner, r.owner_unit, r.visibility)
        }

    def list_documents(
        self,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        viewer: Viewer | None = None,
    ) -> list[DocumentInfo]:
        """Complete documents matching the filters that ``viewer`` may see, newest first."""
        check_type(type)
        rows = [
            r.info()
            for r in self._visible(viewer).values()
            if (not type or r.type == type)
            and (year is None or r.date[:4] == str(year))
            and (not unit or unit in r.unit)
        ]
        return sorted(rows, key=lambda d: (d.date, d.title), reverse=True)

    def remove(self, doc_or_path: str, viewer: Viewer | None = None) -> int:
        """Remove a document by id (or a unique id prefix) or by a path it was ingested from; its uploaded
        files go too. A document ``viewer`` cannot see is "not found"; one it may see but not manage (another
        user's, shared) is an ``AccessError``."""
        with self._lock, self.store.write_lock():
            records = self._visible(viewer)
            target = str(Path(doc_or_path).expanduser().resolve())
            hits = [r for r in records.values() if r.doc_id == doc_or_path or target in r.files]
            if not hits and len(doc_or_path) >= 6:
                hits = [r for r in records.values() if r.doc_id.startswith(doc_or_path)]
            if len(hits) > 1 and not any(target in r.files for r in hits):
                raise InputError(f"“{doc_or_path}”对应多个文档", "请给出更长的文档编号。")
            if not hits:
                raise NotFoundError(f"库中没有文档“{doc_or_path}”")
            for record in hits:
                if not may_manage(viewer, record.owner):
                    whose = f"用户 {record.owner} 的文档" if record.owner else "全站范文库的文档"
                    raise AccessError(f"不能删除“{record.title}”：这是{whose}")
            for record in hits:
                self.store.delete_document(record.doc_id)
            self.searcher.refresh(save=True)
            for record in hits:
                discard(record.files, self.settings.home / "uploads")
        return len(hits)

    def set_visibility(self, doc_id: str, visibility: str, viewer: Viewer | None = None) -> DocumentInfo:
        """Who besides its owner may see a document: 私有 / 本单位 / 全部 (codes private / unit / all).
        Only the owner or an admin may change it; the site library has no owner and stays visible to all."""
        code = parse_visibility(visibility)
        with self._lock, self.store.write_lock():
            record = self._visible(viewer).get(doc_id.strip())
            if record is None:
                raise NotFoundError(f"库中没有文档“{doc_id}”")
            if not record.owner:
                raise AccessError(f"“{record.title}”属于全站范文库，对所有人可见", "只能修改用户上传的文档。")
            if not may_manage(viewer, record.owner):
                raise AccessError(f"不能修改“{record.title}”的可见范围：这是用户 {record.owner} 的文档")
            record.visibility = code
            self.store.set_access(record)
            self.searcher.refresh(save=True)
        return record.info()

    def doctor(self, repair: bool = False) -> Diagnosis:
        """Check records, chunks, vectors and the keyword cache; ``repair`` rebuilds what can be rebuilt."""
        with self._lock:
            if self._store is not None:  # the doctor opens the store as it is; reopened and checked after
                self._store.close()
            self._store = self._search = None
            return diagnose(self.settings, self.embedder, repair, check_keyword_cache)

    def document_text(self, doc_id: str, viewer: Viewer | None = None) -> str:
        """The whole cleaned text of a document ``viewer`` may see, rebuilt from its chunks in order."""
        if viewer is not None and doc_id not in self._visible(viewer):
            raise NotFoundError(f"库中没有文档“{doc_id}”")
        text = self.store.document_text(doc_id)
        if not text:
            raise NotFoundError(f"库中没有文档“{doc_id}”")
        return text
