"""The eval report for people: one self-contained HTML page (inline SVG charts, no scripts, no network)."""

from __future__ import annotations

from html import escape
from typing import Any


def _bars(rows: list[tuple[str, float]], width: int = 360) -> str:
    """A horizontal bar chart of shares in [0, 1]."""
    height = 22 * len(rows) + 10
    parts = [f'<svg width="{width + 200}" height="{height}" role="img">']
    for i, (label, value) in enumerate(rows):
        y = 5 + 22 * i
        parts.append(f'<text x="0" y="{y + 14}" font-size="13">{escape(label)}</text>')
        parts.append(f'<rect x="110" y="{y}" width="{value * width:.1f}" height="16" fill="#3b6ea8"/>')
        parts.append(f'<text x="{115 + value * width:.1f}" y="{y + 13}" font-size="12">{value:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(scores: list[float], bins: int = 5) -> list[tuple[str, float]]:
    """Shares of scores in equal bins over [0, 1] (pure), labelled "0.0–0.2" and so on."""
    if not scores:
        return []
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(s * bins))] += 1
    return [(f"{i / bins:.1f}–{(i + 1) / bins:.1f}", c / len(scores)) for i, c in enumerate(counts)]


def html_report(result: dict[str, Any]) -> str:
    faith = result.get("faithfulness") or {}
    by_kind = faith.get("by_kind", {})
    thresholds = result.get("thresholds", {})
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td>{v['value']}</td><td>{v['min']}</td>"
        f"<td>{'✓' if v['passed'] else '✗'}</td></tr>"
        for k, v in thresholds.items()
    )
    worst = "".join(
        f"<tr><td>{escape(i['kind'])}</td><td>{escape(i['label'])}</td><td>{escape(i['verdict'])}</td>"
        f"<td>{escape(i['claim'])}</td><td>{escape(' / '.join(i['evidence']))}</td><td>{escape(i['reason'])}</td></tr>"
        for i in result.get("worst", [])[:50]
    )
    retrieval = result.get("retrieval") or {}
    hist = ""
    for key, label in (("summaries", "摘要"), ("drafts", "起草")):
        section = result.get(key) or {}
        scores = [float(i["score"]) for i in section.get("items", []) if "score" in i]
        if scores:
            hist += f"<h3>{label}核查得分分布（{len(scores)} 篇）</h3>" + _bars(histogram(scores))
    summaries = result.get("summaries") or {}
    drafts = result.get("drafts") or {}
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>评测报告</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}} td,th{{border:1px solid #ccc;padding:4px 8px;
vertical-align:top}} table{{border-collapse:collapse}}</style></head><body>
<h1>评测报告 {"✓ 通过" if result.get("passed") else "✗ 未通过"}</h1>
<h2>阈值</h2><table><tr><th>指标</th><th>结果</th><th>阈值</th><th></th></tr>{rows}</table>
<h2>忠实度核查</h2>
<p>平衡准确率 {faith.get("balanced_accuracy")}；数字和日期 {faith.get("balanced_accuracy_number_date")}；
原句误报 {faith.get("verbatim_false_flags")}；混淆表 {escape(str(faith.get("confusion")))}；
{faith.get("claims_per_second")} 条/秒</p>
<h3>各类陈述被判为“无出处”的比例</h3>
{_bars([(k, float(v["flagged"])) for k, v in by_kind.items()])}
<h2>检索</h2><p>hit@1 {retrieval.get("hit@1")}，hit@5 {retrieval.get("hit@5")}，MRR {retrieval.get("mrr")}
（{escape(str(retrieval.get("embedder", "")))}，{retrieval.get("n")} 条）</p>
<h2>摘要与起草</h2>
<p>摘要：数字准确率 {summaries.get("number_precision")}，无出处陈述比例 {summaries.get("unsupported_rate")}，
字数达标率 {summaries.get("length_compliance")}。起草：每篇编造的数字/日期/名称 {drafts.get("invented_per_draft")}，
无编造的比例 {drafts.get("clean_share")}。</p>
{hist}
<h2>判错的条目</h2>
<table><tr><th>类型</th><th>标注</th><th>判定</th><th>陈述</th><th>证据</th><th>理由</th></tr>{worst}</table>
</body></html>
"""
