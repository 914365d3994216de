"""Pure formatting for the pages: core results → what Gradio components show. No Gradio import here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from ..check import CheckReport, ClaimResult, Finding
from ..types import VISIBILITY_LABELS, DocumentInfo, Hit

if TYPE_CHECKING:
    from ..write.draft import Precedent

VERDICT_LABEL = {"supported": "有出处", "unsupported": "无出处", "unverifiable": "待核实"}
UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True)
class Kind:
    """How one kind of finding is shown: its label and its (soft, readable) highlight colour."""

    label: str
    colour: str


# One table for every page: the checker's finding kinds (``Finding.check``), in the order they are listed.
# Gradio shows a highlighted span on its colour at half strength and the span's label in white on the full
# colour, so these are deep enough for white text and soft at half strength: reds and pinks for facts,
# oranges and ambers for what is said of them (state, obligation, decision, scope), purple for the model.
KINDS: dict[str, Kind] = {
    "number": Kind("数字不符", "#dc2626"),
    "binding": Kind("数字对象不符", "#991b1b"),  # the figure is in the sources, but of another thing
    "date": Kind("日期不符", "#be185d"),
    "name": Kind("名称不符", "#e11d48"),
    "polarity": Kind("方向相反", "#0f766e"),
    "state": Kind("状态不符", "#c2410c"),
    "modality": Kind("要求强度不符", "#a16207"),
    "decision": Kind("决定/审批不符", "#78350f"),
    "quantity": Kind("范围/次数不符", "#4d7c0f"),
    "judge": Kind("模型判断不符", "#9333ea"),
    "claim": Kind("无出处", "#475569"),
    UNVERIFIABLE: Kind("待核实", "#2563eb"),  # a claim's verdict, not a finding: listed, never highlighted
}


def kind_of(finding: Finding) -> str:
    """The kind a finding is shown as (its rule; anything else is a claim without a source)."""
    return finding.check if finding.check in KINDS else "claim"


def label_of(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind


def claim_kinds(claim: ClaimResult) -> list[str]:
    """The kinds a claim is listed under: its unsupported findings' (or ``claim`` when no single fact is to
    blame), ``unverifiable`` when the rules could not decide, none when it is supported."""
    if claim.verdict == "unverifiable":
        return [UNVERIFIABLE]
    if claim.verdict != "unsupported":
        return []
    bad = [kind_of(f) for f in claim.findings if f.status == "unsupported"]
    return list(dict.fromkeys(bad)) or ["claim"]


def kind_counts(report: CheckReport | None) -> dict[str, int]:
    """How many highlighted spans of each kind (and unverifiable claims), in the order of ``KINDS``."""
    if report is None:
        return {}
    found = Counter(kind_of(s) for s in report.unsupported_spans)
    found[UNVERIFIABLE] = sum(c.verdict == "unverifiable" for c in report.claims)
    return {k: found[k] for k in KINDS if found[k]}


def kind_choices(report: CheckReport | None) -> list[tuple[str, str]]:
    """(label, kind) for a filter of the kinds present in ``report``."""
    return [(label_of(k), k) for k in kind_counts(report)]


def highlighted(text: str, report: CheckReport | None) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, label) pairs for gr.HighlightedText: each unsupported fact labelled
    "<kind>：<reason>"."""
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
        out.append((text[span.start : span.end], _span_label(span)))
        at = span.end
    if at < len(text):
        out.append((text[at:], None))
    return out


def _span_label(span: Finding) -> str:
    """ "<kind>：<reason>", without the reason's own "……不符：" (the kind already says it)."""
    head, sep, rest = span.reason.partition("：")
    reason = rest if sep and head.endswith("不符") and len(head) <= 8 else span.reason
    return f"{label_of(kind_of(span))}：{reason}"


def marked(text: str, report: CheckReport | None) -> dict[str, Any]:
    """Props for gr.HighlightedText: the pieces, and for each label its kind's colour."""
    pieces = highlighted(text, report)
    colours = {_span_label(s): KINDS[kind_of(s)].colour for s in report.unsupported_spans} if report else {}
    return {"value": pieces, "color_map": {label: colours[label] for _, label in pieces if label}}


def legend(report: CheckReport | None) -> str:
    """HTML for above the highlighted text: each kind present, in its colour, with how many (状态不符 2 · …)."""
    counts = kind_counts(report)
    if not counts:
        return ""
    items = [
        f'<span style="background:{KINDS[k].colour};color:#fff;padding:1px 6px;border-radius:4px">'
        f"{escape(label_of(k))}</span> {n}"
        for k, n in counts.items()
    ]
    note = "（待核实的陈述不标色，见下表）" if UNVERIFIABLE in counts else ""
    return '<div class="check-legend">' + " · ".join(items) + note + "</div>"


def check_summary(report: CheckReport | None, kinds: Collection[str] | None = None) -> str:
    """The source's own problems, then a Markdown table of the claims that need a person's eye, with their
    evidence; with ``kinds`` (keys of ``KINDS``), only the claims listed under one of them."""
    if report is None:
        return ""
    warnings = [f"⚠ {_warning(w)}" for w in report.warnings]
    flagged = [c for c in report.claims if c.verdict != "supported"]
    head = f"**核查得分 {report.score:.2f}**：{len(report.claims)} 条陈述，" + (
        f"{sum(c.verdict == 'unsupported' for c in report.claims)} 条无出处。"
    )
    top = [*(f"{w}  " for w in warnings), ""] if warnings else []
    if not flagged:
        return "\n".join([*top, head + " 全部有出处。"])
    shown = [c for c in flagged if kinds is None or set(claim_kinds(c)) & set(kinds)]
    if len(shown) < len(flagged):
        head += f"（按类型筛选：显示 {len(shown)} / {len(flagged)} 条）"
    if not shown:
        return "\n".join([*top, head, "", "所选类型下没有需要核对的陈述。"])
    rows = [
        f"| {VERDICT_LABEL[c.verdict]} | {'、'.join(label_of(k) for k in claim_kinds(c))} | {_cell(c.text)} "
        f"| {_cell(c.reason)} | {_cell(' / '.join(c.evidence[:1]))} |"
        for c in shown
    ]
    return "\n".join(
        [
            *top,
            head,
            "",
            "| 判定 | 类型 | 陈述 | 理由 | 最接近的原文 |",
            "| --- | --- | --- | --- | --- |",
            *rows,
        ]
    )


def _warning(text: str) -> str:
    """A source's own problem, said plainly as one: 原文数据不一致 → 原文本身的数据不一致."""
    if text.startswith("原文") and not text.startswith("原文本身"):
        return _cell("原文本身的" + text.removeprefix("原文"), 300)
    return _cell("原文本身的问题：" + text, 300)


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


def _cell(text: str, limit: int = 160) -> str:
    return escape(text.replace("\n", " ").replace("|", "｜"))[:limit]


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
    lines = [f"- {escape(p.title)} `{p.doc_id}`" for p in precedents]
    for p in precedents:
        if p.flagged:  # shown to the user, never sent to the model
            lines.append(f"- ⚠ 范文《{escape(p.title)}》中有 {len(p.flagged)} 行像是给模型的指令，已略去：")
            lines += [f"  - {escape(x)}" for x in p.flagged]
    return "**本次参考的范文**（只学结构和写法，其中的数字、人名已遮去）：\n\n" + "\n".join(lines)


def documents_table(rows: list[DocumentInfo]) -> list[list[str | int]]:
    return [
        [
            d.doc_id,
            d.title,
            d.type,
            d.unit,
            d.date,
            d.chunks,
            d.owner or "全站",
            VISIBILITY_LABELS.get(d.visibility, d.visibility) if d.owner else "全部",
        ]
        for d in rows
    ]


DOC_HEADERS = ["编号", "标题", "类型", "单位", "日期", "片段数", "上传者", "可见范围"]
