"""The keyword side of hybrid search: jieba tokens scored with BM25 (bm25s).

The index is a cache derived from the chunks in Chroma, so it can always be rebuilt and two machines on one
Chroma server never diverge. Tokens are cached per document, so an ingest re-tokenises only new documents.

The cache is gzip'd JSON behind a header with a format version and the payload's sha256, and it is parsed
strictly: a store is shared data, and a cache anyone can write must never run code (the old ``tokens.pkl``
was a pickle, so it is deleted unread). Anything unexpected means "rebuild from Chroma".
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..text.tokens import tokenize

_FORMAT = 3  # bump when the cached layout changes (2 was the pickle)
_KIND = "workbench-keyword-cache"
CACHE = "tokens.json.gz"
LEGACY = "tokens.pkl"  # the pickle of format 2: never opened, deleted on the next save
_MAX_BYTES = 2**30  # a cache larger than this is not ours (and must not exhaust memory)
WHOLE_B = 0.5  # BM25 length normalisation over whole documents: 0.75 buries a 50k-character report


def doc_set_stamp(doc_ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()[:16]


@dataclass
class DocTokens:
    """One document's chunks as the keyword index sees them."""

    chunk_ids: list[str]
    tokens: list[list[str]]
    meta: list[tuple[str, int, str]]  # (type, year, unit) per chunk, for filters


@dataclass
class KeywordIndex:
    """BM25 over every chunk of the complete documents named by ``stamp``."""

    stamp: str = ""
    docs: dict[str, DocTokens] = field(default_factory=dict)
    _retriever: Any = None
    _chunk_ids: list[str] = field(default_factory=list)
    _doc_of: list[str] = field(default_factory=list)
    doc_by_chunk: dict[str, str] = field(default_factory=dict)  # chunk id → doc id, for document mode
    _columns: Columns | None = None

    @staticmethod
    def entry(chunk_ids: Sequence[str], texts: Sequence[str], metas: Sequence[dict[str, Any]]) -> DocTokens:
        return DocTokens(
            list(chunk_ids),
            [
                tokenize(f"{m.get('title', '')} {m.get('heading', '')} {t}")
                for t, m in zip(texts, metas, strict=True)
            ],
            [(str(m.get("type", "")), int(m.get("year", -1)), str(m.get("unit", ""))) for m in metas],
        )

    def build(self) -> None:
        order = sorted(self.docs)
        self._chunk_ids = [cid for d in order for cid in self.docs[d].chunk_ids]
        self._doc_of = [d for d in order for _ in self.docs[d].chunk_ids]
        self.doc_by_chunk = dict(zip(self._chunk_ids, self._doc_of, strict=True))
        corpus = [tok for d in order for tok in self.docs[d].tokens]
        metas = [m for d in order for m in self.docs[d].meta]
        self._columns = Columns(metas)
        self._retriever = _bm25(corpus)

    def search(
        self,
        query: str,
        n: int,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        docs: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Best chunks as (chunk_id, bm25 score), only those with a positive score (of ``docs`` when given:
        the documents the user may see)."""
        if self._retriever is None:
            return []
        tokens = tokenize(query)
        if not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens), dtype=np.float64)
        scores = _only(scores, self._doc_of, docs)
        assert self._columns is not None  # built together with the retriever
        top = self._columns.best(scores, n, type, year, unit)
        return [(self._chunk_ids[i], float(scores[i])) for i in top]

    def titles(self, titles: Mapping[str, str]) -> DocIndex:
        """BM25 over these documents' titles (doc_id → title), with the same filters as the chunks."""
        order = sorted(d for d in titles if d in self.docs and self.docs[d].meta)
        return DocIndex(order, [tokenize(titles[d]) for d in order], [self.docs[d].meta[0] for d in order])

    def whole(self, titles: Mapping[str, str]) -> DocIndex:
        """BM25 over whole documents (their chunks' tokens together): a long report is scored as one text.
        Each chunk's tokens start with the document's title (see ``entry``); here the title counts once, or a
        report of 200 chunks would say its title 200 times."""
        order = sorted(d for d in self.docs if self.docs[d].meta)
        tokens = []
        for d in order:
            head = tokenize(titles.get(d, ""))
            body = [
                chunk[len(head) :] if chunk[: len(head)] == head else chunk for chunk in self.docs[d].tokens
            ]
            tokens.append(head + [t for chunk in body for t in chunk])
        return DocIndex(order, tokens, [self.docs[d].meta[0] for d in order], b=WHOLE_B)

    # -- persistence: a cache, written atomically ---------------------------------------------------
    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        docs = {
            d: {"chunk_ids": t.chunk_ids, "tokens": t.tokens, "meta": t.meta} for d, t in self.docs.items()
        }
        payload = json.dumps({"stamp": self.stamp, "docs": docs}, ensure_ascii=False).encode()
        header = {"kind": _KIND, "format": _FORMAT, "sha256": hashlib.sha256(payload).hexdigest()}
        tmp = directory / f"{CACHE}.{os.getpid()}.tmp"
        try:
            # Level 1: several times smaller than plain JSON and fast enough to save after every ingest.
            with gzip.open(tmp, "wb", compresslevel=1) as fh:
                fh.write(json.dumps(header).encode() + b"\n" + payload)
            os.replace(tmp, directory / CACHE)
        finally:
            tmp.unlink(missing_ok=True)
        (directory / LEGACY).unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        """The cached index, or an empty one when there is none or it is unusable (it is only a cache)."""
        return cls.read(directory)[0]

    @classmethod
    def read(cls, directory: Path) -> tuple[KeywordIndex, str]:
        """The cached index and "" — or an empty index and, in Chinese, why the cache cannot be used."""
        try:
            with gzip.open(directory / CACHE, "rb") as fh:
                raw = fh.read(_MAX_BYTES + 1)
        except FileNotFoundError:
            return cls(), "关键词缓存缺失"
        except (OSError, EOFError, zlib.error):
            return cls(), "关键词缓存已损坏（无法解压）"
        head, _, payload = raw.partition(b"\n")
        try:
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("kind") != _KIND or header.get("format") != _FORMAT:
                return cls(), "关键词缓存来自其他版本或不是本程序写的"
            if len(raw) > _MAX_BYTES or hashlib.sha256(payload).hexdigest() != header.get("sha256"):
                return cls(), "关键词缓存已损坏（校验和不符）"
            stamp, docs = _parse(json.loads(payload))
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; the others come from hostile shapes.
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
            return cls(), "关键词缓存内容无效"
        return cls(stamp=stamp, docs=docs), ""


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(type(v) is str for v in value):
        raise ValueError("expected a list of strings")
    return value


def _parse(data: Any) -> tuple[str, dict[str, DocTokens]]:
    """Check every field's type: the checksum proves the file is whole, not that we wrote it."""
    if (
        not isinstance(data, dict)
        or type(data.get("stamp")) is not str
        or not isinstance(data.get("docs"), dict)
    ):
        raise ValueError("not a keyword cache")
    docs: dict[str, DocTokens] = {}
    for doc_id, entry in data["docs"].items():
        ids = _strings(entry["chunk_ids"])
        tokens = [_strings(t) for t in entry["tokens"]]
        meta = [(str(t), int(y), str(u)) for t, y, u in entry["meta"]]
        if not (len(ids) == len(tokens) == len(meta)):
            raise ValueError("ragged entry")
        docs[doc_id] = DocTokens(ids, tokens, meta)
    return data["stamp"], docs


class DocIndex:
    """BM25 with one text per document: its title (a field of its own, so a query that names a report is not
    diluted by the report's many chunks) or its whole text."""

    def __init__(
        self,
        doc_ids: list[str],
        tokens: list[list[str]],
        meta: list[tuple[str, int, str]],
        b: float = 0.75,
    ) -> None:
        self.doc_ids = doc_ids
        self._columns = Columns(meta)
        self._words = [set(t) for t in tokens]
        self._retriever = _bm25(tokens, b) if any(tokens) else None

    def search(
        self,
        query: str,
        n: int,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        cover: float = 0.0,
        docs: Collection[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Documents sharing words with the query as (doc_id, bm25 score), best first; ``cover``: only those
        whose text has at least this share of its distinct words in the query (a title the query names);
        ``docs``: only these (the documents the user may see)."""
        tokens = tokenize(query)
        if self._retriever is None or not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens), dtype=np.float64)
        if cover > 0:
            words = set(tokens)
            covered = [len(w & words) >= cover * len(w) if w else False for w in self._words]
            scores = np.where(np.array(covered, dtype=bool), scores, 0.0)
        scores = _only(scores, self.doc_ids, docs)
        top = self._columns.best(scores, n, type, year, unit)
        return [(self.doc_ids[i], float(scores[i])) for i in top]


def _only(scores: Any, doc_of: Sequence[str], docs: Collection[str] | None) -> Any:
    """The scores with those of documents outside ``docs`` set to 0 (``Columns.best`` keeps positive ones only)."""
    if docs is None:
        return scores
    allowed = set(docs)
    keep = np.fromiter((d in allowed for d in doc_of), dtype=bool, count=len(doc_of))
    return np.where(keep, scores, 0.0)


def _bm25(tokens: list[list[str]], b: float = 0.75) -> Any:
    """A BM25 index over these token lists (None when there are none)."""
    import bm25s

    if not tokens:
        return None
    retriever = bm25s.BM25(b=b)
    retriever.index(tokens, show_progress=False)
    return retriever


class Columns:
    """The type, year and unit of each indexed text, for filtering scores the way Chroma's ``where`` does."""

    def __init__(self, meta: Sequence[tuple[str, int, str]]) -> None:
        self.types = np.array([m[0] for m in meta], dtype=object)
        self.years = np.array([m[1] for m in meta], dtype=np.int32)
        self.units = np.array([m[2] for m in meta], dtype=object)

    def best(self, scores: Any, n: int, type: str | None, year: int | None, unit: str | None) -> Any:
        """Indices of the ``n`` best positive scores whose metadata matches every filter that is set."""
        mask = scores > 0
        for values, wanted in ((self.types, type), (self.years, year), (self.units, unit)):
            if wanted is not None and wanted != "":
                mask &= values == wanted
        candidates = np.flatnonzero(mask)
        return candidates[np.argsort(-scores[candidates], kind="stable")[:n]]
