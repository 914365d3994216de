"""报告写作台 — an offline workbench for Chinese work reports.

The public API: build a ``Workbench`` (optionally with ``Settings``) and call its methods; the CLI and the
web UI are thin shells over it.
"""

from .backends.embed import Embedder, FakeEmbedder, make_embedder
from .config import Settings
from .core import Workbench
from .errors import (
    ConfigError,
    EmbedderMismatchError,
    InputError,
    ModelError,
    NotFoundError,
    StoreBusyError,
    StoreError,
    WorkbenchError,
)
from .types import DOC_TYPES, Chunk, Document, DocumentInfo, Hit, IngestReport

__all__ = [
    "DOC_TYPES",
    "Chunk",
    "ConfigError",
    "Document",
    "DocumentInfo",
    "Embedder",
    "EmbedderMismatchError",
    "FakeEmbedder",
    "Hit",
    "IngestReport",
    "InputError",
    "ModelError",
    "NotFoundError",
    "Settings",
    "StoreBusyError",
    "StoreError",
    "Workbench",
    "WorkbenchError",
    "make_embedder",
]
