"""Plain result types shared by the core, the CLI and the UI."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = ("工作总结", "工作汇报", "工作要点", "活动简报", "新闻稿", "其他")

# Who may see a document besides its owner. A document with no owner is the site library, seen by all.
PRIVATE, UNIT, EVERYONE = "private", "unit", "all"
VISIBILITY_LABELS = {PRIVATE: "私有", UNIT: "本单位", EVERYONE: "全部"}


@dataclass(frozen=True)
class Viewer:
    """The logged-in user a façade call acts for: what they may see and touch (``library/access.py``).
    ``None`` in place of a viewer means no login: one user, who sees and manages everything."""

    user: str
    unit: str = ""
    admin: bool = False


@dataclass(frozen=True)
class Document:
    """A cleaned document with its metadata, ready to be chunked."""

    doc_id: str
    text: str
    title: str
    type: str
    unit: str
    date: str  # ISO prefix: "2021-06-30", "2020-12" or "2020"; "" when unknown
    path: str
    owner: str = ""  # the user who uploaded it; "" = the site library
    owner_unit: str = ""  # the owner's unit when it was uploaded (本单位 sharing)
    visibility: str = EVERYONE

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if len(self.date) >= 4 and self.date[:4].isdigit() else None


@dataclass(frozen=True)
class Chunk:
    """A piece of a document along its own structure."""

    doc_id: str
    index: int
    text: str
    heading: tuple[str, ...]

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.index:05d}"

    @property
    def heading_path(self) -> str:
        return " > ".join(self.heading)


@dataclass(frozen=True)
class DocumentInfo:
    """One row of the library listing."""

    doc_id: str
    title: str
    path: str
    type: str
    unit: str
    date: str
    chunks: int
    paths: tuple[str, ...] = ()
    owner: str = ""
    visibility: str = EVERYONE

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("paths")
        return row


@dataclass(frozen=True)
class Hit:
    """A search result: one chunk with its document and fused score (in document mode: the document's score
    and its best chunk)."""

    doc_id: str
    title: str
    path: str
    heading: str
    text: str
    score: float
    type: str
    date: str
    chunk_id: str = ""
    matches: int | None = None  # document mode: how many of the document's chunks were among the candidates

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("chunk_id")
        if self.matches is None:  # chunk mode keeps its original fields
            row.pop("matches")
        return row


@dataclass
class IngestReport:
    """What one ingest run did; the shape of ``workbench ingest --json``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
