"""范文库: upload reports (or a zip of a folder) into the library, list and filter it, search it, read or
delete a document. With login, each user's uploads are theirs (私有 unless they share them with their unit or
everyone); the page shows and touches only what the core lets the logged-in user see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from gradio.events import Dependency

from ...core import Workbench
from ...errors import InputError
from ...types import DOC_TYPES, PRIVATE, VISIBILITY_LABELS
from ..format import DOC_HEADERS, documents_table, hits_markdown
from ..jobs import friendly
from ..viewers import Viewers, forget_upload

VISIBILITY_CHOICES = [(label, code) for code, label in VISIBILITY_LABELS.items()]


@dataclass(frozen=True)
class LibraryPage:
    """The components of the 范文库 tab that the rest of the app may need."""

    table: gr.Dataframe
    changed: tuple[Dependency, ...]  # events after which the library holds other documents


def build(wb: Workbench, viewers: Viewers) -> LibraryPage:
    """The 范文库 tab, inside the current ``gr.Tabs``."""
    with gr.Tab("范文库", id="library"):
        with gr.Row():
            l_files = gr.File(
                label=f"上传报告（可多选；也可上传整个文件夹打成的 zip；单个不超过 {wb.settings.max_file_mb:g} MB）",
                file_count="multiple",
                elem_id="library-files",
                file_types=[".txt", ".md", ".docx", ".pdf", ".zip"],
            )
            l_report = gr.Markdown(elem_id="library-report")
        with gr.Row():
            l_share = gr.Radio(
                VISIBILITY_CHOICES,
                value=PRIVATE,
                label="导入后谁能看到（登录使用时有效）",
                elem_id="library-share",
            )
            l_ingest = gr.Button("导入范文库", variant="primary", elem_id="library-ingest")
        with gr.Row():
            l_type = gr.Dropdown(["全部", *DOC_TYPES], value="全部", label="类型")
            l_year = gr.Textbox(label="年份", placeholder="如 2023")
            l_unit = gr.Textbox(label="单位")
            l_refresh = gr.Button("筛选")
        l_table = gr.Dataframe(headers=DOC_HEADERS, interactive=False, elem_id="library-table")
        with gr.Row():
            l_query = gr.Textbox(
                label="检索", placeholder="例如：主题党日 重温入党誓词", elem_id="library-query"
            )
            l_search = gr.Button("检索", elem_id="library-search")
        l_hits = gr.Markdown(elem_id="library-hits")
        with gr.Row():
            l_id = gr.Textbox(label="文档编号", placeholder="从上表复制")
            l_preview = gr.Button("预览全文", elem_id="library-preview")
            l_delete = gr.Button("删除", variant="stop", elem_id="library-delete")
            l_visibility = gr.Dropdown(VISIBILITY_CHOICES, label="可见范围", elem_id="library-visibility")
            l_set = gr.Button("修改可见范围", elem_id="library-set-visibility")
        l_text = gr.Textbox(label="全文", lines=10, elem_id="library-text")

    @friendly
    def ingest(
        files: list[str] | None,
        share: str,
        request: gr.Request,
    ) -> tuple[str, None]:
        if not files:
            return "请先选择文件。", None
        if gone := [Path(f).name for f in files if not Path(f).is_file()]:
            raise InputError(f"上传的文件 {'、'.join(gone)} 已失效", "请重新选择文件上传。")
        try:
            report = wb.ingest_uploads(files, viewers.of(request), share or PRIVATE)
        finally:  # the library keeps its own copy; Gradio's would be served to anyone logged in
            for f in files:
                forget_upload(f)
        lines = [
            f"新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}，写入 {report.chunks} 个片段。"
        ]
        lines += [f"- ✗ {Path(e['path']).name}：{e['error']}（{e['hint']}）" for e in report.errors]
        lines += [
            f"- 跳过 {Path(s['path']).name}（{'不支持的类型' if s['reason'] == 'unsupported type' else s['reason']}）"
            for s in report.skipped
        ]
        return "\n".join(lines), None  # the upload box is emptied: its files are gone from Gradio's folder

    @friendly
    def listing(kind: str, year: str, unit: str, request: gr.Request) -> list[list[str | int]]:
        y = int(year) if year.strip().isdigit() else None
        rows = wb.list_documents(
            None if kind == "全部" else kind, y, unit.strip() or None, viewers.of(request)
        )
        return documents_table(rows)

    @friendly
    def search(query: str, kind: str, year: str, unit: str, request: gr.Request) -> str:
        y = int(year) if year.strip().isdigit() else None
        kind_or_none = None if kind == "全部" else kind
        return hits_markdown(
            wb.search(query, 8, kind_or_none, y, unit.strip() or None, viewer=viewers.of(request))
        )

    @friendly
    def preview(doc_id: str, request: gr.Request) -> str:
        return wb.document_text(doc_id.strip(), viewers.of(request))

    @friendly
    def delete(doc_id: str, request: gr.Request) -> str:
        return f"已删除 {wb.remove(doc_id.strip(), viewers.of(request))} 篇。"

    @friendly
    def set_visibility(doc_id: str, visibility: str | None, request: gr.Request) -> str:
        if not visibility:
            return "请先选择可见范围。"
        info = wb.set_visibility(doc_id.strip(), visibility, viewers.of(request))
        return f"“{info.title}”现在的可见范围：{VISIBILITY_LABELS[info.visibility]}。"

    filters = [l_type, l_year, l_unit]
    ingested = l_ingest.click(
        ingest, [l_files, l_share], [l_report, l_files], concurrency_id="write", concurrency_limit=1
    ).then(listing, filters, l_table)
    l_refresh.click(listing, filters, l_table, concurrency_limit=8)
    l_search.click(search, [l_query, *filters], l_hits, concurrency_limit=8)
    l_query.submit(search, [l_query, *filters], l_hits, concurrency_limit=8)
    l_preview.click(preview, l_id, l_text, concurrency_limit=8)
    deleted = l_delete.click(delete, l_id, l_report, concurrency_id="write", concurrency_limit=1).then(
        listing, filters, l_table
    )
    shared = l_set.click(
        set_visibility, [l_id, l_visibility], l_report, concurrency_id="write", concurrency_limit=1
    ).then(listing, filters, l_table)
    return LibraryPage(l_table, (ingested, deleted, shared))
