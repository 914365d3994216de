"""The one façade the CLI and the UI call: ``Workbench`` (its parts by concern: ``library``, ``writing``,
``plans``)."""

from __future__ import annotations

import threading

from ..backends.embed import Embedder, make_embedder
from ..backends.llm import LLM, make_llm
from ..config import Settings
from ..errors import InputError
from ..library.store import Store
from ..prompts import load, with_rules
from ..search.hybrid import HybridSearch
from ..text.tokens import words
from ..types import Hit, Viewer
from .base import check_type
from .plans import PlansMixin


class Workbench(PlansMixin):
    """A library of precedent reports: ingest, list, remove, search (drafting builds on these).

    Methods that read or change the library take ``viewer``: the logged-in user they act for, who sees the site
    library, their own documents and what others shared with them (``library/access.py``). ``None`` (the CLI,
    a server without login) sees and manages everything.
    """

    def __init__(
        self, settings: Settings | None = None, embedder: Embedder | None = None, llm: LLM | None = None
    ) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._llm = llm
        self._store: Store | None = None
        self._search: HybridSearch | None = None
        self._lock = threading.RLock()  # the UI serves several users from one Workbench

    # -- backends, opened on first use --------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def llm(self) -> LLM:
        if self._llm is None:
            self._llm = make_llm(self.settings)
        return self._llm

    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.settings, self.embedder.name, self.embedder.dim)
            return self._store

    @property
    def searcher(self) -> HybridSearch:
        with self._lock:
            if self._search is None:
                self._search = HybridSearch(
                    self.store, self.embedder.embed_query, self.settings.keyword_weight
                )
            return self._search

    def warm(self) -> None:
        """Load the model and read the standing rules every prompt starts with, so the first draft or check
        a user asks for does not wait for them (the server calls this in the background at start)."""
        # The section prompt's fixed requirements too: the first section of a draft is what the user waits for.
        self.llm.warm(with_rules(load("draft_section").head))
        words("预热")  # and jieba's dictionary, which the checker's rules load on first use (~1 s)

    # -- search -----------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        mode: str = "hybrid",
        documents: bool = False,
        viewer: Viewer | None = None,
    ) -> list[Hit]:
        """Best chunks for a query (of what ``viewer`` may see): dense vectors and BM25 keywords fused by
        reciprocal rank. ``documents``: best documents instead, one hit each (its best chunk), scored over its
        chunks and its title."""
        query = query.strip()
        if not query:
            raise InputError("检索词为空", "请输入要查找的内容，例如“主题党日 活动”。")
        if k < 1:
            raise InputError("k 必须至少为 1")
        check_type(type)
        return self.searcher.search(query, k, type, year, unit, mode, documents=documents, viewer=viewer)
