"""The one façade the CLI and the UI call: ``Workbench``."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .backends.embed import Embedder, make_embedder
from .backends.llm import LLM, Message, make_llm
from .check import CheckReport, RuleChecker
from .check.judge import judge_open_claims
from .condense import MAP_REDUCE_CHARS, Summary, char_count, split_top_sections, summarise
from .config import Settings
from .draft import (
    Draft,
    Precedent,
    generate,
    messages_for,
    outline,
    replace_section,
    top_sections,
    trim_repetition,
    unique_docs,
)
from .errors import InputError, NotFoundError
from .ingest import Ingester, walk
from .keyword import KeywordIndex, doc_set_stamp
from .prompts import load, with_rules
from .retrieve import collapse, rrf
from .store import Store, build_where
from .types import DOC_TYPES, DocumentInfo, Hit, IngestReport
from .uploads import save

_CANDIDATES = 30  # per retriever, before fusion


def _tqdm_progress(items: Iterable[Path], total: int) -> Iterable[Path]:
    from tqdm import tqdm

    # Progress goes to stderr and only to a terminal, so --json stdout and CI logs stay clean.
    bar: Iterable[Path] = tqdm(
        items, total=total, desc="导入", unit="文件", file=sys.stderr, disable=None, leave=False
    )
    return bar


class Workbench:
    """A library of precedent reports: ingest, list, remove, search (drafting builds on these)."""

    def __init__(
        self, settings: Settings | None = None, embedder: Embedder | None = None, llm: LLM | None = None
    ) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._llm = llm
        self._store: Store | None = None
        self._keyword: KeywordIndex | None = None
        self._keyword_count = -1
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
        if self._store is None:
            self._store = Store(self.settings, self.embedder.name, self.embedder.dim)
        return self._store

    # -- library --------------------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | Path], progress: bool = True) -> IngestReport:
        """Add files and folders; unchanged files cost a stat, changed ones replace their old version."""
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
            )
            report = ingester.run(walked, _tqdm_progress if progress else None)
            self._refresh_keyword(save=True)
        return report

    def save_upload(self, source: str | Path, name: str = "") -> Path:
        """Keep an uploaded file (a zip becomes a folder) under ``home/uploads``; see ``uploads.save``."""
        return save(source, self.settings.home / "uploads", self.settings.max_bytes, name)

    def list_documents(
        self, type: str | None = None, year: int | None = None, unit: str | None = None
    ) -> list[DocumentInfo]:
        """Complete documents matching the filters, newest first."""
        _check_type(type)
        rows = [
            r.info()
            for r in self.store.records().values()
            if (not type or r.type == type)
            and (year is None or r.date[:4] == str(year))
            and (not unit or unit in r.unit)
        ]
        return sorted(rows, key=lambda d: (d.date, d.title), reverse=True)

    def remove(self, doc_or_path: str) -> int:
        """Remove a document by id (or a unique id prefix) or by a path it was ingested from."""
        with self._lock, self.store.write_lock():
            records = self.store.records()
            target = str(Path(doc_or_path).expanduser().resolve())
            hits = [r for r in records.values() if r.doc_id == doc_or_path or target in r.files]
            if not hits and len(doc_or_path) >= 6:
                hits = [r for r in records.values() if r.doc_id.startswith(doc_or_path)]
            if len(hits) > 1 and not any(target in r.files for r in hits):
                raise InputError(f"“{doc_or_path}”对应多个文档", "请给出更长的文档编号。")
            if not hits:
                raise NotFoundError(f"库中没有文档“{doc_or_path}”")
            for record in hits:
                self.store.delete_document(record.doc_id)
            self._refresh_keyword(save=True)
        return len(hits)

    def document_text(self, doc_id: str) -> str:
        """The whole cleaned text of a document, rebuilt from its chunks in order."""
        ids, texts, metas = self.store.chunks_of([doc_id])
        if not ids:
            raise NotFoundError(f"库中没有文档“{doc_id}”")
        ordered = sorted(zip(metas, texts, strict=True), key=lambda mt: int(mt[0].get("index", 0)))
        return "\n".join(text for _, text in ordered)

    # -- draft and condense -------------------------------------------------------------------------
    def precedents(
        self, doc_type: str, facts: str, pinned: Sequence[str] = (), exclude: Sequence[str] = ()
    ) -> list[Precedent]:
        """Precedents for a draft: the pinned ones, else the most similar of the same type, then any type."""
        records = self.store.records()
        if pinned:
            missing = [d for d in pinned if d not in records]
            if missing:
                raise NotFoundError(f"库中没有范文 {'、'.join(missing)}")
            ids = list(pinned)
        else:
            query = f"{doc_type} {facts.strip()[:300]}"
            ids = unique_docs(self.search(query, k=10, type=doc_type)) if records else []
            if len(ids) < self.settings.precedents and records:
                ids += [d for d in unique_docs(self.search(query, k=10)) if d not in ids]
            ids = [d for d in ids if d not in exclude][: self.settings.precedents]
        each = self.settings.precedent_tokens // max(1, len(ids))
        return [
            Precedent(d, records[d].title, outline(self.document_text(d), each, self.llm.count_tokens))
            for d in ids
        ]

    def draft(
        self,
        doc_type: str,
        facts: str,
        unit: str = "",
        period: str = "",
        pinned: Sequence[str] = (),
        exclude: Sequence[str] = (),
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Draft:
        """A draft in the style of similar precedents, using only ``facts``; checked against them."""
        _check_type(doc_type)
        if not facts.strip():
            raise InputError("没有提供本期事实", "请写下本期的时间、数字、人名、活动等事实，每行一条。")
        chosen = self.precedents(doc_type, facts, pinned, exclude)
        messages = messages_for(doc_type, facts, unit, period, chosen)
        start = time.perf_counter()
        text, first, _, stopped = generate(self.llm, messages, self.settings.max_tokens, on_token, cancelled)
        seconds = time.perf_counter() - start
        text = trim_repetition(text)
        prompt_tokens = sum(self.llm.count_tokens(m["content"]) for m in messages)
        draft = Draft(
            text, chosen, seconds, first, prompt_tokens, self.llm.count_tokens(text), stopped=stopped
        )
        if text:
            t0 = time.perf_counter()
            draft.check = self.check(text, [facts, unit, period])
            draft.extra["check_seconds"] = time.perf_counter() - t0
        return draft

    def redraft_section(
        self,
        text: str,
        heading: str,
        doc_type: str,
        facts: str,
        unit: str = "",
        period: str = "",
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Draft:
        """Rewrite one 一、 section of a draft from the facts; the rest stays as the user left it."""
        sections = dict(top_sections(text))
        if heading not in sections or not heading:
            raise InputError(f"稿件里没有“{heading}”这一部分", "请从下拉框里选择一个“一、”级标题。")
        prompt = load("redraft_section").render(
            doc_type=doc_type,
            heading=heading,
            outline="\n".join(h for h in sections if h),
            section=sections[heading],
            facts=facts.strip(),
        )
        messages: list[Message] = with_rules(prompt)
        start = time.perf_counter()
        written, first, _, stopped = generate(
            self.llm, messages, self.settings.max_tokens, on_token, cancelled
        )
        new_block = trim_repetition(written)
        if not new_block.startswith(heading):
            new_block = f"{heading}\n{new_block}"
        whole = replace_section(text, heading, new_block)
        draft = Draft(
            whole,
            [],
            time.perf_counter() - start,
            first,
            sum(self.llm.count_tokens(m["content"]) for m in messages),
            self.llm.count_tokens(written),
            stopped=stopped,
        )
        draft.check = self.check(whole, [facts, unit, period])
        return draft

    def condense(
        self,
        text: str,
        chars: int = 800,
        title: str = "",
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Summary:
        """A summary of about ``chars`` characters (±15 %), written from the report's salient sentences."""
        if chars < 50:
            raise InputError("摘要字数太少", "请给出至少 50 字。")
        if not text.strip():
            raise InputError("要压缩的报告为空")
        start = time.perf_counter()
        part_texts = [text]
        if len(text) > MAP_REDUCE_CHARS:  # far beyond 60 KB: summarise each ~60 KB part first, unchecked
            parts = split_top_sections(text)
            per = max(120, 3 * chars // max(1, len(parts)))
            part_texts = [summarise(self.llm, p, per, title, self.settings.condense_tokens)[0] for p in parts]
        summary, first, chosen = summarise(
            self.llm, "\n".join(part_texts), chars, title, self.settings.condense_tokens, on_token, cancelled
        )
        result = Summary(
            summary,
            char_count(summary),
            time.perf_counter() - start,
            len(text),
            first,
            [s.text for s in chosen],
        )
        if summary:
            result.check = self.check(summary, [text])  # against the report itself, never the part summaries
        return result

    # -- check ------------------------------------------------------------------------------------------
    def check(
        self, text: str, sources: Sequence[str], lines: bool = False, judge: bool | None = None
    ) -> CheckReport:
        """Trace every claim of ``text`` to ``sources``: numbers, dates, names and direction words by rule,
        then the model judge on the claims the rules leave open (unless ``judge`` or the setting says no)."""
        if not text.strip():
            raise InputError("要核查的文本为空", "请粘贴或选择要核查的稿件。")
        if not any(s.strip() for s in sources):
            raise InputError("没有提供原文（事实材料）", "用 --source 给出事实材料或原报告。")
        report = RuleChecker(sources).check(text, lines=lines)
        if self.settings.judge if judge is None else judge:
            report = judge_open_claims(report, self.llm, self.settings.threshold())
        return report

    def read_text(self, path: str | Path, clean: bool = True) -> str:
        """The text of one file as ingest would read it (``clean=False`` keeps it as written, for offsets)."""
        from .cleaning import clean_text
        from .reading import read_file

        raw = read_file(Path(path), self.settings.max_bytes)
        return clean_text(raw) if clean else raw

    # -- search -----------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int = 5,
        type: str | None = None,
        year: int | None = None,
        unit: str | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """Best chunks for a query: dense vectors and BM25 keywords fused by reciprocal rank."""
        query = query.strip()
        if not query:
            raise InputError("检索词为空", "请输入要查找的内容，例如“主题党日 活动”。")
        if k < 1:
            raise InputError("k 必须至少为 1")
        _check_type(type)
        n = max(_CANDIDATES, 3 * k)
        rankings: list[list[str]] = []
        texts: dict[str, str] = {}
        metas: dict[str, dict[str, object]] = {}
        if mode in ("hybrid", "dense"):
            dense = self.store.query(self.embedder.embed_query(query), n, build_where(type, year, unit))
            rankings.append([cid for cid, _, _ in dense])
            for cid, text, meta in dense:
                texts[cid], metas[cid] = text, meta
        keyword = self._keyword_index()
        if mode in ("hybrid", "keyword"):
            hits = keyword.search(query, n, type, year, unit)
            rankings.append([cid for cid, _ in hits])
            for cid, (text, meta) in self.store.get_chunks([c for c, _ in hits if c not in texts]).items():
                texts[cid], metas[cid] = text, meta
        complete = keyword.docs  # only complete documents are in the keyword index
        weights = [1.0, self.settings.keyword_weight] if mode == "hybrid" else [1.0]
        fused = rrf(rankings, weights=weights[: len(rankings)])
        ranked = sorted(
            (cid for cid in fused if cid in texts and str(metas[cid].get("doc_id")) in complete),
            key=lambda c: -fused[c],
        )
        keep = collapse([(cid, texts[cid]) for cid in ranked], k)
        return [_hit(cid, texts[cid], metas[cid], fused[cid]) for cid in keep]

    def _keyword_index(self) -> KeywordIndex:
        with self._lock:
            count = self.store.record_count()
            if self._keyword is None or count != self._keyword_count:
                self._refresh_keyword(save=False)
            assert self._keyword is not None
            return self._keyword

    def _refresh_keyword(self, save: bool) -> None:
        """Bring the keyword cache in line with the complete documents, tokenising only new ones."""
        records = self.store.records()
        stamp = doc_set_stamp(records)
        index = self._keyword if self._keyword is not None else KeywordIndex.load(self.settings.keyword_dir)
        if index.stamp != stamp or self._keyword is None:
            missing = [d for d in records if d not in index.docs]
            docs = {d: t for d, t in index.docs.items() if d in records}
            if missing:
                ids, texts, metas = self.store.chunks_of(missing)
                grouped: dict[str, tuple[list[str], list[str], list[dict[str, object]]]] = {}
                for cid, text, meta in zip(ids, texts, metas, strict=True):
                    entry = grouped.setdefault(str(meta["doc_id"]), ([], [], []))
                    entry[0].append(cid)
                    entry[1].append(text)
                    entry[2].append(meta)
                for doc_id, (cids, ts, ms) in grouped.items():
                    docs[doc_id] = KeywordIndex.entry(cids, ts, ms)
            changed = index.stamp != stamp
            index = KeywordIndex(stamp=stamp, docs=docs)
            index.build()
            if save or changed:  # a reader may refresh the cache too; the write is atomic
                index.save(self.settings.keyword_dir)
        self._keyword = index
        self._keyword_count = len(records)


def _check_type(type: str | None) -> None:
    if type and type not in DOC_TYPES:
        raise InputError(f"未知的文档类型“{type}”", "可选：" + "、".join(DOC_TYPES))


def _hit(cid: str, text: str, meta: dict[str, object], score: float) -> Hit:
    return Hit(
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        path=str(meta.get("path", "")),
        heading=str(meta.get("heading", "")),
        text=text,
        score=round(score, 6),
        type=str(meta.get("type", "")),
        date=str(meta.get("date", "")),
        chunk_id=cid,
    )
