"""Which facts a section's sentences state, and the section settled so that each fact is stated once, whole.

A small model often states a fact in part (the figures without the year, or two of its three numbers) and
the missing part was then written again from the user's words after the paragraph, so the same figure stood
twice. ``settle`` writes such a fact from the user's words where its first part stood and lets the part
sentences go, when they state no whole fact of their own; when one does, only the clause with the part goes
and the fact follows that sentence. A sentence that states again, whole, only facts said before goes, and so
does one made of a fact's words without its figures (a restatement beside the fact itself). A fact
the model left out entirely is written at the end of the section. Pure functions over the ledger's entries and
the verified sentences.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..check.claims import split_claims
from ..check.dates import dates
from ..check.dates import supports as date_supports
from ..check.numbers import quantities
from ..check.numbers import supports as number_supports
from ..text.structure import as_sentence
from ..text.tokens import bigrams
from .ledger import Atom, Entry

_PLAIN_KEYS = ("时间", "地点", "主持", "主办", "承办", "主题")
_CLAUSE = re.compile(r"[^，,；;]+[，,；;]?")
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


def _restates(entry: Entry, sentence: str) -> bool:
    """Is the sentence the fact's own words without its figures (继续推进智慧教室建设，完成新校区一期工程验收…
    beside 2025年计划建成智慧教室10间，完成新校区一期工程验收…)? Half its words come from a fact with figures.
    (A fact without figures is stated by its words: a sentence with half of them states it, in part or whole.)"""
    if not any(a.kind == "number" for a in entry.atoms):
        return False
    mine = bigrams(sentence)
    return len(mine) >= 8 and len(mine & bigrams(entry.value)) / len(mine) >= 0.5


def plain(entry: Entry) -> str:
    """A fact written from the user's own words: 时间：6月28日 → 时间为6月28日。"""
    value = entry.value.rstrip("。；;，,")
    if entry.key in _PLAIN_KEYS:
        return f"{entry.key}为{value}。"
    return value + "。"


def _cut(entry: Entry, sentence: str, keep: list[Entry]) -> str:
    """The sentence without its clauses that give ``entry``'s figures, when it still states every fact of
    ``keep`` ("" when it cannot be cut so): 全校有教学班42个，召开党员大会5次。 → 召开党员大会5次。"""
    clauses = _CLAUSE.findall(sentence)
    rest = [c for c in clauses if not _in_part(entry, c)]
    if not rest or len(rest) == len(clauses):
        return ""
    cut = as_sentence("".join(rest).rstrip("，,；;、 "))
    return cut if all(carried(e, cut) for e in keep) else ""


def _repeats(
    facts: list[Entry], sentences: list[str], paired: set[int], before: Sequence[Entry]
) -> dict[int, list[str]]:
    """Sentences that state again, whole, only facts an earlier sentence (or ``before``: facts the draft
    stated earlier) stated (index -> the fact ids)."""
    said = {e.id for e in before}
    again: dict[int, list[str]] = {}
    for i, s in enumerate(sentences):
        ids = [e.id for e in (*facts, *before) if carried(e, s)]
        if ids and i not in paired and said.issuperset(ids):
            again[i] = ids
        said.update(ids)
    return again


def settle(
    facts: list[Entry], sentences: list[str], before: Sequence[Entry] = ()
) -> tuple[list[str], list[Repair]]:
    """The section's sentences with every fact stated, each once, and the repairs that made it so;
    ``before``: facts stated earlier in the draft (a sentence saying only those again goes too)."""
    repairs: list[Repair] = []
    pairs = list(itertools.pairwise(range(len(sentences))))
    paired: set[int] = set()  # a pair counts only for a fact neither sentence states alone
    for i, j in pairs:
        a, b = sentences[i], sentences[j]
        if any(carried(e, a + b) and not carried(e, a) and not carried(e, b) for e in facts):
            paired |= {i, j}
    # The same fact stated whole a second time (the model repeats itself, or a rewrite restates it): it goes.
    again = _repeats(facts, sentences, paired, before)
    for i, ids in again.items():
        repairs.append(Repair(sentences[i], f"与前文重复：事实 {'、'.join(ids)} 已写过", "dropped"))
    sentences = [s for i, s in enumerate(sentences) if i not in again]
    paired = {i - sum(k < i for k in again) for i in paired}
    pairs = list(itertools.pairwise(range(len(sentences))))
    whole = {i for i, s in enumerate(sentences) if any(carried(e, s) for e in facts)} | paired
    windows = sentences + [sentences[i] + sentences[j] for i, j in pairs]
    missing = [e for e in facts if not any(carried(e, w) for w in windows)]
    first: dict[int, list[tuple[Entry, list[int]]]] = {}
    gone: set[int] = set()
    tail: list[Entry] = []
    for entry in missing:
        parts = [
            i
            for i, s in enumerate(sentences)
            if i not in whole and i not in gone and (_in_part(entry, s) or _restates(entry, s))
        ]
        if parts:
            first.setdefault(parts[0], []).append((entry, parts))
            gone |= set(parts)
            continue
        # Its figures inside a sentence that states another fact whole: that clause goes, the fact follows.
        for i, s in enumerate(sentences):
            keep = [e for e in facts if carried(e, s)]
            cut = _cut(entry, s, keep) if i not in paired and i not in gone and keep else ""
            if cut:
                repairs.append(
                    Repair(s, f"事实 {entry.id} 只写进了一部分", "written_from_fact", plain(entry))
                )
                sentences[i] = cut
                first.setdefault(i, []).append((entry, []))
                break
        else:
            tail.append(entry)
    for i, s in enumerate(sentences):  # the fact's words again without its figures, the fact stated elsewhere
        said = next((e.id for e in facts if i not in whole | gone and _restates(e, s)), "")
        if said:
            gone.add(i)
            repairs.append(Repair(s, f"复述了事实 {said}（已写过）", "dropped"))
    out: list[str] = []
    for i, s in enumerate(sentences):  # 这表明… after a part sentence that went points at nothing now
        if i - 1 in gone and i not in whole and s.startswith(_POINTING):
            gone.add(i)
            repairs.append(Repair(s, "它所指的句子已按事实重写", "dropped"))
    for i, s in enumerate(sentences):
        after: list[str] = []
        for entry, parts in first.get(i, []):
            line = plain(entry)
            if not parts:  # cut from a sentence that stays: written after it
                after.append(line)
                continue
            said = "".join(sentences[k] for k in parts)
            repairs.append(Repair(said, f"事实 {entry.id} 只写进了一部分", "written_from_fact", line))
            out.append(line)
        if i not in gone:
            out.append(s)
        out.extend(after)
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
