"""``manifest.json``: what the store held at its last commit, so an open can tell a damaged store.

Chroma keeps no record of what it should hold: delete ``chroma.sqlite3`` and it opens an empty library; lose
the vector index folder and it quietly serves a fraction of the chunks. Each commit writes this small file
(temp file + ``os.replace``, so a reader never sees half of it); each open compares it with what Chroma holds.
Its ``stamp`` changes on every write, which is how a running server notices another process's ingest.
Chroma's own exceptions become a ``StoreError`` with the repair hint (``chroma_errors``).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError, WorkbenchError

SCHEMA = 1  # bump when the manifest's fields change meaning
NAME = "manifest.json"
REPAIR_HINT = "运行 workbench doctor --repair 重建可以重建的部分；无法重建时请重新导入原文件。"


def new_stamp() -> str:
    return uuid.uuid4().hex


@dataclass
class Manifest:
    """The store as of its last commit. ``writing`` is set while a writer works, cleared when it commits."""

    embedder: str
    dim: int
    documents: int
    chunks: int
    stamp: str = field(default_factory=new_stamp)
    writing: bool = False
    updated: str = ""
    schema: int = SCHEMA

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        """Strict: a manifest of another schema or with wrong types is corrupt, not half-trusted."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError("unknown schema")
        ints = ("dim", "documents", "chunks")
        if not all(type(data.get(k)) is int and data[k] >= 0 for k in ints):
            raise ValueError("bad counts")
        if not all(isinstance(data.get(k), str) for k in ("embedder", "stamp", "updated")):
            raise ValueError("bad strings")
        if not isinstance(data.get("writing"), bool):
            raise ValueError("bad flag")
        return cls(
            **{k: data[k] for k in ("embedder", "dim", "documents", "chunks", "stamp", "writing", "updated")}
        )


def manifest_path(home: Path) -> Path:
    return home / NAME


def read_manifest(home: Path) -> Manifest | None:
    """The manifest, or None when the store has none yet (created by an older version).

    Raises ``StoreError`` when the file exists but cannot be trusted: rewriting it from what Chroma holds
    would hide exactly the loss it is there to reveal, so only ``doctor --repair`` does that.
    """
    path = manifest_path(home)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"无法读取库清单 {path}：{exc.strerror}", "检查存储目录的权限。") from exc
    try:
        return Manifest.from_json(json.loads(text))
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise StoreError(f"库清单 {path} 已损坏或来自不兼容的版本", REPAIR_HINT) from exc


def read_stamp(home: Path) -> str:
    """The current stamp, cheaply, for a per-search check ("" when there is no readable manifest)."""
    try:
        data = json.loads(manifest_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    stamp = data.get("stamp") if isinstance(data, dict) else None
    return stamp if isinstance(stamp, str) else ""


def write_manifest(home: Path, manifest: Manifest) -> None:
    """Write atomically with a fresh stamp: a reader sees the old file or the new one, never a mix."""
    manifest.stamp = new_stamp()
    manifest.updated = datetime.now().astimezone().isoformat(timespec="seconds")
    home.mkdir(parents=True, exist_ok=True)
    path = manifest_path(home)
    tmp = path.with_name(f".{NAME}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(asdict(manifest), fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())  # the manifest must not claim a commit the disk has not seen
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def loss(manifest: Manifest, documents: int, chunks: int) -> str:
    """A Chinese description of how the store differs from its manifest, or "" when it matches."""
    if (documents, chunks) == (manifest.documents, manifest.chunks):
        return ""
    return (
        f"向量库缺失或损坏：清单记录 {manifest.documents} 篇、{manifest.chunks} 个片段，"
        f"实际 {documents} 篇、{chunks} 个片段"
    )


@contextmanager
def chroma_errors(what: str) -> Iterator[None]:
    """Chroma's own exceptions (a damaged index raises ``InternalError``) become a ``StoreError`` with a hint."""
    try:
        yield
    except WorkbenchError:
        raise
    except Exception as exc:  # chromadb raises many kinds; to the user all mean "the store is damaged"
        raise StoreError(f"{what}失败，向量库可能已损坏：{str(exc)[:300]}", REPAIR_HINT) from exc
