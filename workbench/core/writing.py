"""The façade's writing: precedents, outline, draft, redraft a section, condense, check, read a file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..backends.models import judge_threshold
from ..check import CheckReport, RuleChecker
from ..check.judge import judge_open_claims
from ..errors import InputError
from ..types import DocumentInfo, Viewer
from ..write import condense as condensing
from ..write import draft as drafting
from ..write import trusted
from ..write.condense import Summary
from ..write.draft import Draft, Precedent
from ..write.outline import Outline
from ..write.outline import from_json as outline_json
from .base import check_type
from .library import LibraryMixin


class WritingMixin(LibraryMixin):
    """Draft and condense from the library's precedents, every sentence checked against its sources."""

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
        check_type(doc_type)
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
        check_type(doc_type)
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
        check_type(doc_type)
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
            check_type(outline.type)
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
        from ..library.cleaning import clean_text
        from ..library.reading import read_file

        raw = read_file(Path(path), self.settings.max_bytes)
        return clean_text(raw) if clean else raw
