"""The Gradio Blocks app: six pages over one Workbench (one module each under ``pages/``), and the wiring
between them. Handlers call the core and format; nothing else."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: documents stay here

import gradio as gr

from ..core import Workbench
from .format import documents_table
from .pages import check, condense, draft, evals, library, plan


def _doc_choices(wb: Workbench) -> list[tuple[str, str]]:
    return [(f"{d.title}（{d.type}，{d.date or '日期不详'}）", d.doc_id) for d in wb.list_documents()]


def build(wb: Workbench) -> gr.Blocks:
    """The whole app. ``wb`` is shared by every session: the core is thread-safe where it writes."""
    exports = Path(tempfile.mkdtemp(prefix="workbench-export-"))

    with gr.Blocks(title="报告写作台", analytics_enabled=False) as app:
        gr.Markdown("# 报告写作台\n按本期事实起草、压缩长报告、逐句核查——全部在本机完成。")
        with gr.Tabs():
            draft.build(wb, exports)
            plan_page = plan.build(wb, exports)
            condense_page = condense.build(wb)
            check_page = check.build(wb)
            library_page = library.build(wb)
            evals.build(wb)

        # The documents offered as sources on 摘要 and 核查 (and the plans on 对照要点) follow the library.
        doc_dropdowns = [condense_page.doc, check_page.docs, plan_page.doc]

        def choices() -> tuple[Any, Any, Any]:
            docs = _doc_choices(wb)
            return gr.update(choices=docs), gr.update(choices=docs), gr.update(choices=plan.plan_choices(wb))

        for changed in library_page.changed:
            changed.then(choices, None, doc_dropdowns)
        app.load(lambda: documents_table(wb.list_documents()), None, library_page.table).then(
            choices, None, doc_dropdowns
        )
    return cast(gr.Blocks, app)
