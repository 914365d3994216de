"""What the façade's parts share: its attributes and backends (opened by ``Workbench``), the type check."""

from __future__ import annotations

import threading

from ..backends.embed import Embedder
from ..backends.llm import LLM
from ..config import Settings
from ..errors import InputError
from ..library.store import Store
from ..search.hybrid import HybridSearch
from ..types import DOC_TYPES


class Facade:
    """The attributes every part of ``Workbench`` reads; ``Workbench`` sets them and opens the backends lazily.

    The parts (library, writing, plans) are mixins over this base so each stays a small module of its own
    while mypy still knows what ``self`` holds."""

    settings: Settings
    _embedder: Embedder | None
    _llm: LLM | None
    _store: Store | None
    _search: HybridSearch | None
    _lock: threading.RLock

    @property
    def embedder(self) -> Embedder:
        raise NotImplementedError

    @property
    def llm(self) -> LLM:
        raise NotImplementedError

    @property
    def store(self) -> Store:
        raise NotImplementedError

    @property
    def searcher(self) -> HybridSearch:
        raise NotImplementedError


def check_type(type: str | None) -> None:
    """An unknown document type is the user's mistake: say which ones there are."""
    if type and type not in DOC_TYPES:
        raise InputError(f"未知的文档类型“{type}”", "可选：" + "、".join(DOC_TYPES))
