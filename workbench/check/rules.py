"""The deterministic checker: every fact of a claim is traced to where the sources state it, bound to the same
thing, in the same state, with the same force.

A claim's facts (numbers, dates, names) are each looked up wherever the sources state them, so a sentence
that recombines several fact lines is backed by all of them. A figure must then be attached to the same thing
(``binding``); and each clause of the claim is compared with its closest source clause for what changes its
meaning without changing a fact: 拟→已 (``state``), 可以→必须 (``modality``), 建议→决定 (``decision``),
全部→部分 (``quantifiers``), 增长→下降 (``polarity``), a name swapped in (``diff``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.lexicon import FRAMING, GENERIC_NOUNS, ROLES, synonyms_of
from ..text.structure import marker_end
from ..text.tokens import bigrams, normalise
from . import binding, decision, diff, modality, quantifiers, state
from . import dates as dates_mod
from . import numbers as numbers_mod
from .claims import Span, sentences, split_claims
from .names import Name, abbreviates, is_name, names, used_alone
from .polarity import PAIRS, flipped
from .report import CheckReport, ClaimResult, Finding, Status, score, verdict

_PLACEHOLDER = re.compile(r"【待补[：:][^】]*】[。]?")
LOCAL = 5  # evidence sentences shown and searched for a claim's closest clauses
ALIGNED = 0.4  # share of a claim clause's bigrams a source clause needs to count as its counterpart


class RuleChecker:
    """Built once per set of sources; ``check`` runs on any number of texts."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.source = "\n".join(sources)
        self._norm_source = normalise(self.source)
        self._sentences = [s for s in sentences(self.source) if len(normalise(s)) >= 2]
        self._grams = [bigrams(s) for s in self._sentences]
        self._clauses = [[c.text for c in binding.clauses(s)] for s in self._sentences]
        self._dates = [dates_mod.dates(s) for s in self._sentences]
        self._all_dates = [d for ds in self._dates for d in ds]
        self._dated = [x for s in self._sentences for x in binding.dated(s)]
        self._facts = [
            binding.facts(s, skip=[(d.start, d.end) for d in ds])
            for s, ds in zip(self._sentences, self._dates, strict=True)
        ]
        self._all_facts = [f for fs in self._facts for f in fs]
        # The title and opening set the report's period: a year stated there backs a year anywhere.
        self._opening_years = {d.year for ds in self._dates[:3] for d in ds if d.year and not d.month}
        self._names = names(self.source)
        self._people = [n.text for n in self._names if n.kind == "person"]
        self._names_by_sentence: dict[int, list[Name]] = {}
        self.warnings = [w for fs in self._facts for w in _inconsistent_totals(fs)]

    def evidence(self, claim: str, n: int = LOCAL) -> list[tuple[float, int]]:
        """Best source sentences as (overlap, index): the share of the claim's bigrams found in each."""
        grams = bigrams(claim)
        scored = sorted(
            ((len(grams & g) / len(grams), i) for i, g in enumerate(self._grams)),
            key=lambda x: -x[0],
        )
        return [(o, i) for o, i in scored[:n] if o > 0]

    def check_claim(self, span: Span) -> ClaimResult:
        text, base = span.text, span.start
        verbatim = len(normalise(text)) >= 2 and normalise(text) in self._norm_source
        best = self.evidence(text)
        overlap = best[0][0] if best else 0.0
        # A sentence that recombines fact lines overlaps with them together, not with one of them.
        grams = bigrams(text)
        cover = len(grams & set().union(*(self._grams[i] for _, i in best))) / len(grams) if best else 0.0
        # Only sentences nearly as close as the best one: in a short source the fifth-best is unrelated.
        local = [i for o, i in best if o >= max(0.3, 0.6 * overlap)] or [i for _, i in best[:1]]
        evidence = [self._sentences[i] for i in local[:2]]
        findings: list[Finding] = []
        open_words: list[str] = []
        if not verbatim:
            findings = self._facts_of(text, base, local)
            findings += self._meaning(text, base, [i for _, i in best], findings)
            if evidence and overlap >= ALIGNED:
                findings += self._swapped_names(text, base, evidence[0], findings)
            allowed = FRAMING | {s for w in FRAMING for s in synonyms_of(w)}
            open_words = [
                w
                for w in diff.new_words(text, self.source, allowed)
                if not any(x in self.source for x in synonyms_of(w) - {w})
            ]
        result, reason = verdict(findings, overlap, verbatim, open_words, cover)
        checks = ["verbatim"] if verbatim else sorted({f.check for f in findings})
        return ClaimResult(text, span.start, span.end, result, reason, checks, evidence, findings, overlap)

    # -- facts: numbers (bound to their thing), dates, names ---------------------------------------
    def _facts_of(self, text: str, base: int, near: list[int]) -> list[Finding]:
        findings: list[Finding] = []

        def fact(check: str, ok: bool, what: str, start: int, end: int, label: str, why: str = "") -> None:
            status: Status = "supported" if ok else "unsupported"
            reason = why or f"{label}“{what}”" + ("有出处" if ok else "在原文中找不到")
            findings.append(Finding(check, status, what, base + start, base + end, reason))

        claim_dates = dates_mod.dates(text)
        near_dates = [d for i in near for d in self._dates[i]]
        for d in claim_dates:
            other_years = {x.year for x in near_dates if x.year and x.year != d.year}
            # Anywhere in the sources (a sentence may combine fact lines), unless the closest evidence
            # states the same kind of date differently (2023年 where the evidence says 2024年).
            local = dates_mod.supports(near_dates, d)
            ok = local or (dates_mod.supports(self._all_dates, d) and not dates_mod.conflicts(near_dates, d))
            ok = ok or (
                d.year in self._opening_years and d.month is None and not d.period and not other_years
            )
            rival = binding.date_rival(text, d, self._dated) if ok else ""
            if rival:  # the date is stated, but of another event
                why = f"“{d.text}”与原文对不上：原文中这件事是“{rival}”"
                fact("binding", False, d.text, d.start, d.end, "日期", why)
                continue
            fact("date", ok, d.text, d.start, d.end, "日期")
        skip = [(d.start, d.end) for d in claim_dates]
        if marker_end(text):
            skip.append((0, marker_end(text)))
        for claimed in binding.facts(text, skip=skip):
            q = claimed.quantity
            ok, why, kind = self._number(claimed, text)
            fact(kind, ok, q.text, q.start, q.end, "数字", why)
        for name in names(text):
            if any(f.start <= base + name.start < f.end for f in findings) or not is_name(name):
                continue  # a date or number inside a title is already judged
            # An organisation written shorter or longer than in the closest evidence (not anywhere in the
            # sources: 服务学校 is not 服务基层学校 written short).
            ok = used_alone(name.text, self.source, self._names) or (
                name.kind == "org"
                and abbreviates(name.text, [n for i in near[:2] for n in self._sentence_names(i)])
            )
            why = _wrong_role(text, name, self.source, self._people) if ok and name.kind == "person" else ""
            fact("name", ok and not why, name.text, name.start, name.end, "名称", why)
        return findings

    def _context(self, i: int) -> str:
        """Sentence ``i`` with its neighbours: whether it sits in a plan or a report of work done."""
        return "\n".join(self._sentences[max(0, i - 1) : i + 2])

    def _scope_of(self, fact: binding.Fact) -> tuple[str, str]:
        """(the fact's clause in the scope of its sentence, the sentences around it)."""
        i = next((i for i, fs in enumerate(self._facts) if fact in fs), 0)
        return _scope(self._sentences[i], fact.clause), self._context(i)

    def _sentence_names(self, i: int) -> list[Name]:
        if i not in self._names_by_sentence:
            self._names_by_sentence[i] = names(self._sentences[i])
        return self._names_by_sentence[i]

    def _number(self, claimed: binding.Fact, text: str) -> tuple[bool, str, str]:
        """Is the claim's figure stated in the sources, of the same thing, in the same state?"""
        q = claimed.quantity
        matches = [f for f in self._all_facts if numbers_mod.supports(f.quantity, q)]
        if not matches and q.value == 1 and q.unit and f"一{q.unit}" in self.source:
            return (
                True,
                "",
                "number",
            )  # 1次 for 一次: the source's 一次 is not read as a count (it is mostly a word)
        if not matches:
            parts = _sum_of_parts(q, self._facts)
            if parts:
                return True, f"数字“{q.text}”是原文中{parts}的合计", "number"
            return False, "", "number"
        same_thing, rival = binding.bound(claimed, matches, self._all_facts)
        if rival is not None:
            where = "、".join(sorted(claimed.anchors))
            return (
                False,
                (
                    f"“{q.text}”与原文对不上：原文中“{where}”是“{rival.clause.strip()}”，"
                    f"“{q.text}”说的是“{matches[0].clause.strip()}”"
                ),
                "binding",
            )
        clause = binding.clause_at(text, q.start).text
        changes = [state.changed(_scope(text, clause), *self._scope_of(m)) for m in same_thing]
        if all(changes):
            return False, f"“{q.text}”在原文中是“{same_thing[0].clause.strip()}”；{changes[0]}", "state"
        return True, "", "number"

    # -- meaning without a fact: state, obligation, decision, scope, direction ------------------------
    def _meaning(self, text: str, base: int, near: list[int], facts: list[Finding]) -> list[Finding]:
        out: list[Finding] = []
        flagged = {f.reason for f in facts}
        for clause in binding.clauses(text):
            counterpart = self._counterpart(clause.text, near)
            if counterpart is None:
                continue
            i, theirs = counterpart
            sentence = self._sentences[i]
            mine = _scope(text, clause.text)
            for check, reason in (
                ("state", state.changed(mine, _scope(sentence, theirs), self._context(i))),
                ("modality", modality.changed(mine, _scope(sentence, theirs))),
                ("decision", decision.changed(clause.text, sentence, self.source)),
                ("quantity", quantifiers.changed(clause.text, theirs)),
            ):
                if reason and not any(reason in r for r in flagged):
                    out.append(
                        Finding(
                            check,
                            "unsupported",
                            clause.text,
                            base + clause.start,
                            base + clause.start + len(clause.text),
                            reason,
                        )
                    )
                    flagged.add(reason)
            flip = flipped(clause.text, theirs) or flipped(clause.text, sentence)
            if flip:
                at = text.find(flip[0], clause.start)
                out.append(
                    Finding(
                        "polarity",
                        "unsupported",
                        flip[0],
                        base + at,
                        base + at + len(flip[0]),
                        f"原文说“{flip[1]}”，这里说“{flip[0]}”",
                    )
                )
        return out

    def _counterpart(self, clause: str, near: list[int]) -> tuple[int, str] | None:
        """(source sentence index, source clause) closest to a claim clause, if close enough to compare."""
        grams = bigrams(clause)
        best: tuple[float, int, str] = (0.0, 0, "")
        for i in near:
            for theirs in self._clauses[i]:
                o = len(grams & bigrams(theirs)) / len(grams)
                if o > best[0]:
                    best = (o, i, theirs)
        return (best[1], best[2]) if best[0] >= ALIGNED and len(normalise(clause)) >= 4 else None

    def _swapped_names(self, text: str, base: int, evidence: str, facts: list[Finding]) -> list[Finding]:
        """A name or noun put in place of the evidence's word and found nowhere in the sources: 教务处 →
        总务处, 食堂 → 图书馆. An abbreviation or expansion (县一中 for 县第一中学) and a synonym are allowed."""
        out = []
        for s in diff.swaps(text, evidence):
            if (
                not s.flag.startswith("n")
                or len(s.word) < 2
                or s.word in self.source
                or s.word in GENERIC_NOUNS
            ):
                continue
            if not s.theirs_flag.startswith("n") or s.theirs in GENERIC_NOUNS:
                continue  # only a noun put in place of a noun: 食堂 → 图书馆, not 力争 → 目标
            if any(x in self.source for x in synonyms_of(s.word) - {s.word}) or _abbreviation(
                s.word, s.theirs
            ):
                continue
            if any(w in s.word for pair in PAIRS for w in pair):
                continue  # a direction or degree word: polarity's call
            if any(f.start <= base + s.start < f.end for f in facts):
                continue
            what = "名称" if s.flag.startswith(diff.PROPER) else "说法"
            out.append(
                Finding(
                    "name",
                    "unsupported",
                    s.word,
                    base + s.start,
                    base + s.start + len(s.word),
                    f"{what}“{s.word}”在原文中找不到（原文此处是“{s.theirs}”）",
                )
            )
        return out

    def check(self, text: str, lines: bool = False) -> CheckReport:
        # A placeholder left for the user (【待补：落款日期】) states nothing to check.
        claims = [
            self.check_claim(span)
            for span in split_claims(text, lines=lines)
            if not _PLACEHOLDER.fullmatch(span.text)
        ]
        return CheckReport(score([c.verdict for c in claims]), claims, list(self.warnings))


def _scope(sentence: str, clause: str) -> str:
    """A clause with the sentence before it: 学校计划，今年新建…… keeps its 计划 for the second clause. The clause
    comes first so its own marker wins over an earlier clause's."""
    at = sentence.find(clause)
    before = sentence[:at] if at > 0 else ""
    return clause + "，" + "，".join(reversed([c.text for c in binding.clauses(before)]))


# What a person does at an event, said right after the name (会议由林国栋主持): given to another person, wrong.
ACTS = ("主持", "致辞", "讲话", "作总结讲话", "作报告", "带队", "讲授", "宣读", "领誓", "点评")
_TAKES = "(?:担任|任)(" + "|".join(ROLES) + ")"  # 担任副组长: the role a person takes on
_TOOK = re.compile(_TAKES)


def _wrong_role(text: str, name: Name, source: str, people: list[str]) -> str:
    """A reason when the claim gives ``name`` a role or act the source gives someone else, else "":
    副局长赵永明 where the source has 局长赵永明 (and 副局长 for another), 学生何静 where 何静 is 指导教师,
    马骏担任组长 where he is 副组长, 贺振华主持 where 林国栋 chaired."""
    person, before, after = name.text, text[: name.start], text[name.end :]
    mine = next((r for r in ROLES if before.endswith(r)), "")
    if mine and mine + person not in source:
        # The source may name the role with 为/是 between: 指导教师为何静.
        theirs = next((r for r in ROLES if any(r + j + person in source for j in ("", "为", "是"))), "")
        # 支部书记 for 书记 is the same role written longer; 副局长 for 局长 is another one.
        if theirs and (theirs not in mine or mine.startswith("副") != theirs.startswith("副")):
            return f"原文中“{person}”是“{theirs}”，不是“{mine}”"
    took = _TOOK.match(after)
    if took:
        given = re.search(re.escape(person) + _TAKES, source)
        if given and given.group(1) != took.group(1):
            return f"原文中“{person}”担任“{given.group(1)}”，不是“{took.group(1)}”"
    act = next((a for a in ACTS if after.startswith(a)), "")
    if act and person + act not in source:
        other = next((p for p in people if p != person and p + act in source), "")
        if other:
            return f"原文中“{act}”的是“{other}”，不是“{person}”"
    return ""


def _abbreviation(mine: str, theirs: str) -> bool:
    """One word's characters all occur, in order, in the other: 县一中 / 县第一中学, 安全办 / 安全工作办公室."""

    def within(short: str, long: str) -> bool:
        it = iter(long)
        return all(c in it for c in short)

    return bool(theirs) and (within(mine, theirs) or within(theirs, mine))


def _sum_of_parts(q: numbers_mod.Quantity, facts: list[list[binding.Fact]]) -> str:
    """ "30人与28人" when ``q`` is the exact sum of two or more same-unit figures of one source sentence."""
    if q.approx:
        return ""
    for sentence in facts:
        parts = [
            f.quantity
            for f in sentence
            if numbers_mod.same_unit(f.quantity.unit, q.unit) and not f.quantity.approx
        ]
        if len(parts) >= 2 and abs(sum(p.value for p in parts) - q.value) < 1e-9:
            return "与".join(p.text for p in parts)
    return ""


def _inconsistent_totals(facts: list[binding.Fact]) -> list[str]:
    """A stated total (共/合计 58人) that is not the sum of the parts listed before it in the same sentence."""
    out = []
    for i, total in enumerate(facts):
        if not binding.is_total(total):
            continue
        parts = [f.quantity for f in facts[:i] if numbers_mod.same_unit(f.quantity.unit, total.quantity.unit)]
        if len(parts) >= 2 and abs(sum(p.value for p in parts) - total.quantity.value) > 1e-9:
            listed = "+".join(p.text for p in parts)
            out.append(f"原文数据不一致：{listed} 不等于“{total.quantity.text}”")
    return out
