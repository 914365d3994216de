"""摘要: an uploaded report or a library document → a streamed summary of the asked length, each sentence checked
against the report and shown beside its source passages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ...core import Workbench
from ..format import check_summary, legend, marked, sources_table
from ..jobs import friendly_stream, streamed
from ..viewers import Viewers


@dataclass(frozen=True)
class CondensePage:
    """The components of the 摘要 tab that the rest of the app may need."""

    doc: gr.Dropdown  # the library documents: refreshed when the library changes


def build(wb: Workbench, viewers: Viewers) -> CondensePage:
    """The 摘要 tab, inside the current ``gr.Tabs``."""
    with gr.Tab("摘要", id="condense"):
        with gr.Row():
            c_file = gr.File(
                label=f"上传报告（txt / md / docx / pdf，不超过 {wb.settings.max_file_mb:g} MB）",
                file_types=[".txt", ".md", ".docx", ".pdf"],
            )
            c_doc = gr.Dropdown(label="或选择库中文档", choices=[])
            c_chars = gr.Slider(100, 3000, value=800, step=50, label="摘要字数")
        with gr.Row():
            c_go = gr.Button("生成摘要", variant="primary")
            c_stop = gr.Button("停止")
        c_text = gr.Textbox(label="摘要", lines=10)
        c_legend = gr.Markdown(elem_id="condense-legend")
        c_marked = gr.HighlightedText(label="核查结果")
        c_table = gr.Markdown()
        with gr.Accordion("每句摘要的原文出处", open=False):
            c_sources = gr.Markdown(elem_id="condense-sources")

    @friendly_stream
    def condense(upload: str | None, doc_id: str | None, chars: float, request: gr.Request) -> Iterator[Any]:
        # The title is the report's own, read from its text (never the upload's file name or a doc id).
        if upload:
            source = wb.read_text(upload)
        elif doc_id:
            source = wb.document_text(doc_id, viewers.of(request))
        else:
            raise gr.Error("请上传报告或选择库中的文档。")
        for text, result in streamed(
            lambda put, stop: wb.condense(source, int(chars), on_token=put, cancelled=stop)
        ):
            if result is None:
                yield text, gr.update(), gr.update(), gr.update(), gr.update()
            else:
                yield (
                    result.summary,
                    legend(result.check),
                    gr.update(**marked(result.summary, result.check)),
                    f"共 {result.chars} 字（原文 {result.source_chars} 字，{result.seconds:.1f} 秒）\n\n"
                    + check_summary(result.check),
                    sources_table(result.check),
                )

    c_job = c_go.click(
        condense,
        [c_file, c_doc, c_chars],
        [c_text, c_legend, c_marked, c_table, c_sources],
        concurrency_id="model",
        concurrency_limit=1,
    )
    c_stop.click(None, cancels=[c_job])
    return CondensePage(c_doc)
