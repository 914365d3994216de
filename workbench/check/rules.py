"""The deterministic checker: every number, date, name and direction word of a claim is traced to the sources."""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import dates as dates_mod
from . import numbers as numbers_mod
from .claims import Span, sentences, split_claims
from .names import names, used_alone
from .polarity import flipped
from .report import CheckReport, ClaimResult, Finding, Status, score, verdict

_NOISE = re.compile(r"[\W_]+")
LOCAL = 5  # evidence sentences whose numbers and dates may back a claim
_MARKER = re.compile(
    r"^\s*(?:[（(]?\d{1,2}[)）.、．]|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[)）])"
)


def _norm(text: str) -> str:
    return _NOISE.sub("", text)


def _bigrams(text: str) -> set[str]:
    s = _norm(text)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


class RuleChecker:
    """Built once per set of sources; ``check`` runs on any number of texts."""

    def __init__(self, sources: Sequence[str]) -> None:
        self.source = "\n".join(sources)
        self._norm_source = _norm(self.source)
        self._sentences = [s for s in sentences(self.source) if len(_norm(s)) >= 2]
        self._grams = [_bigrams(s) for s in self._sentences]
        # Facts per sentence: a claim's numbers and dates must match those of its evidence, not any in the source
        # (swapping in a figure from another paragraph is the commonest way a draft goes wrong).
        self._dates = [dates_mod.dates(s) for s in self._sentences]
        self._quantities = [
            numbers_mod.quantities(s, skip=[(d.start, d.end) for d in ds])
            for s, ds in zip(self._sentences, self._dates, strict=True)
        ]
        # The title and opening set the report's period: a year stated there backs a year anywhere.
        self._opening_years = {d.year for ds in self._dates[:3] for d in ds if d.year and not d.month}
        self._names = names(self.source)

    def evidence(self, claim: str, n: int = LOCAL) -> list[tuple[float, int]]:
        """Best source sentences as (overlap, index): the share of the claim's bigrams found in each."""
        grams = _bigrams(claim)
        scored = sorted(
            ((len(grams & g) / len(grams), i) for i, g in enumerate(self._grams)),
            key=lambda x: -x[0],
        )
        return [(o, i) for o, i in scored[:n] if o > 0]

    def check_claim(self, span: Span) -> ClaimResult:
        text, base = span.text, span.start
        findings: list[Finding] = []
        verbatim = len(_norm(text)) >= 2 and _norm(text) in self._norm_source
        best = self.evidence(text)
        overlap = best[0][0] if best else 0.0
        # Only sentences nearly as close as the best one: in a short source the fifth-best is unrelated.
        local = [i for o, i in best if o >= max(0.3, 0.6 * overlap)] or [i for _, i in best[:1]]
        evidence = [self._sentences[i] for i in local[:2]]
        local_dates = [d for i in local for d in self._dates[i]]
        local_quantities = [q for i in local for q in self._quantities[i]]
        if not verbatim:
            marker = _MARKER.match(text)
            skip = [(0, marker.end())] if marker else []
            claim_dates = dates_mod.dates(text)

            def fact(check: str, ok: bool, what: str, start: int, end: int, label: str) -> Finding:
                status: Status = "supported" if ok else "unsupported"
                reason = f"{label}“{what}”" + ("有出处" if ok else "在原文中找不到")
                return Finding(check, status, what, base + start, base + end, reason)

            for d in claim_dates:
                other_years = {x.year for x in local_dates if x.year and x.year != d.year}
                ok = dates_mod.supports(local_dates, d) or (
                    d.year in self._opening_years and d.month is None and not d.period and not other_years
                )
                findings.append(fact("date", ok, d.text, d.start, d.end, "日期"))
            skip += [(d.start, d.end) for d in claim_dates]
            for q in numbers_mod.quantities(text, skip=skip):
                ok = any(numbers_mod.supports(s, q) for s in local_quantities)
                findings.append(fact("number", ok, q.text, q.start, q.end, "数字"))
            for name in names(text):
                if any(f.start <= base + name.start < f.end for f in findings):
                    continue  # a date or number inside a title is already judged
                ok = used_alone(name.text, self.source, self._names)
                findings.append(fact("name", ok, name.text, name.start, name.end, "名称"))
            if evidence:
                flip = flipped(text, evidence[0])
                if flip:
                    at = text.find(flip[0])
                    findings.append(
                        Finding(
                            "polarity",
                            "unsupported",
                            flip[0],
                            base + at,
                            base + at + len(flip[0]),
                            f"原文说“{flip[1]}”，这里说“{flip[0]}”",
                        )
                    )
        result, reason = verdict(findings, overlap, verbatim)
        checks = ["verbatim"] if verbatim else sorted({f.check for f in findings})
        return ClaimResult(text, span.start, span.end, result, reason, checks, evidence, findings)

    def check(self, text: str, lines: bool = False) -> CheckReport:
        claims = [self.check_claim(span) for span in split_claims(text, lines=lines)]
        return CheckReport(score([c.verdict for c in claims]), claims)
