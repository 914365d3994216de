"""起草: facts and a document type → the precedents it would follow → an editable outline (sections and the
facts each carries) → a streamed, verified draft with its fact ledger → export."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from ...check import CheckReport
from ...core import Workbench
from ...errors import InputError, WorkbenchError
from ...text.structure import top_sections
from ...types import DOC_TYPES
from ...write.export import export
from ...write.outline import Outline
from ..format import candidates_markdown, check_summary, legend, marked, used_precedents_markdown
from ..jobs import friendly, friendly_stream, streamed
from ..outline_view import (
    OUTLINE_HEADERS,
    OUTLINE_HINT,
    ledger_html,
    outline_from_rows,
    outline_ledger_html,
    outline_rows,
)
from ..viewers import Viewers


def checked_views(text: str, report: CheckReport | None) -> tuple[str, Any, str]:
    """The legend, the highlighted text and the table of one check, as the page's three outputs show them."""
    return legend(report), gr.update(**marked(text, report)), check_summary(report)


@dataclass(frozen=True)
class DraftPage:
    """The components of the 起草 tab that the rest of the app may need."""

    kind: gr.Dropdown
    facts: gr.Textbox
    text: gr.Textbox


def build(wb: Workbench, exports: Path, viewers: Viewers) -> DraftPage:
    """The 起草 tab, inside the current ``gr.Tabs``; exported files go under ``exports``."""
    with gr.Tab("起草", id="draft"):
        with gr.Row():
            with gr.Column(scale=3):
                d_type = gr.Dropdown(list(DOC_TYPES), value="工作总结", label="文稿类型")
                with gr.Row():
                    d_unit = gr.Textbox(label="单位", placeholder="例如：某某小学党支部")
                    d_period = gr.Textbox(label="时间范围", placeholder="例如：2024年上半年")
                d_facts = gr.Textbox(
                    label="本期事实（每行一条：时间、数字、人名、活动……）",
                    lines=8,
                    elem_id="draft-facts",
                )
                with gr.Row():
                    d_find = gr.Button("查找范文")
                    d_plan = gr.Button("生成提纲", elem_id="draft-outline-go")
                    d_go = gr.Button("生成初稿", variant="primary", elem_id="draft-go")
                    d_stop = gr.Button("停止")
            with gr.Column(scale=2):
                d_pick = gr.CheckboxGroup(label="指定参考的范文（留空则自动选择）", choices=[])
                d_drop = gr.CheckboxGroup(label="不要参考的范文", choices=[], elem_id="draft-drop")
                d_hits = gr.Markdown(elem_id="draft-hits")
                with gr.Accordion("查看范文全文", open=False):
                    d_view = gr.Dropdown(label="范文", choices=[])
                    d_full = gr.Textbox(label="全文", lines=10)
        with gr.Row():
            d_outline = gr.Dataframe(
                headers=OUTLINE_HEADERS,
                datatype=["number", "str", "str", "str"],
                type="array",
                column_count=(4, "fixed"),  # type: ignore[arg-type]  # Gradio 6 still reads (n, "fixed")
                interactive=True,
                wrap=True,
                label="提纲（可改标题、改“事实编号”把事实移到别的部分、清空一行即删去、改“顺序”调整先后）",
                elem_id="draft-outline",
                scale=3,
            )
            d_ledger = gr.HTML(elem_id="draft-ledger", scale=2)
        d_made = gr.State(None)  # the last outline: {"json": …, "inputs": what it was made from}
        d_text = gr.Textbox(label="初稿（可直接修改）", lines=14, elem_id="draft-text")
        d_legend = gr.Markdown(elem_id="draft-legend")
        d_marked = gr.HighlightedText(
            label="核查结果：标色的是在事实中找不到出处的内容（颜色所指的类型见上方图例）",
            elem_id="draft-marked",
        )
        d_table = gr.Markdown()
        with gr.Row():
            d_section = gr.Dropdown(label="重写其中一部分", choices=[], elem_id="draft-section")
            d_redo = gr.Button("重写此部分", elem_id="draft-redo")
        with gr.Row():
            d_fmt = gr.Radio([".docx", ".md", ".txt"], value=".docx", label="导出格式")
            d_export = gr.Button("导出", elem_id="draft-export")
            d_file = gr.File(label="下载", elem_id="draft-file")

    @friendly
    def find(
        kind: str, facts: str, dropped: list[str] | None, request: gr.Request
    ) -> tuple[Any, Any, Any, str]:
        """The very list the draft takes its precedents from (the dropped ones left out), best first."""
        dropped = list(dropped or [])
        viewer = viewers.of(request)
        found = (
            wb.precedent_candidates(kind, facts, exclude=dropped, k=6, viewer=viewer) if facts.strip() else []
        )
        text = (
            candidates_markdown(found, wb.settings.precedents)
            if facts.strip()
            else "请先填写本期事实，再查找范文：范文按事实的内容挑选。"
        )
        choices = [(d.title, d.doc_id) for d in found]
        titles = {d.doc_id: d.title for d in wb.list_documents(viewer=viewer)} if dropped else {}
        kept = [(titles.get(d, d), d) for d in dropped if d not in {c for _, c in choices}]
        return (
            gr.update(choices=choices, value=[]),
            gr.update(choices=choices + kept, value=dropped),  # what was dropped stays dropped
            gr.update(choices=choices),
            text,
        )

    def inputs_of(*values: Any) -> list[Any]:
        """What an outline was made from: a draft follows it only while these are unchanged."""
        return [v if isinstance(v, str) else sorted(v or []) for v in values]

    @friendly
    def make_outline(
        kind: str,
        unit: str,
        period: str,
        facts: str,
        pinned: list[str],
        dropped: list[str],
        request: gr.Request,
    ) -> tuple[dict[str, Any], list[list[Any]], str]:
        if not facts.strip():
            raise InputError("没有提供本期事实", "请先写下本期的事实，每行一条，再生成提纲。")
        viewer = viewers.of(request)
        made = wb.outline(kind, facts, unit, period, pinned or (), dropped or (), viewer).to_json()
        state = {"json": made, "inputs": inputs_of(kind, unit, period, facts, pinned, dropped)}
        return state, outline_rows(made), outline_ledger_html(made)

    def preview(made: dict[str, Any] | None, rows: list[list[Any]] | None) -> Any:
        """The ledger as the edited table now places the facts, with what is wrong with the edit, if any."""
        if not made:
            return gr.update()
        edited = outline_from_rows(made["json"], rows or [])
        try:
            wb.load_outline(edited)
        except WorkbenchError as exc:
            return outline_ledger_html(edited, f"{exc.message}。{OUTLINE_HINT}")
        return outline_ledger_html(edited)

    def load(made: dict[str, Any], rows: list[list[Any]] | None) -> Outline:
        """The outline the edited table says, validated by the core; its errors told in the table's terms."""
        try:
            return wb.load_outline(outline_from_rows(made["json"], rows or []))
        except WorkbenchError as exc:
            raise InputError(exc.message, OUTLINE_HINT) from exc

    @friendly_stream
    def draft(
        kind: str,
        unit: str,
        period: str,
        facts: str,
        pinned: list[str],
        dropped: list[str],
        made: dict[str, Any] | None,
        rows: list[list[Any]] | None,
        request: gr.Request,
    ) -> Iterator[Any]:
        plan = None
        viewer = viewers.of(request)
        if made:
            if made["inputs"] != inputs_of(kind, unit, period, facts, pinned, dropped):
                raise InputError(
                    "提纲生成之后，文稿类型、单位、时间范围、事实或所选范文有改动",
                    "请重新点“生成提纲”，再生成初稿。",
                )
            plan = load(made, rows)
        for text, result in streamed(
            lambda put, stop: wb.draft(
                kind,
                facts,
                unit,
                period,
                pinned or (),
                dropped or (),
                on_token=put,
                cancelled=stop,
                outline=plan,
                viewer=viewer,
            )
        ):
            if result is None:
                yield text, gr.update(), gr.update(), gr.update(), gr.update(), gr.update()
            else:
                yield (
                    result.text,
                    *checked_views(result.text, result.check),
                    used_precedents_markdown(result.precedents),
                    ledger_html(result),
                )

    @friendly
    def recheck(text: str, facts: str, unit: str, period: str) -> tuple[str, Any, str]:
        report = wb.check(text, [facts, unit, period]) if text.strip() and facts.strip() else None
        return checked_views(text, report)

    @friendly
    def do_export(text: str, fmt: str) -> str:
        # A folder per export: two users exporting at once must not write (and download) the same file.
        return str(export(text, Path(tempfile.mkdtemp(dir=exports)) / f"初稿{fmt}"))

    @friendly
    def full_text(doc_id: str | None, request: gr.Request) -> str:
        return wb.document_text(doc_id, viewers.of(request)) if doc_id else ""

    def headings(text: str) -> Any:
        found = [h for h, _ in top_sections(text) if h]
        return gr.update(choices=found, value=found[0] if found else None)

    @friendly_stream
    def redo(text: str, heading: str, kind: str, unit: str, period: str, facts: str) -> Iterator[Any]:
        for partial, result in streamed(
            lambda put, stop: wb.redraft_section(
                text, heading or "", kind, facts, unit, period, on_token=put, cancelled=stop
            )
        ):
            if result is None:
                yield gr.update(), gr.update(), gr.update(), f"正在重写“{heading}”：{partial[-80:]}"
            else:
                yield (result.text, *checked_views(result.text, result.check))

    d_find.click(find, [d_type, d_facts, d_drop], [d_pick, d_drop, d_view, d_hits], concurrency_limit=4)
    d_view.change(full_text, d_view, d_full, concurrency_limit=4)
    d_plan.click(
        make_outline,
        [d_type, d_unit, d_period, d_facts, d_pick, d_drop],
        [d_made, d_outline, d_ledger],
        concurrency_limit=4,
    )
    d_outline.input(preview, [d_made, d_outline], d_ledger, concurrency_limit=4)
    job = d_go.click(
        draft,
        [d_type, d_unit, d_period, d_facts, d_pick, d_drop, d_made, d_outline],
        [d_text, d_legend, d_marked, d_table, d_hits, d_ledger],
        concurrency_id="model",
        concurrency_limit=1,
    )
    d_stop.click(None, cancels=[job])
    d_text.blur(
        recheck,
        [d_text, d_facts, d_unit, d_period],
        [d_legend, d_marked, d_table],
        concurrency_id="model",
        concurrency_limit=1,
    )
    d_export.click(do_export, [d_text, d_fmt], d_file, concurrency_limit=4)
    job.then(headings, d_text, d_section)
    d_redo.click(
        redo,
        [d_text, d_section, d_type, d_unit, d_period, d_facts],
        [d_text, d_legend, d_marked, d_table],
        concurrency_id="model",
        concurrency_limit=1,
    ).then(headings, d_text, d_section)
    return DraftPage(d_type, d_facts, d_text)
