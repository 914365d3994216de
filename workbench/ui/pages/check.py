"""核查: any text against facts or source documents, each unsupported figure, date, name or sentence marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ...core import Workbench
from ..format import check_summary, marked
from ..jobs import friendly


@dataclass(frozen=True)
class CheckPage:
    """The components of the 核查 tab that the rest of the app may need."""

    docs: gr.Dropdown  # the library documents: refreshed when the library changes


def build(wb: Workbench) -> CheckPage:
    """The 核查 tab, inside the current ``gr.Tabs``."""
    with gr.Tab("核查", id="check"):
        with gr.Row():
            k_text = gr.Textbox(label="要核查的文字", lines=10, elem_id="check-text")
            k_sources = gr.Textbox(label="事实材料或原文", lines=10, elem_id="check-sources")
        k_docs = gr.Dropdown(label="也可以选择库中文档作为原文", choices=[], multiselect=True)
        k_go = gr.Button("核查", variant="primary", elem_id="check-go")
        k_marked = gr.HighlightedText(label="核查结果", elem_id="check-marked")
        k_table = gr.Markdown(elem_id="check-table")

    @friendly
    def check(text: str, sources: str, doc_ids: list[str] | None) -> tuple[Any, str]:
        texts = [sources] + [wb.document_text(d) for d in doc_ids or []]
        report = wb.check(text, texts)
        return gr.update(**marked(text, report)), check_summary(report)

    k_go.click(
        check,
        [k_text, k_sources, k_docs],
        [k_marked, k_table],
        concurrency_id="model",
        concurrency_limit=1,
    )
    return CheckPage(k_docs)
