"""The Gradio Blocks app: six pages over one Workbench (one module each under ``pages/``), and the wiring
between them. Handlers call the core and format; nothing else."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: documents stay here

import gradio as gr

from ..core import Workbench
from ..types import Viewer
from .format import documents_table
from .pages import check, condense, draft, evals, library, plan
from .viewers import Viewers


def _doc_choices(wb: Workbench, viewer: Viewer | None) -> list[tuple[str, str]]:
    return [
        (f"{d.title}（{d.type}，{d.date or '日期不详'}）", d.doc_id) for d in wb.list_documents(viewer=viewer)
    ]


def build(wb: Workbench, profiles: Mapping[str, Viewer] | None = None) -> gr.Blocks:
    """The whole app. ``wb`` is shared by every session: the core is thread-safe where it writes. With login,
    each session sees the library as its user may (``profiles``: unit and admin flag per user name)."""
    exports = Path(tempfile.mkdtemp(prefix="workbench-export-"))
    viewers = Viewers(profiles or {})

    # delete_cache: uploads never imported (and old exports) leave Gradio's folder after an hour.
    with gr.Blocks(title="报告写作台", analytics_enabled=False, delete_cache=(3600, 3600)) as app:
        gr.Markdown("# 报告写作台\n按本期事实起草、压缩长报告、逐句核查——全部在本机完成。")
        with gr.Tabs():
            draft.build(wb, exports, viewers)
            plan_page = plan.build(wb, exports, viewers)
            condense_page = condense.build(wb, viewers)
            check_page = check.build(wb, viewers)
            library_page = library.build(wb, viewers)
            evals.build(wb)

        # The documents offered as sources on 摘要 and 核查 (and the plans on 对照要点) follow the library.
        doc_dropdowns = [condense_page.doc, check_page.docs, plan_page.doc]

        def choices(request: gr.Request) -> tuple[Any, Any, Any]:
            viewer = viewers.of(request)
            docs = _doc_choices(wb, viewer)
            plans = plan.plan_choices(wb, viewer)
            return gr.update(choices=docs), gr.update(choices=docs), gr.update(choices=plans)

        def table(request: gr.Request) -> list[list[str | int]]:
            return documents_table(wb.list_documents(viewer=viewers.of(request)))

        for changed in library_page.changed:
            changed.then(choices, None, doc_dropdowns)
        app.load(table, None, library_page.table).then(choices, None, doc_dropdowns)
    return cast(gr.Blocks, app)
