"""The Gradio Blocks app: five pages over one Workbench. Handlers call the core and format; nothing else."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: documents stay here

import gradio as gr

from ..core import Workbench
from ..draft import top_sections
from ..export import export
from ..types import DOC_TYPES
from .format import DOC_HEADERS, check_summary, documents_table, hits_markdown, marked, sources_table
from .jobs import friendly, friendly_stream, streamed


def _doc_choices(wb: Workbench) -> list[tuple[str, str]]:
    return [(f"{d.title}（{d.type}，{d.date or '日期不详'}）", d.doc_id) for d in wb.list_documents()]


def build(wb: Workbench) -> gr.Blocks:
    """The whole app. ``wb`` is shared by every session: the core is thread-safe where it writes."""
    exports = Path(tempfile.mkdtemp(prefix="workbench-export-"))

    with gr.Blocks(title="报告写作台", analytics_enabled=False) as app:
        gr.Markdown("# 报告写作台\n按本期事实起草、压缩长报告、逐句核查——全部在本机完成。")
        with gr.Tabs():
            # -- 起草 -------------------------------------------------------------------------------
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
                            d_go = gr.Button("生成初稿", variant="primary", elem_id="draft-go")
                            d_stop = gr.Button("停止")
                    with gr.Column(scale=2):
                        d_pick = gr.CheckboxGroup(label="指定参考的范文（留空则自动选择）", choices=[])
                        d_drop = gr.CheckboxGroup(label="不要参考的范文", choices=[])
                        d_hits = gr.Markdown()
                        with gr.Accordion("查看范文全文", open=False):
                            d_view = gr.Dropdown(label="范文", choices=[])
                            d_full = gr.Textbox(label="全文", lines=10)
                d_text = gr.Textbox(label="初稿（可直接修改）", lines=14, elem_id="draft-text")
                d_marked = gr.HighlightedText(
                    label="核查结果：红色为在事实中找不到出处的内容", elem_id="draft-marked"
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
                def find(kind: str, facts: str) -> tuple[Any, Any, Any, str]:
                    hits = wb.search(f"{kind} {facts}"[:300] or kind, k=6, type=kind) if facts.strip() else []
                    choices = list(dict.fromkeys((h.title, h.doc_id) for h in hits))
                    pick = gr.update(choices=choices, value=[])
                    return pick, pick, gr.update(choices=choices), hits_markdown(hits, facts)

                @friendly_stream
                def draft(
                    kind: str, unit: str, period: str, facts: str, pinned: list[str], dropped: list[str]
                ) -> Iterator[Any]:
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
                        )
                    ):
                        if result is None:
                            yield text, gr.update(), gr.update(), gr.update()
                        else:
                            used = (
                                "**本次参考的范文**（只学结构和写法，其中的数字、人名已遮去）：\n\n"
                                + "\n".join(f"- {p.title} `{p.doc_id}`" for p in result.precedents)
                                if result.precedents
                                else ""
                            )
                            yield (
                                result.text,
                                gr.update(**marked(result.text, result.check)),
                                check_summary(result.check),
                                used,
                            )

                @friendly
                def recheck(text: str, facts: str, unit: str, period: str) -> tuple[Any, str]:
                    report = wb.check(text, [facts, unit, period]) if text.strip() and facts.strip() else None
                    return gr.update(**marked(text, report)), check_summary(report)

                @friendly
                def do_export(text: str, fmt: str) -> str:
                    return str(export(text, exports / f"初稿{fmt}"))

                d_find.click(find, [d_type, d_facts], [d_pick, d_drop, d_view, d_hits], concurrency_limit=4)
                d_view.change(
                    friendly(lambda d: wb.document_text(d) if d else ""), d_view, d_full, concurrency_limit=4
                )
                job = d_go.click(
                    draft,
                    [d_type, d_unit, d_period, d_facts, d_pick, d_drop],
                    [d_text, d_marked, d_table, d_hits],
                    concurrency_id="model",
                    concurrency_limit=1,
                )
                d_stop.click(None, cancels=[job])
                d_text.blur(
                    recheck,
                    [d_text, d_facts, d_unit, d_period],
                    [d_marked, d_table],
                    concurrency_id="model",
                    concurrency_limit=1,
                )
                d_export.click(do_export, [d_text, d_fmt], d_file, concurrency_limit=4)

                def headings(text: str) -> Any:
                    found = [h for h, _ in top_sections(text) if h]
                    return gr.update(choices=found, value=found[0] if found else None)

                @friendly_stream
                def redo(
                    text: str, heading: str, kind: str, unit: str, period: str, facts: str
                ) -> Iterator[Any]:
                    for partial, result in streamed(
                        lambda put, stop: wb.redraft_section(
                            text, heading or "", kind, facts, unit, period, on_token=put, cancelled=stop
                        )
                    ):
                        if result is None:
                            yield gr.update(), gr.update(), f"正在重写“{heading}”：{partial[-80:]}"
                        else:
                            yield (
                                result.text,
                                gr.update(**marked(result.text, result.check)),
                                check_summary(result.check),
                            )

                job.then(headings, d_text, d_section)
                d_redo.click(
                    redo,
                    [d_text, d_section, d_type, d_unit, d_period, d_facts],
                    [d_text, d_marked, d_table],
                    concurrency_id="model",
                    concurrency_limit=1,
                ).then(headings, d_text, d_section)

            # -- 摘要 -------------------------------------------------------------------------------
            with gr.Tab("摘要", id="condense"):
                with gr.Row():
                    c_file = gr.File(
                        label="上传报告（txt / md / docx / pdf）", file_types=[".txt", ".md", ".docx", ".pdf"]
                    )
                    c_doc = gr.Dropdown(label="或选择库中文档", choices=[])
                    c_chars = gr.Slider(100, 3000, value=800, step=50, label="摘要字数")
                with gr.Row():
                    c_go = gr.Button("生成摘要", variant="primary")
                    c_stop = gr.Button("停止")
                c_text = gr.Textbox(label="摘要", lines=10)
                c_marked = gr.HighlightedText(label="核查结果")
                c_table = gr.Markdown()
                with gr.Accordion("每句摘要的原文出处", open=False):
                    c_sources = gr.Markdown(elem_id="condense-sources")

                @friendly_stream
                def condense(upload: str | None, doc_id: str | None, chars: float) -> Iterator[Any]:
                    if upload:
                        source, title = wb.read_text(upload), Path(upload).stem
                    elif doc_id:
                        source, title = wb.document_text(doc_id), doc_id
                    else:
                        raise gr.Error("请上传报告或选择库中的文档。")
                    for text, result in streamed(
                        lambda put, stop: wb.condense(source, int(chars), title, on_token=put, cancelled=stop)
                    ):
                        if result is None:
                            yield text, gr.update(), gr.update(), gr.update()
                        else:
                            yield (
                                result.summary,
                                gr.update(**marked(result.summary, result.check)),
                                f"共 {result.chars} 字（原文 {result.source_chars} 字，{result.seconds:.1f} 秒）\n\n"
                                + check_summary(result.check),
                                sources_table(result.check),
                            )

                c_job = c_go.click(
                    condense,
                    [c_file, c_doc, c_chars],
                    [c_text, c_marked, c_table, c_sources],
                    concurrency_id="model",
                    concurrency_limit=1,
                )
                c_stop.click(None, cancels=[c_job])

            # -- 核查 -------------------------------------------------------------------------------
            with gr.Tab("核查", id="check"):
                with gr.Row():
                    k_text = gr.Textbox(label="要核查的文字", lines=10, elem_id="check-text")
                    k_sources = gr.Textbox(label="事实材料或原文", lines=10, elem_id="check-sources")
                k_docs = gr.Dropdown(label="也可以选择库中文档作为原文", choices=[], multiselect=True)
                k_go = gr.Button("核查", variant="primary", elem_id="check-go")
                k_marked = gr.HighlightedText(label="核查结果", elem_id="check-marked")
                k_table = gr.Markdown(elem_id="check-table")

                @friendly
                def check(text: str, sources: str, doc_ids: list[str]) -> tuple[Any, str]:
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

            # -- 范文库 ------------------------------------------------------------------------------
            with gr.Tab("范文库", id="library"):
                with gr.Row():
                    l_files = gr.File(
                        label="上传报告（可多选；也可上传整个文件夹打成的 zip）",
                        file_count="multiple",
                        elem_id="library-files",
                        file_types=[".txt", ".md", ".docx", ".pdf", ".zip"],
                    )
                    l_report = gr.Markdown(elem_id="library-report")
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
                    l_preview = gr.Button("预览全文")
                    l_delete = gr.Button("删除", variant="stop")
                l_text = gr.Textbox(label="全文", lines=10)

                @friendly
                def ingest(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 (Gradio's idiom)
                    if not files:
                        return "请先选择文件。"
                    saved = [wb.save_upload(f) for f in progress.tqdm(files, desc="保存上传")]
                    report = wb.ingest(saved, progress=False)
                    lines = [
                        f"新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}，"
                        f"写入 {report.chunks} 个片段。"
                    ]
                    lines += [
                        f"- ✗ {Path(e['path']).name}：{e['error']}（{e['hint']}）" for e in report.errors
                    ]
                    lines += [f"- 跳过 {Path(s['path']).name}（不支持的类型）" for s in report.skipped]
                    return "\n".join(lines)

                @friendly
                def listing(kind: str, year: str, unit: str) -> list[list[str | int]]:
                    y = int(year) if year.strip().isdigit() else None
                    return documents_table(
                        wb.list_documents(None if kind == "全部" else kind, y, unit.strip() or None)
                    )

                @friendly
                def search(query: str, kind: str, year: str, unit: str) -> str:
                    y = int(year) if year.strip().isdigit() else None
                    return hits_markdown(
                        wb.search(query, 8, None if kind == "全部" else kind, y, unit.strip() or None)
                    )

                @friendly
                def preview(doc_id: str) -> str:
                    return wb.document_text(doc_id.strip())

                @friendly
                def delete(doc_id: str) -> str:
                    return f"已删除 {wb.remove(doc_id.strip())} 篇。"

                def choices() -> tuple[Any, Any]:
                    docs = _doc_choices(wb)
                    return gr.update(choices=docs), gr.update(choices=docs)

                l_ingest.click(ingest, l_files, l_report, concurrency_id="write", concurrency_limit=1).then(
                    listing, [l_type, l_year, l_unit], l_table
                ).then(choices, None, [c_doc, k_docs])
                l_refresh.click(listing, [l_type, l_year, l_unit], l_table, concurrency_limit=8)
                l_search.click(search, [l_query, l_type, l_year, l_unit], l_hits, concurrency_limit=8)
                l_query.submit(search, [l_query, l_type, l_year, l_unit], l_hits, concurrency_limit=8)
                l_preview.click(preview, l_id, l_text, concurrency_limit=8)
                l_delete.click(delete, l_id, l_report, concurrency_id="write", concurrency_limit=1).then(
                    listing, [l_type, l_year, l_unit], l_table
                )

            # -- 评测 -------------------------------------------------------------------------------
            with gr.Tab("评测", id="evals"):
                e_go = gr.Button("运行快速评测", variant="primary")
                e_report = gr.HTML()

                @friendly
                def evaluate() -> str:
                    from ..evalreport import html_report
                    from ..evalrun import run_eval

                    config = Path(__file__).resolve().parents[2] / "evals" / "config.toml"
                    return html_report(run_eval(config, quick=True))

                e_go.click(evaluate, None, e_report, concurrency_id="model", concurrency_limit=1)

        app.load(lambda: documents_table(wb.list_documents()), None, l_table).then(
            choices, None, [c_doc, k_docs]
        )
    return cast(gr.Blocks, app)
