"""What the commands print for people (``--json`` prints the result instead)."""

from __future__ import annotations

from typing import Any

from ..check import CheckReport
from ..types import Hit, IngestReport


def print_hits(hits: list[Hit]) -> None:
    if not hits:
        print("没有找到相关内容。")
    for i, hit in enumerate(hits, 1):
        where = f" > {hit.heading}" if hit.heading else ""
        print(f"{i}. 【{hit.type}】{hit.title}{where}  ({hit.date or '日期不详'}, 得分 {hit.score:.4f})")
        print(f"   {hit.text[:120].replace(chr(10), ' ')}{'…' if len(hit.text) > 120 else ''}")
        matched = f"，{hit.matches} 个片段命中" if hit.matches is not None else ""
        print(f"   {hit.path}  [{hit.doc_id}{matched}]")


def print_ingest(report: IngestReport) -> None:
    print(
        f"新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}，移除 {report.removed}，"
        f"写入 {report.chunks} 个片段"
    )
    for err in report.errors:
        print(f"  ✗ {err['path']}：{err['error']} —— {err['hint']}")
    for skip in report.skipped:
        print(f"  · 跳过 {skip['path']}（{skip['reason']}）")


def echo(piece: str) -> None:
    """Stream a model's tokens to the terminal as they come."""
    print(piece, end="", flush=True)


_MARK = {"supported": "✓", "unsupported": "✗", "unverifiable": "?"}


def print_check(report: CheckReport) -> None:
    for claim in report.claims:
        print(f"{_MARK[claim.verdict]} {claim.text}")
        if claim.verdict != "supported":
            print(f"    {claim.reason}")
    flagged = sum(c.verdict == "unsupported" for c in report.claims)
    print(f"得分 {report.score:.2f}：{len(report.claims)} 条陈述，{flagged} 条无出处")


_STATUS_MARK = {"已落实": "✓", "部分落实": "△", "未见落实情况": "✗"}


def print_plan_check(result: dict[str, Any]) -> None:
    counts = result["counts"]
    total = len(result["items"])
    print(
        f"{result['title'] or '工作要点'}：共 {total} 项，"
        + "，".join(f"{k} {v} 项" for k, v in counts.items())
    )
    if counts["未见落实情况"] == total:
        print(
            "所有要点都没有找到对应的事实：请检查事实材料是否属于这一年度、这个单位，或用 --mapping 指定对应关系。"
        )
    sections = {s["id"]: s["title"] for s in result["sections"]}
    shown = None
    for item in result["items"]:
        if item["section"] != shown:
            shown = item["section"]
            if shown:
                print(f"\n{shown}、{sections[shown]}")
        print(f"{_STATUS_MARK[item['status']]} {item['id']}. {item['title']} —— {item['status']}")
        for fact in item["facts"]:
            print(f"    · {fact['text']}" + (f"（{fact['source']}）" if fact["source"] else ""))
        for t in item["targets"]:
            if t["value"] is not None:
                got = (
                    "、".join(t["reported"]) + ("" if t["met"] else "（未达到）")
                    if t["reported"]
                    else "未报告"
                )
                print(f"    目标：{t['text']}；实际：{got}")
    if result["unmatched_facts"]:
        print(f"\n未归入任何要点的事实 {len(result['unmatched_facts'])} 条：")
        for fact in result["unmatched_facts"]:
            print(f"    · {fact['text']}")


def print_outline(plan: dict[str, Any]) -> None:
    facts = {e["id"]: e["text"] for e in plan["ledger"]}
    print(plan["title"] or "（标题待补）")
    for i, section in enumerate(plan["sections"]):
        print(f"\n{section['heading'] or f'（第{i + 1}段）'} —— {section['intent']}")
        for fact_id in section["facts"]:
            print(f"  {fact_id}  {facts[fact_id]}")
    for mark in plan["placeholders"]:
        print(mark["text"])
