"""核查: any text against facts or source documents, each unsupported figure, date, name or sentence marked in
the colour of its kind, and the claims to look at filtered by kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ...check import CheckReport
from ...core import Workbench
from ..format import check_summary, kind_choices, legend, marked
from ..jobs import friendly
from ..viewers import Viewers


@dataclass(frozen=True)
class CheckPage:
    """The components of the 核查 tab that the rest of the app may need."""

    docs: gr.Dropdown  # the library documents: refreshed when the library changes


def build(wb: Workbench, viewers: Viewers) -> CheckPage:
    """The 核查 tab, inside the current ``gr.Tabs``."""
    with gr.Tab("核查", id="check"):
        with gr.Row():
            k_text = gr.Textbox(label="要核查的文字", lines=10, elem_id="check-text")
            k_sources = gr.Textbox(label="事实材料或原文", lines=10, elem_id="check-sources")
        k_docs = gr.Dropdown(label="也可以选择库中文档作为原文", choices=[], multiselect=True)
        k_go = gr.Button("核查", variant="primary", elem_id="check-go")
        k_legend = gr.Markdown(elem_id="check-legend")
        k_marked = gr.HighlightedText(label="核查结果", elem_id="check-marked")
        k_kinds = gr.CheckboxGroup(label="按类型筛选", choices=[], elem_id="check-kinds", visible=False)
        k_table = gr.Markdown(elem_id="check-table")
        k_report = gr.State(None)  # the last report: filtering re-renders it without checking again

    @friendly
    def check(
        text: str, sources: str, doc_ids: list[str] | None, request: gr.Request
    ) -> tuple[str, Any, Any, str, CheckReport]:
        viewer = viewers.of(request)
        texts = [sources] + [wb.document_text(d, viewer) for d in doc_ids or []]
        report = wb.check(text, texts)
        choices = kind_choices(report)
        return (
            legend(report),
            gr.update(**marked(text, report)),
            gr.update(choices=choices, value=[k for _, k in choices], visible=bool(choices)),
            check_summary(report),
            report,
        )

    def refilter(report: CheckReport | None, kinds: list[str] | None) -> str:
        return check_summary(report, kinds or [])

    k_go.click(
        check,
        [k_text, k_sources, k_docs],
        [k_legend, k_marked, k_kinds, k_table, k_report],
        concurrency_id="model",
        concurrency_limit=1,
    )
    k_kinds.input(refilter, [k_report, k_kinds], k_table, concurrency_limit=4)
    return CheckPage(k_docs)
