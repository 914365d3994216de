"""The one façade the CLI and the UI call: ``Workbench``."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .backends.embed import Embedder, make_embedder
from .backends.llm import LLM, make_llm
from .backends.models import judge_threshold
from .check import CheckReport, RuleChecker
from .check.judge import judge_open_claims
from .config import Settings
from .errors import AccessError, InputError, NotFoundError
from .library.access import may_manage, may_see, parse_visibility
from .library.doctor import Diagnosis, diagnose
from .library.ingest import Ingester, walk
from .library.store import DocRecord, Store
from .library.uploads import discard, safe_name, save
from .plan import summary as plan_summary
from .plan.export import export_table
from .plan.match import Fact, Progress
from .plan.parse import Plan
from .plan.parse import parse as parse_plan_text
from .plan.report import PlanCheck, facts_from_document, facts_from_text
from .plan.report import check as check_plan
from .prompts import load, with_rules
from .search.hybrid import HybridSearch, check_keyword_cache
from .text.tokens import words
from .types import DOC_TYPES, PRIVATE, DocumentInfo, Hit, IngestReport, Viewer
from .write import condense as condensing
from .write import draft as drafting
from .write import trusted
from .write.condense import Summary
from .write.draft import Draft, Precedent
from .write.outline import Outline
from .write.outline import from_json as outline_json


def _tqdm_progress(items: Iterable[Path], total: int) -> Iterable[Path]:
    from tqdm import tqdm

    # Progress goes to stderr and only to a terminal, so --json stdout and CI logs stay clean.
    bar: Iterable[Path] = tqdm(
        items, total=total, desc="导入", unit="文件", file=sys.stderr, disable=None, leave=False
    )
    return bar


class Workbench:
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

    # -- library --------------------------------------------------------------------------------------
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
        _check_type(type)
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

    # -- draft and condense -------------------------------------------------------------------------
    def precedent_candidates(
        self,
        doc_type: str,
        facts: str,
        exclude: Sequence[str] = (),
        k: int = 6,
        viewer: Viewer | None = None,
    ) -> list[DocumentInfo]:
        """The documents a draft of these facts would take precedents from, best first: the draft uses the
        first ``settings.precedents`` of this list (what 查找范文 shows)."""
        _check_type(doc_type)
        records = self._visible(viewer)
        ids = (
            drafting.candidates(self.searcher, records, doc_type, facts, exclude, k, viewer)
            if facts.strip()
            else []
        )
        return [records[d].info() for d in ids]

    def precedents(
        self,
        doc_type: str,
        facts: str,
        pinned: Sequence[str] = (),
        exclude: Sequence[str] = (),
        viewer: Viewer | None = None,
    ) -> list[Precedent]:
        """Precedents for a draft: the pinned ones, else the most similar of the same type, then any type
        (of what ``viewer`` may see: a pinned document it may not is "not found")."""
        return drafting.precedents(
            self.searcher,
            doc_type,
            facts,
            pinned,
            exclude,
            self.settings.precedents,
            self.settings.precedent_tokens,
            self.llm.count_tokens,
            self._visible(viewer),
            viewer,
        )

    def outline(
        self,
        doc_type: str,
        facts: str,
        unit: str = "",
        period: str = "",
        pinned: Sequence[str] = (),
        exclude: Sequence[str] = (),
        viewer: Viewer | None = None,
    ) -> Outline:
        """The editable outline a draft of these facts follows: the fact ledger, the sections with the facts
        each carries, and placeholders for what the type needs but the facts do not give."""
        _check_type(doc_type)
        chosen = self.precedents(doc_type, facts, pinned, exclude, viewer) if facts.strip() else []
        return trusted.make_outline(doc_type, facts, unit, period, chosen)

    @staticmethod
    def load_outline(text: str) -> Outline:
        """An outline the user edited (JSON from ``outline().to_json()``); a malformed file or a fact id not in
        its ledger is a clear error."""
        return outline_json(text)

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
        outline: Outline | None = None,
        single_call: bool = False,
        viewer: Viewer | None = None,
    ) -> Draft:
        """A draft of ``facts`` in the type's structure, written section by section from ``outline`` (made
        here when not given) with every sentence verified; checked against the facts. ``single_call``: the
        old one-prompt path, kept for comparison."""
        _check_type(doc_type)
        if outline is None and not facts.strip():
            raise InputError("没有提供本期事实", "请写下本期的时间、数字、人名、活动等事实，每行一条。")
        if single_call:
            chosen = self.precedents(doc_type, facts, pinned, exclude, viewer)
            messages = drafting.messages_for(doc_type, facts, unit, period, chosen)
            return drafting.write(
                self.llm,
                messages,
                self.settings.max_tokens,
                [facts, unit, period],
                self.check,
                chosen,
                on_token=on_token,
                cancelled=cancelled,
            )
        if outline is not None:
            _check_type(outline.type)
            chosen = self.precedents(
                outline.type,
                "",
                [p["doc_id"] for p in outline.precedents if p.get("doc_id")],
                viewer=viewer,
            )
        else:
            chosen = self.precedents(doc_type, facts, pinned, exclude, viewer)
            outline = trusted.make_outline(doc_type, facts, unit, period, chosen)
        return trusted.draft(
            self.llm, outline, chosen, self.settings.section_tokens, self.check, on_token, cancelled
        )

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
        """Rewrite one 一、 section of a draft from the facts, through the same verified path; the rest stays
        as the user left it."""
        return trusted.redraft(
            self.llm,
            text,
            heading,
            doc_type,
            facts,
            unit,
            period,
            self.settings.section_tokens,
            self.check,
            on_token,
            cancelled,
        )

    def condense(
        self,
        text: str,
        chars: int = 800,
        title: str = "",
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Summary:
        """A summary of about ``chars`` characters (±15 %) covering every top-level section, each sentence
        verified against its section; ``title`` only when it is the report's own (else read from the text)."""

        def check(summary: str, sources: Sequence[str]) -> CheckReport:
            # A stopped summary gets the rules only: the user asked to stop, not to wait for the judge.
            return self.check(summary, sources, judge=False if cancelled and cancelled() else None)

        return condensing.condense(
            self.llm, text, chars, title, self.settings.condense_tokens, check, on_token, cancelled
        )

    # -- 对照要点: a 工作要点 against the year's facts ------------------------------------------------------
    @staticmethod
    def parse_plan(text: str) -> Plan:
        """A 工作要点's sections and numbered items, with each item's key phrases and targets."""
        return parse_plan_text(text)

    def plan_facts(
        self, unit: str | None = None, year: int | None = None, viewer: Viewer | None = None
    ) -> list[Fact]:
        """The library's facts for a unit and year: every sentence of its documents (plans excepted; only
        those ``viewer`` may see), each with its document's title as the source."""
        listed = self.list_documents(year=year, unit=unit or None, viewer=viewer)
        docs = [d for d in listed if d.type != "工作要点"]
        return [f for d in docs for f in facts_from_document(self.document_text(d.doc_id), d.title)]

    def plan_check(
        self,
        plan_text: str,
        facts: str = "",
        from_library: bool = False,
        unit: str | None = None,
        year: int | None = None,
        mapping: dict[str, str | None] | None = None,
        progress: Progress | None = None,
        facts_source: str = "事实材料",
        viewer: Viewer | None = None,
    ) -> PlanCheck:
        """Each item of the plan with its status (已落实 / 部分落实 / 未见落实情况), matched facts and targets
        against the reported figures. ``facts``: one fact a line; ``from_library`` adds the library's
        documents of ``unit`` and ``year``; ``mapping`` (fact text or 1-based number → item id or None)
        corrects the automatic matching; ``progress(done, total)`` follows the embedding."""
        plan = parse_plan_text(plan_text)
        given = facts_from_text(facts, facts_source)
        if from_library:
            given += self.plan_facts(unit, year, viewer)
        return check_plan(plan, given, self.embedder.embed_passages, mapping, progress)

    def draft_from_plan(
        self,
        check: PlanCheck,
        unit: str = "",
        period: str = "",
        on_token: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        outline: Outline | None = None,
    ) -> Draft:
        """A 工作总结 in the plan's order through the verified path: one section per plan section with its
        items' facts only; items with no fact are listed after the body (「未见落实情况」), never written.
        ``outline``: ``plan_outline``'s outline as the user edited it."""
        return plan_summary.draft(
            self.llm,
            check,
            unit,
            period,
            self.settings.section_tokens,
            self.check,
            on_token,
            cancelled,
            outline,
        )

    @staticmethod
    def plan_outline(check: PlanCheck, unit: str = "", period: str = "") -> Outline:
        """The editable outline ``draft_from_plan`` writes from: a section per plan section, its items' facts
        (``plan_item``: their ids); no model call."""
        return plan_summary.make_outline(check, unit, period)

    @staticmethod
    def export_plan_table(check: PlanCheck, path: str | Path) -> Path:
        """The 对照表 (item, status, evidence, targets vs reported) as .xlsx or .docx."""
        return export_table(check, Path(path))

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
            report = judge_open_claims(report, self.llm, judge_threshold(self.settings))
        return report

    def read_text(self, path: str | Path, clean: bool = True) -> str:
        """The text of one file as ingest would read it (``clean=False`` keeps it as written, for offsets)."""
        from .library.cleaning import clean_text
        from .library.reading import read_file

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
        _check_type(type)
        return self.searcher.search(query, k, type, year, unit, mode, documents=documents, viewer=viewer)


def _check_type(type: str | None) -> None:
    if type and type not in DOC_TYPES:
        raise InputError(f"未知的文档类型“{type}”", "可选：" + "、".join(DOC_TYPES))
