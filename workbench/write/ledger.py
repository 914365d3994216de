"""The fact ledger: the user's facts as numbered entries, each with the atoms a draft must carry faithfully.

Atoms are found by the checker's own extractors (numbers with units, dates and periods, people, organisations,
places, 《titles》, quoted words), so what the ledger promises is exactly what the check verifies. The unit and
the period are entries too: a draft may name them, and they back its opening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..check.dates import dates
from ..check.names import names
from ..check.numbers import quantities
from ..errors import InputError

_UNIT_KEYS = ("单位", "主办单位", "组织单位")
MAX_FACTS = 120  # beyond this a fact sheet is several reports; the prompts would not hold it
_KEY = re.compile(r"^\s*([\u4e00-\u9fffA-Za-z]{1,8})\s*[：:]\s*(.+)$")
_BULLET = re.compile(r"^\s*(?:[-•·*]|\d{1,2}[.、．)）]|[（(]\d{1,2}[)）])\s*")


@dataclass(frozen=True)
class Atom:
    kind: str  # number | date | person | org | place | title | quote
    text: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text}


@dataclass
class Entry:
    """One fact: ``key`` is the label of a 键：值 line (时间, 地点 …), "" for a free sentence."""

    id: str
    text: str
    key: str = ""
    atoms: list[Atom] = field(default_factory=list)
    role: str = "fact"  # fact | unit | period

    @property
    def value(self) -> str:
        """The fact without its label: what a sentence would say."""
        m = _KEY.match(self.text)
        return m.group(2).strip() if m else self.text

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "key": self.key,
            "role": self.role,
            "atoms": [a.to_json() for a in self.atoms],
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Entry:
        return cls(
            str(row["id"]),
            str(row["text"]),
            str(row.get("key", "")),
            [Atom(str(a["kind"]), str(a["text"])) for a in row.get("atoms", [])],
            str(row.get("role", "fact")),
        )


def atoms(text: str) -> list[Atom]:
    """What a sentence about this fact must get right: its dates, figures and names, in order."""
    found = dates(text)
    out = [(d.start, Atom("date", d.text)) for d in found]
    out += [
        (q.start, Atom("number", q.text)) for q in quantities(text, skip=[(d.start, d.end) for d in found])
    ]
    taken = [(d.start, d.end) for d in found]
    out += [
        (n.start, Atom(n.kind, n.text)) for n in names(text) if not any(s <= n.start < e for s, e in taken)
    ]
    return [a for _, a in sorted(out, key=lambda x: x[0])]


def build(facts: str, unit: str = "", period: str = "") -> list[Entry]:
    """The ledger of a fact sheet: one entry per non-empty line (list markers dropped), then unit and period."""
    lines = [_BULLET.sub("", ln).strip() for ln in facts.splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise InputError("没有提供本期事实", "请写下本期的时间、数字、人名、活动等事实，每行一条。")
    if len(lines) > MAX_FACTS:
        raise InputError(
            f"事实太多（{len(lines)} 条，一篇稿件最多 {MAX_FACTS} 条）",
            "请删去次要的事实，或按主题分成几篇分别起草。",
        )
    entries = []
    for i, line in enumerate(lines, 1):
        m = _KEY.match(line)
        key = m.group(1) if m else ""
        # 单位：… names whom the draft is for (its title and opening), not a fact a sentence must carry.
        entries.append(Entry(f"f{i}", line, key, atoms(line), "unit" if key in _UNIT_KEYS else "fact"))
    if not any(e.atoms for e in entries if e.role == "fact"):
        raise InputError(
            "事实里没有任何时间、数字、人名、地名或单位名，写不出有出处的初稿",
            "请至少写明时间、地点、人数或具体做法中的一项，例如“2024年5月10日，全校教师48人参加读书分享会”。",
        )
    unit = unit.strip() or next((e.value for e in entries if e.key in _UNIT_KEYS), "")
    if unit and not any(e.key in _UNIT_KEYS for e in entries):
        entries.append(Entry("unit", f"单位：{unit}", "单位", atoms(unit), "unit"))
    if period.strip():
        entries.append(Entry("period", f"时间范围：{period.strip()}", "时间范围", atoms(period), "period"))
    return entries


def unit_of(ledger: list[Entry]) -> str:
    """The unit the draft is for: the user's, never a precedent's."""
    for e in ledger:
        if e.role == "unit":
            return e.value
    return ""
