"""The editable outline: the type's sections, each with the ledger entries it will carry.

Built without the model: a fact goes to the first section whose words it contains (its 键 first: 时间, 地点,
问题 …), else to the type's main section. Every fact is in exactly one section or listed as unassigned. A
section the type requires but no fact feeds, and an element the type needs that no fact gives (落款日期,
参加人数), become visible placeholders (【待补：…】), never invented values. The outline is JSON the user edits:
rename, add, delete and reorder sections, move facts; ``from_json`` refuses what does not fit the ledger.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..prompts import OutlineSpec, outlines, structures
from .ledger import Entry

PLACEHOLDER = "【待补：{}】"
_PLACE_KEYS = ("地点", "场地", "地址")
# 活动在幼儿园种植园进行 / 在校礼堂举行: a place given in a sentence, not as a 地点： line.
_HELD_AT = re.compile(r"在[^，。；,;]{2,20}?(进行|举行|开展|召开|举办)")
_PEOPLE_UNITS = ("人", "名", "位", "人次")
# 开展主题党日活动 / 举行开学典礼: the fact that says what happened, which a 导语 opens with.
_HAPPENED = re.compile(r"开展|举行|举办|召开|组织|进行|启动|走进|来到")


@dataclass
class Section:
    heading: str
    intent: str
    facts: list[str] = field(default_factory=list)
    plan_item: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "intent": self.intent,
            "facts": self.facts,
            "plan_item": self.plan_item,
        }


@dataclass
class Outline:
    type: str
    title: str
    ledger: list[Entry]
    sections: list[Section]
    unassigned: list[str] = field(default_factory=list)
    placeholders: list[dict[str, Any]] = field(default_factory=list)
    precedents: list[dict[str, str]] = field(default_factory=list)

    def entry(self, fact_id: str) -> Entry:
        return next(e for e in self.ledger if e.id == fact_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.title,
            "precedents": self.precedents,
            "ledger": [e.to_json() for e in self.ledger],
            "sections": [s.to_json() for s in self.sections],
            "unassigned": self.unassigned,
            "placeholders": self.placeholders,
        }


def build(doc_type: str, ledger: list[Entry], precedents: list[dict[str, str]] | None = None) -> Outline:
    """The outline of a draft of ``doc_type`` from the ledger (unit and period entries stay out of sections:
    they back every section)."""
    spec = outlines().get(doc_type) or outlines()["其他"]
    sections = [Section(s.heading, s.intent) for s in spec.sections]
    main = next((i for i, s in enumerate(spec.sections) if s.main), 0)
    lead = next((i for i, s in enumerate(spec.sections) if s.lead), None)
    opening = _opening(ledger) if lead is not None else None
    for entry in ledger:
        if entry.role != "fact":
            continue
        home = lead if lead is not None and entry.id == opening else _home(entry, spec, main)
        sections[home].facts.append(entry.id)
    kept: list[Section] = []
    placeholders: list[dict[str, Any]] = []
    for section, s in zip(sections, spec.sections, strict=True):
        if not section.facts and not s.required:
            continue  # a section nothing feeds is dropped, not filled with generic words
        if not section.facts:
            placeholders.append(
                {"section": len(kept), "text": PLACEHOLDER.format(_label(s.heading, s.intent))}
            )
        kept.append(section)
    for need in spec.needs:
        if not _given(need, ledger):
            placeholders.append(
                {"section": len(kept) - 1 if need == "落款日期" else 0, "text": PLACEHOLDER.format(need)}
            )
    return Outline(doc_type, _title(doc_type, ledger), ledger, kept, [], placeholders, precedents or [])


def _home(entry: Entry, spec: OutlineSpec, main: int) -> int:
    """The section a fact belongs to: its label decides first (问题：…), then its words."""
    for text in (entry.key, entry.text):
        if not text:
            continue
        for i, s in enumerate(spec.sections):
            if not s.main and any(w in text for w in s.words):
                return i
    return main


def _opening(ledger: list[Entry]) -> str | None:
    """The fact a lead opens with: the first that gives a date and says what happened (a sheet often starts
    "2025年4月18日，某支部在某地开展…活动" with no 时间： label, and the lead's words would miss it)."""
    for e in ledger:
        if e.role == "fact" and any(a.kind == "date" for a in e.atoms) and _HAPPENED.search(e.text):
            return e.id
    return None


def _label(heading: str, intent: str) -> str:
    return heading.split("、", 1)[-1] if heading else intent


def _given(need: str, ledger: list[Entry]) -> bool:
    """Does the ledger give what the type needs?"""
    if need == "活动时间":
        return any(a.kind == "date" for e in ledger for a in e.atoms)
    if need in ("落款日期", "发稿日期"):
        return any(
            e.key.startswith(("落款", "成文", "发稿")) and any(a.kind == "date" for a in e.atoms)
            for e in ledger
        )
    if need == "活动地点":
        return (
            any(a.kind == "place" for e in ledger for a in e.atoms)
            or any(e.key in _PLACE_KEYS for e in ledger)
            or any(_HELD_AT.search(e.text) for e in ledger)
        )
    if need == "参加人数":
        return any(a.kind == "number" and a.text.endswith(_PEOPLE_UNITS) for e in ledger for a in e.atoms)
    return True


def _title(doc_type: str, ledger: list[Entry]) -> str:
    unit = next((e.value for e in ledger if e.role == "unit"), "")
    period = next((e.value for e in ledger if e.role == "period"), "")
    name = structures().get(doc_type, structures()["其他"]).name
    return f"{unit}{period}{name}" if unit else ""


def from_json(text: str) -> Outline:
    """An outline the user edited: malformed JSON, a fact id that is not in the ledger, or a fact in two
    sections is a clear error, and nothing is written."""
    try:
        data = json.loads(text)
        ledger = [Entry.from_json(r) for r in data["ledger"]]
        sections = [
            Section(
                str(s.get("heading", "")),
                str(s.get("intent", "")),
                [str(f) for f in s.get("facts", [])],
                s.get("plan_item"),
            )
            for s in data["sections"]
        ]
        outline = Outline(
            str(data["type"]),
            str(data.get("title", "")),
            ledger,
            sections,
            [str(f) for f in data.get("unassigned", [])],
            list(data.get("placeholders", [])),
            list(data.get("precedents", [])),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"提纲文件无法读取：{exc}", "请用 workbench outline --json 生成提纲，只改其中的标题和事实编号。"
        ) from exc
    ids = {e.id for e in ledger}
    used = [f for s in sections for f in s.facts] + outline.unassigned
    unknown = sorted(set(used) - ids)
    if unknown:
        raise InputError(
            f"提纲里的事实编号 {'、'.join(unknown)} 不在事实清单中",
            "请只使用事实清单里列出的编号（如 f1、f2）。",
        )
    twice = sorted({f for f in used if used.count(f) > 1})
    if twice:
        raise InputError(
            f"事实 {'、'.join(twice)} 被放进了不止一个部分", "每条事实只放进一个部分，或者哪部分都不放。"
        )
    if not sections:
        raise InputError("提纲里没有任何部分", "请至少保留一个部分。")
    return outline
