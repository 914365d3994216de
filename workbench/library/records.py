"""The record of one document in the store: its metadata, its files and whether it is complete."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..types import EVERYONE, DocumentInfo


@dataclass
class DocRecord:
    """The stored record of one document. ``files`` maps a path to its (size, mtime_ns) when ingested."""

    doc_id: str
    title: str
    type: str
    unit: str
    date: str
    chunks: int
    status: str
    files: dict[str, list[int]] = field(default_factory=dict)
    owner: str = ""  # "" = the site library; older stores have no owner fields and read as that
    owner_unit: str = ""
    visibility: str = EVERYONE

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
            **self.access(),
        }

    def access(self) -> dict[str, str]:
        """The owner fields, as every chunk of the document carries them too (for the search filter)."""
        return {"owner": self.owner, "owner_unit": self.owner_unit, "visibility": self.visibility}

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
            owner=str(meta.get("owner", "")),
            owner_unit=str(meta.get("owner_unit", "")),
            visibility=str(meta.get("visibility", EVERYONE)),
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
            self.owner,
            self.visibility,
        )
