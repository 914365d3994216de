"""Pure formatting for the pages: core results → what Gradio components show. No Gradio import here."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from ..check import CheckReport
from ..types import DocumentInfo, Hit

if TYPE_CHECKING:
    from ..write.draft import Precedent

VERDICT_LABEL = {"supported": "有出处", "unsupported": "无出处", "unverifiable": "待核实"}


def highlighted(text: str, report: CheckReport | None) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, label) pairs for gr.HighlightedText: unsupported facts labelled with their reason."""
    if report is None:
        return [(text, None)]
    spans = sorted(report.unsupported_spans, key=lambda s: s.start)
    out: list[tuple[str, str | None]] = []
    at = 0
    for span in spans:
        if span.start < at or span.end > len(text):
            continue  # overlapping or out of range: keep the earlier one
        if span.start > at:
            out.append((text[at : span.start], None))
        out.append((text[span.start : span.end], f"无出处：{span.reason}"))
        at = span.end
    if at < len(text):
        out.append((text[at:], None))
    return out


def marked(text: str, report: CheckReport | None) -> dict[str, Any]:
    """Props for gr.HighlightedText: the pieces, and a red for each reason (its labels are the reasons)."""
    pieces = highlighted(text, report)
    return {"value": pieces, "color_map": {label: "#f8b4b4" for _, label in pieces if label}}


def check_summary(report: CheckReport | None) -> str:
    """A Markdown table of the claims that need a person's eye, with their evidence."""
    if report is None:
        return ""
    flagged = [c for c in report.claims if c.verdict != "supported"]
    head = f"**核查得分 {report.score:.2f}**：{len(report.claims)} 条陈述，" + (
        f"{sum(c.verdict == 'unsupported' for c in report.claims)} 条无出处。"
    )
    if not flagged:
        return head + " 全部有出处。"
    rows = [
        f"| {VERDICT_LABEL[c.verdict]} | {_cell(c.text)} | {_cell(c.reason)} | {_cell(' / '.join(c.evidence[:1]))} |"
        for c in flagged
    ]
    return "\n".join([head, "", "| 判定 | 陈述 | 理由 | 最接近的原文 |", "| --- | --- | --- | --- |", *rows])


def sources_table(report: CheckReport | None) -> str:
    """Each summary sentence beside the source passages it came from (the checker's evidence)."""
    if report is None or not report.claims:
        return ""
    rows = [
        f"| {_cell(c.text)} | {_cell(' / '.join(c.evidence)) or '（未找到）'} |"
        for c in report.claims
        if len(c.text) >= 6
    ]
    return "\n".join(["| 摘要句 | 原文出处 |", "| --- | --- |", *rows])


def _cell(text: str) -> str:
    return escape(text.replace("\n", " ").replace("|", "｜"))[:160]


def mark_terms(text: str, query: str) -> str:
    """Escaped text with the query's words (jieba tokens of two or more characters) wrapped in <mark>."""
    from ..text.tokens import tokenize

    out = escape(text)
    for term in sorted({t for t in tokenize(query) if len(t) >= 2}, key=len, reverse=True):
        out = out.replace(escape(term), f"<mark>{escape(term)}</mark>")
    return out


def hits_markdown(hits: list[Hit], query: str = "") -> str:
    if not hits:
        return "没有找到相关内容。"
    parts = []
    for i, h in enumerate(hits, 1):
        where = f" › {escape(h.heading)}" if h.heading else ""
        parts.append(
            f"**{i}. 【{h.type}】{escape(h.title)}**{where}  \n"
            f"<small>{h.date or '日期不详'} · 得分 {h.score:.4f} · `{h.doc_id}`</small>\n\n"
            f"> {mark_terms(h.text.replace(chr(10), ' ').replace('|', '｜')[:160], query)}"
        )
    return "\n\n".join(parts)


def candidates_markdown(docs: Sequence[DocumentInfo], use: int) -> str:
    """The documents 查找范文 found, best first, the first ``use`` marked ✓: unless others are pinned, the
    draft follows exactly those."""
    if not docs:
        return "库中没有可参考的范文：初稿将只按文稿类型的结构要求写。"
    head = (
        f"**按本期事实找到的范文**：标 ✓ 的 {min(use, len(docs))} 篇将用作初稿的参考（只学结构和写法）；"
        "也可在上方指定或排除。"
        if use > 0
        else "**按本期事实找到的范文**：当前设置下初稿不参考范文。"
    )
    rows = [
        f"{i}. {'✓ 将参考 ' if i <= use else ''}**{escape(d.title)}**  \n"
        f"<small>【{d.type}】{d.date or '日期不详'}{' · ' + escape(d.unit) if d.unit else ''} · `{d.doc_id}`</small>"
        for i, d in enumerate(docs, 1)
    ]
    return "\n".join([head, "", *rows])


def used_precedents_markdown(precedents: Sequence[Precedent]) -> str:
    """The precedents a draft was written after, shown once it is done."""
    if not precedents:
        return ""
    return "**本次参考的范文**（只学结构和写法，其中的数字、人名已遮去）：\n\n" + "\n".join(
        f"- {p.title} `{p.doc_id}`" for p in precedents
    )


def documents_table(rows: list[DocumentInfo]) -> list[list[str | int]]:
    return [[d.doc_id, d.title, d.type, d.unit, d.date, d.chunks] for d in rows]


DOC_HEADERS = ["编号", "标题", "类型", "单位", "日期", "片段数"]
