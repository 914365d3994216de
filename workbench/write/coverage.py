"""Which facts a section's sentences state, and the section settled so that each fact is stated once, whole.

A small model often states a fact in part (the figures without the year, or two of its three numbers) and
the missing part was then written again from the user's words after the paragraph, so the same figure stood
twice. ``settle`` writes such a fact from the user's words where its first part stood and lets the part
sentences go, when they state no whole fact of their own; a fact the model left out entirely is written at
the end of the section. Pure functions over the ledger's entries and the verified sentences.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..check.claims import split_claims
from ..check.dates import dates
from ..check.dates import supports as date_supports
from ..check.numbers import quantities
from ..check.numbers import supports as number_supports
from .ledger import Atom, Entry

_PLAIN_KEYS = ("时间", "地点", "主持", "主办", "承办", "主题")
_POINTING = ("这表明", "这说明", "这显示", "这体现", "这反映", "这些", "此举", "以上")


@dataclass
class Repair:
    sentence: str
    reason: str
    action: str  # regenerated | dropped | written_from_fact
    replacement: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "sentence": self.sentence,
            "reason": self.reason,
            "action": self.action,
            "replacement": self.replacement,
        }


def _has(atom: Atom, sentence: str) -> bool:
    """Does the sentence give this atom's value (a figure or date by value, anything else word for word)?"""
    if atom.kind == "number":
        want = quantities(atom.text)
        return not want or any(number_supports(q, want[0]) for q in quantities(sentence))
    if atom.kind == "date":
        want_d = dates(atom.text)
        return not want_d or date_supports(dates(sentence), want_d[0])
    return atom.text in sentence


def carried(entry: Entry, sentence: str) -> bool:
    """Does the sentence state this fact? Every atom of it, by value; a fact without atoms, by its words."""
    if not entry.atoms:
        grams = {entry.value[i : i + 2] for i in range(len(entry.value) - 1)}
        return bool(grams) and len({g for g in grams if g in sentence}) / len(grams) >= 0.5
    return all(_has(a, sentence) for a in entry.atoms)


def _in_part(entry: Entry, sentence: str) -> bool:
    """Does the sentence give one of the fact's figures? (Dates and names are shared by many facts.)"""
    return any(a.kind == "number" and quantities(a.text) and _has(a, sentence) for a in entry.atoms)


def plain(entry: Entry) -> str:
    """A fact written from the user's own words: 时间：6月28日 → 时间为6月28日。"""
    value = entry.value.rstrip("。；;，,")
    if entry.key in _PLAIN_KEYS:
        return f"{entry.key}为{value}。"
    return value + "。"


def settle(facts: list[Entry], sentences: list[str]) -> tuple[list[str], list[Repair]]:
    """The section's sentences with every fact stated, each once, and the repairs that made it so."""
    pairs = list(itertools.pairwise(range(len(sentences))))
    whole: set[int] = set()  # sentences that state a whole fact, alone or with the next or the one before
    for i, s in enumerate(sentences):
        if any(carried(e, s) for e in facts):
            whole.add(i)
    for i, j in pairs:  # a pair counts only for a fact neither sentence states alone
        a, b = sentences[i], sentences[j]
        if any(carried(e, a + b) and not carried(e, a) and not carried(e, b) for e in facts):
            whole |= {i, j}
    windows = sentences + [sentences[i] + sentences[j] for i, j in pairs]
    missing = [e for e in facts if not any(carried(e, w) for w in windows)]
    first: dict[int, list[tuple[Entry, list[int]]]] = {}
    gone: set[int] = set()
    tail: list[Entry] = []
    for entry in missing:
        parts = [
            i for i, s in enumerate(sentences) if i not in whole and i not in gone and _in_part(entry, s)
        ]
        if parts:
            first.setdefault(parts[0], []).append((entry, parts))
            gone |= set(parts)
        else:
            tail.append(entry)
    out: list[str] = []
    repairs: list[Repair] = []
    for i, s in enumerate(sentences):  # 这表明… after a part sentence that went points at nothing now
        if i - 1 in gone and i not in whole and s.startswith(_POINTING):
            gone.add(i)
            repairs.append(Repair(s, "它所指的句子已按事实重写", "dropped"))
    for i, s in enumerate(sentences):
        for entry, parts in first.get(i, []):
            line = plain(entry)
            said = "".join(sentences[k] for k in parts)
            repairs.append(Repair(said, f"事实 {entry.id} 只写进了一部分", "written_from_fact", line))
            out.append(line)
        if i not in gone:
            out.append(s)
    for entry in tail:
        line = plain(entry)
        repairs.append(Repair("", f"事实 {entry.id} 没有写进初稿", "written_from_fact", line))
        out.append(line)
    return out, repairs


def uses(facts: list[Entry], text: str) -> dict[str, list[tuple[int, int]]]:
    """Where each fact is stated: the sentences that carry it, or two in a row that carry it together."""
    used: dict[str, list[tuple[int, int]]] = {}
    spans = split_claims(text)
    for entry in facts:
        found = [(x.start, x.end) for x in spans if carried(entry, x.text)]
        found = found or [
            (a.start, b.end) for a, b in itertools.pairwise(spans) if carried(entry, text[a.start : b.end])
        ]
        if found:
            used[entry.id] = found
    return used
