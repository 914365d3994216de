"""Verdict aggregation: pure functions from rule outcomes to a claim's verdict and a text's score."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["supported", "unsupported", "unverifiable"]
Status = Literal["supported", "unsupported"]

# Lexical overlap with the best evidence sentence at which a claim with no open facts counts as supported.
OVERLAP_ALONE = 0.8
OVERLAP_WITH_FACTS = 0.4


@dataclass(frozen=True)
class Finding:
    """One rule's outcome on one fact of a claim; offsets are in the checked text."""

    check: str  # verbatim | number | binding | date | name | polarity | state | modality | decision | quantity | judge
    status: Status
    text: str
    start: int
    end: int
    reason: str


@dataclass
class ClaimResult:
    text: str
    start: int
    end: int
    verdict: Verdict
    reason: str
    checks: list[str]
    evidence: list[str]
    findings: list[Finding] = field(default_factory=list)
    overlap: float = 0.0  # share of the claim's bigrams in the closest source sentence

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["overlap"] = round(self.overlap, 3)
        row["findings"] = [asdict(f) for f in self.findings]
        return row


def verdict(
    findings: list[Finding],
    overlap: float,
    verbatim: bool,
    open_words: list[str] | None = None,
    cover: float = 0.0,
) -> tuple[Verdict, str]:
    """Any unsupported fact sinks the claim; verbatim text or enough overlap with backed facts carries it,
    unless the claim uses content words the sources never do (then a judge, model or person, decides)."""
    bad = [f for f in findings if f.status == "unsupported"]
    if bad:
        return "unsupported", "；".join(f.reason for f in bad)
    if verbatim:
        return "supported", "原文中有这句话"
    if open_words:
        return "unverifiable", f"有原文中没有的说法：{'、'.join(dict.fromkeys(open_words))}（规则无法判定）"
    facts = [f for f in findings if f.status == "supported"]
    if facts and max(overlap, cover) >= OVERLAP_WITH_FACTS:
        return "supported", "数字、日期、名称均有出处：" + "、".join(f.text for f in facts[:5])
    if overlap >= OVERLAP_ALONE:
        return "supported", f"与原文高度一致（重合度 {overlap:.2f}）"
    return "unverifiable", f"规则无法判定（与最接近的原文重合度 {overlap:.2f}）"


def score(verdicts: list[Verdict]) -> float:
    """supported ÷ (supported + unsupported); 1.0 when nothing was decided."""
    supported = verdicts.count("supported")
    unsupported = verdicts.count("unsupported")
    return 1.0 if supported + unsupported == 0 else supported / (supported + unsupported)


@dataclass
class CheckReport:
    score: float
    claims: list[ClaimResult]
    warnings: list[str] = field(default_factory=list)  # problems in the sources themselves (a wrong total)

    @property
    def unsupported_spans(self) -> list[Finding]:
        """Spans to highlight: each unsupported fact, or the whole claim when no single fact is to blame."""
        out: list[Finding] = []
        for c in self.claims:
            if c.verdict != "unsupported":
                continue
            bad = [f for f in c.findings if f.status == "unsupported"]
            out.extend(bad or [Finding("claim", "unsupported", c.text, c.start, c.end, c.reason)])
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "claims": [c.to_json() for c in self.claims],
            "spans": [asdict(s) for s in self.unsupported_spans],
            "warnings": self.warnings,
        }
