"""报告写作台 — an offline workbench for Chinese work reports.

The public API: build a ``Workbench`` (optionally with ``Settings``) and call its methods; the CLI and the
web UI are thin shells over it. Every result type the API returns, and the deterministic fakes the tests
and ``--quick`` evals use, are exported here too.
"""

from .backends.embed import Embedder, FakeEmbedder, make_embedder
from .backends.llm import LLM, FakeLLM, make_llm
from .check import CheckReport, ClaimResult, Finding
from .config import Settings
from .core import Workbench
from .errors import (
    AccessError,
    ConfigError,
    EmbedderMismatchError,
    InputError,
    ModelError,
    NotFoundError,
    StoreBusyError,
    StoreError,
    WorkbenchError,
)
from .plan.compare import STATUSES, TargetCheck
from .plan.match import Fact
from .plan.parse import Item, Plan, PlanSection, Target
from .plan.report import ItemResult, PlanCheck
from .types import DOC_TYPES, Chunk, Document, DocumentInfo, Hit, IngestReport, Viewer
from .write.condense import Summary
from .write.draft import Draft, Precedent

__all__ = [
    "DOC_TYPES",
    "LLM",
    "STATUSES",
    "AccessError",
    "CheckReport",
    "Chunk",
    "ClaimResult",
    "ConfigError",
    "Document",
    "DocumentInfo",
    "Draft",
    "Embedder",
    "EmbedderMismatchError",
    "Fact",
    "FakeEmbedder",
    "FakeLLM",
    "Finding",
    "Hit",
    "IngestReport",
    "InputError",
    "Item",
    "ItemResult",
    "ModelError",
    "NotFoundError",
    "Plan",
    "PlanCheck",
    "PlanSection",
    "Precedent",
    "Settings",
    "StoreBusyError",
    "StoreError",
    "Summary",
    "Target",
    "TargetCheck",
    "Viewer",
    "Workbench",
    "WorkbenchError",
    "make_embedder",
    "make_llm",
]
