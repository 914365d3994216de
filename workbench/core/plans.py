"""The façade's 对照要点: a 工作要点 against the year's facts, a summary in the plan's order, the table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..plan import summary as plan_summary
from ..plan.export import export_table
from ..plan.match import Fact, Progress
from ..plan.parse import Plan
from ..plan.parse import parse as parse_plan_text
from ..plan.report import PlanCheck, facts_from_document, facts_from_text
from ..plan.report import check as check_plan
from ..types import Viewer
from ..write.draft import Draft
from ..write.outline import Outline
from .writing import WritingMixin


class PlansMixin(WritingMixin):
    """Parse a plan, match the year's facts to its items, draft and export from the result."""

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
