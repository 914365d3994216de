"""对照要点: a 工作要点 against the year's facts, item by item — each item's status in its colour with the facts
and figures behind it, the user's corrections of which fact reports on which item, then a 工作总结 in the
plan's order (items with no fact listed, never written) and the 对照表 reviewers ask for."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from ...core import Workbench
from ...errors import InputError, WorkbenchError
from ...plan.report import PlanCheck
from ...types import Viewer
from ...write.export import export
from ..jobs import friendly, friendly_stream, streamed
from ..outline_view import ledger_html
from ..plan_view import (
    MAPPING_HEADERS,
    MAPPING_HINT,
    counts_html,
    mapping_from_rows,
    mapping_rows,
    plan_table_html,
    unmatched_html,
    unseen_html,
)
from ..viewers import Viewers

PLAN_TYPE = "工作要点"
_YEAR = re.compile(r"^\s*(\d{4})\s*年?(?:度)?\s*$")
_FILE_TYPES = [".txt", ".md", ".docx", ".pdf"]


@dataclass(frozen=True)
class PlanPage:
    """The components of the 对照要点 tab that the rest of the app may need."""

    doc: gr.Dropdown  # the library's 工作要点: refreshed when the library changes


def plan_choices(wb: Workbench, viewer: Viewer | None = None) -> list[tuple[str, str]]:
    """The library's 工作要点 ``viewer`` may see, newest first, as (label, doc id)."""
    return [
        (f"{d.title}（{d.date or '日期不详'}）", d.doc_id)
        for d in wb.list_documents(type=PLAN_TYPE, viewer=viewer)
    ]


def year_of(text: str | None) -> int | None:
    """The 年度 field as a year: blank is any year; 2024, 2024年 and 2024年度 are 2024."""
    if not text or not str(text).strip():
        return None
    m = _YEAR.match(str(text))
    if not m:
        raise InputError(
            f"年度“{str(text).strip()[:20]}”不是年份", "请填写四位数字的年份，例如 2024，或留空。"
        )
    return int(m.group(1))


def build(wb: Workbench, exports: Path, viewers: Viewers) -> PlanPage:
    """The 对照要点 tab, inside the current ``gr.Tabs``; exported files go under ``exports``."""
    with gr.Tab("对照要点", id="plan"):
        with gr.Row():
            with gr.Column():
                p_doc = gr.Dropdown(label="从范文库选择工作要点", choices=[], elem_id="plan-doc")
                p_upload = gr.File(
                    label=f"或上传工作要点（txt / md / docx / pdf，不超过 {wb.settings.max_file_mb:g} MB）",
                    file_types=_FILE_TYPES,
                    elem_id="plan-upload",
                )
                p_plan = gr.Textbox(
                    label="工作要点全文（选择或上传后显示在此，也可直接粘贴）", lines=10, elem_id="plan-text"
                )
            with gr.Column():
                p_facts_file = gr.File(
                    label="上传本年度事实（每行一条）", file_types=_FILE_TYPES, elem_id="plan-facts-file"
                )
                p_facts = gr.Textbox(label="本年度事实（每行一条）", lines=10, elem_id="plan-facts")
                with gr.Row():
                    p_library = gr.Checkbox(label="从范文库取材料", elem_id="plan-from-library")
                    p_unit = gr.Textbox(label="单位", placeholder="例如：云溪县教育局", elem_id="plan-unit")
                    p_year = gr.Textbox(label="年度", placeholder="例如：2024", elem_id="plan-year")
        p_go = gr.Button("对照", variant="primary", elem_id="plan-go")
        p_counts = gr.HTML(elem_id="plan-counts")
        p_table = gr.HTML(elem_id="plan-table")
        p_unmatched = gr.HTML(elem_id="plan-unmatched")
        with gr.Accordion("调整事实归属（把事实移到别的要点）", open=True):
            p_mapping = gr.Dataframe(
                headers=MAPPING_HEADERS,
                datatype=["str", "str", "str", "str", "str"],
                type="array",
                column_count=(5, "fixed"),  # type: ignore[arg-type]  # Gradio 6 still reads (n, "fixed")
                static_columns=[0, 1, 2, 4],
                interactive=True,
                wrap=True,
                label="改“要点编号”即把事实移到该要点，清空表示不属于任何要点；改完点“按修改重新对照”",
                elem_id="plan-mapping",
            )
            p_rerun = gr.Button("按修改重新对照", elem_id="plan-rerun")
        p_state = gr.State(None)  # {"check": the last PlanCheck, "inputs": what it was made from}
        with gr.Row():
            p_draft = gr.Button("生成总结", variant="primary", elem_id="plan-draft")
            p_stop = gr.Button("停止", elem_id="plan-stop")
        p_text = gr.Textbox(label="工作总结初稿（可直接修改）", lines=14, elem_id="plan-summary")
        p_unseen = gr.HTML(elem_id="plan-unseen")
        with gr.Accordion("事实台账（每条事实写在了哪里）", open=False):
            p_ledger = gr.HTML(elem_id="plan-ledger")
        with gr.Row():
            p_export_draft = gr.Button("导出总结（.docx）", elem_id="plan-export-draft")
            # .docx by default: the table opens wherever a 公文 is read; .xlsx for reviewers who sort
            p_fmt = gr.Radio([".docx", ".xlsx"], value=".docx", label="对照表格式")
            p_export_table = gr.Button("导出对照表", elem_id="plan-export-table")
            p_file = gr.File(label="下载", elem_id="plan-file")

    @friendly
    def load_doc(doc_id: str | None, unit: str, year: str, request: gr.Request) -> tuple[Any, Any, Any]:
        """The picked plan's text, and its unit and year into the fields the user left empty: the
        library's material of the plan's own unit and year is what 从范文库取材料 should take."""
        if not doc_id:
            return gr.update(), gr.update(), gr.update()
        viewer = viewers.of(request)
        info = next((d for d in wb.list_documents(type=PLAN_TYPE, viewer=viewer) if d.doc_id == doc_id), None)
        return (
            wb.document_text(doc_id, viewer),
            info.unit if info and not unit.strip() else gr.update(),
            info.date[:4] if info and info.date and not year.strip() else gr.update(),
        )

    @friendly
    def load_plan(path: str | None) -> Any:
        return wb.read_text(path) if path else gr.update()

    @friendly
    def load_facts(path: str | None) -> Any:
        # as written (the CLI's --facts too): cleaning would join a fact line that lacks its 。 to the next
        return wb.read_text(path, clean=False) if path else gr.update()

    def inputs_of(plan: str, facts: str, library: bool, unit: str, year: str) -> list[Any]:
        """What a check was made from: a correction applies to it only while these are unchanged."""
        return [plan.strip(), facts.strip(), bool(library), unit.strip(), year.strip()]

    def run(
        plan: str,
        facts: str,
        library: bool,
        unit: str,
        year: str,
        mapping: dict[str, str | None] | None,
        progress: gr.Progress,
        viewer: Viewer | None,
    ) -> tuple[Any, ...]:
        if not plan.strip():
            raise InputError("没有工作要点", "请从范文库选择、上传或直接粘贴一份工作要点。")
        if not facts.strip() and not library:
            raise InputError(
                "没有提供本年度的事实",
                "请在“本年度事实”中每行写一条，或上传事实文件，或勾选“从范文库取材料”。",
            )
        check = wb.plan_check(
            plan,
            facts,
            from_library=library,
            unit=unit.strip() or None,
            year=year_of(year),
            mapping=mapping,
            progress=lambda done, total: progress((done, total), desc="正在匹配事实与要点"),
            viewer=viewer,
        )
        state = {"check": check, "inputs": inputs_of(plan, facts, library, unit, year)}
        return (
            state,
            counts_html(check),
            plan_table_html(check),
            unmatched_html(check),
            mapping_rows(check),
        )

    @friendly
    def compare(
        plan: str,
        facts: str,
        library: bool,
        unit: str,
        year: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's idiom)
    ) -> tuple[Any, ...]:
        return run(plan, facts, library, unit, year, None, progress, viewers.of(request))

    @friendly
    def recompare(
        plan: str,
        facts: str,
        library: bool,
        unit: str,
        year: str,
        made: dict[str, Any] | None,
        rows: list[list[Any]] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio's idiom)
    ) -> tuple[Any, ...]:
        if not made:
            raise InputError("还没有对照结果", "请先点“对照”，再调整事实归属。")
        if made["inputs"] != inputs_of(plan, facts, library, unit, year):
            raise InputError(
                "对照之后，工作要点、事实、单位或年度有改动，表中的事实序号已对不上",
                "请重新点“对照”，再调整事实归属。",
            )
        mapping = mapping_from_rows(rows or [], len(made["check"].facts))
        try:
            return run(plan, facts, library, unit, year, mapping, progress, viewers.of(request))
        except WorkbenchError as exc:  # the core's hint speaks of a JSON file; say it in the table's terms
            raise InputError(exc.message, MAPPING_HINT) from exc

    @friendly_stream
    def summarize(
        plan: str, facts: str, library: bool, unit: str, year: str, made: dict[str, Any] | None
    ) -> Iterator[Any]:
        if not made:
            raise InputError("还没有对照结果", "请先点“对照”，确认各项落实情况后再生成总结。")
        if made["inputs"] != inputs_of(plan, facts, library, unit, year):
            raise InputError(
                "对照之后，工作要点、事实、单位或年度有改动，总结会与上面的对照结果不一致",
                "请重新点“对照”，再生成总结。",
            )
        check: PlanCheck = made["check"]
        found = year_of(year)
        period = f"{found}年" if found else ""
        for text, result in streamed(
            lambda put, stop: wb.draft_from_plan(check, unit.strip(), period, on_token=put, cancelled=stop)
        ):
            if result is None:
                yield text, gr.update(), gr.update()
            else:
                yield result.text, unseen_html(result.unseen), ledger_html(result)

    def fresh(name: str) -> Path:
        # one folder per export: two users exporting at once never overwrite each other's file
        return Path(tempfile.mkdtemp(dir=exports)) / name

    @friendly
    def export_draft(text: str) -> str:
        if not text.strip():
            raise InputError("还没有总结可导出", "请先点“生成总结”。")
        return str(export(text, fresh("工作总结.docx")))

    @friendly
    def export_table(made: dict[str, Any] | None, fmt: str) -> str:
        if not made:
            raise InputError("还没有对照结果可导出", "请先点“对照”。")
        return str(wb.export_plan_table(made["check"], fresh(f"对照表{fmt}")))

    p_doc.change(load_doc, [p_doc, p_unit, p_year], [p_plan, p_unit, p_year], concurrency_limit=4)
    p_upload.upload(load_plan, p_upload, p_plan, concurrency_limit=4)
    p_facts_file.upload(load_facts, p_facts_file, p_facts, concurrency_limit=4)
    shown = [p_state, p_counts, p_table, p_unmatched, p_mapping]
    p_go.click(
        compare,
        [p_plan, p_facts, p_library, p_unit, p_year],
        shown,
        concurrency_id="model",  # the embedder: one heavy job at a time on 2 cores
        concurrency_limit=1,
    )
    p_rerun.click(
        recompare,
        [p_plan, p_facts, p_library, p_unit, p_year, p_state, p_mapping],
        shown,
        concurrency_id="model",
        concurrency_limit=1,
    )
    job = p_draft.click(
        summarize,
        [p_plan, p_facts, p_library, p_unit, p_year, p_state],
        [p_text, p_unseen, p_ledger],
        concurrency_id="model",
        concurrency_limit=1,
    )
    p_stop.click(None, cancels=[job])
    p_export_draft.click(export_draft, p_text, p_file, concurrency_limit=4)
    p_export_table.click(export_table, [p_state, p_fmt], p_file, concurrency_limit=4)
    return PlanPage(p_doc)
