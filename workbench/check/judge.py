"""The model judge for what rules cannot see: P(是) that the evidence supports a claim, against a threshold.

Rules go first; only claims they leave open (no fact to trace, not verbatim) reach the model, so a draft
costs a few model calls, not one per sentence. The raw model answers 是 far too often, so the verdict uses a
threshold calibrated on the dev set (``evaluation.metrics.calibrate``), not the model's free-text answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..backends.llm import LLM
from ..prompts import load, with_rules
from ..text.structure import SENTENCE_ENDS, heading_level
from ..text.tokens import bigrams
from .report import CheckReport, ClaimResult, Finding, score

MIN_CHARS = 8  # headings and fragments carry no claim worth a model call
# A claim sharing less than this with every source sentence has nothing to be judged against: the model
# would be asked about unrelated evidence (it says 否 to those, P ≈ 0.2), so it is not asked (~1 s saved).
NO_GROUND = 0.1
# Evidence longer than this is cut to its clauses that share wording with the claim: a government report's
# 400-character sentence would cost the judge ~3 s of prompt on 2 cores, and the rest of it is noise to a
# small model.
FOCUS_CHARS = 90
_CLAUSE = re.compile(r"(?<=[，；：,;:])")


def focus(evidence: str, claim: str, limit: int = FOCUS_CHARS) -> str:
    """``evidence`` cut to the clauses that share most wording with ``claim``, in their order, ``……`` where
    text was left out; short evidence is kept whole."""
    if len(evidence) <= limit:
        return evidence
    clauses = [c for c in _CLAUSE.split(evidence) if c]
    grams = bigrams(claim)
    shared = [len(grams & bigrams(c)) for c in clauses]
    keep: set[int] = set()
    size = 0
    for i in sorted(range(len(clauses)), key=lambda i: -shared[i]):
        if keep and (size + len(clauses[i]) > limit or not shared[i]):
            continue
        keep.add(i)
        size += len(clauses[i])
    out, last = "", -1
    for i in sorted(keep):
        out += ("……" if i != last + 1 else "") + clauses[i]
        last = i
    return out + ("……" if last < len(clauses) - 1 else "")


def judge_verdict(probability: float, threshold: float) -> bool:
    """Supported when P(是) reaches the threshold."""
    return probability >= threshold


def ask(llm: LLM, claim: str, evidence: Sequence[str]) -> float:
    shown = [focus(e, claim) for e in evidence]
    prompt = load("judge").render(evidence="\n".join(shown) or "（无）", claim=claim)
    return llm.yes_probability(with_rules(prompt))


def judge_open_claims(report: CheckReport, llm: LLM, threshold: float, limit: int = 40) -> CheckReport:
    """Decide the claims the rules left unverifiable; the others are kept as they are."""
    claims: list[ClaimResult] = []
    asked = 0
    for claim in report.claims:
        structure = (
            heading_level(claim.text) > 0
            and len(claim.text) <= 30
            and not claim.findings
            and not claim.text.rstrip().endswith(SENTENCE_ENDS)
        ) or (not claim.findings and claim.text.rstrip("。：: ").endswith("如下"))
        # A bare heading ("（二）强化队伍建设") or a lead-in ("现将有关情况汇报如下。") is the structure precedents
        # teach, not a claim to judge; a numbered sentence ("2. 组织党员教师参加培训。") is a claim.
        if claim.verdict != "unverifiable" or len(claim.text) < MIN_CHARS or structure or asked >= limit:
            claims.append(claim)
            continue
        if claim.overlap < NO_GROUND and not any(f.status == "supported" for f in claim.findings):
            reason = f"原文中没有与这句话相应的内容（与最接近的原文重合度 {claim.overlap:.2f}）"
            claims.append(
                replace(claim, verdict="unsupported", reason=reason, checks=[*claim.checks, "ground"])
            )
            continue
        asked += 1
        p = ask(llm, claim.text, claim.evidence)
        ok = judge_verdict(p, threshold)
        reason = f"模型判断：依据{'支持' if ok else '不支持'}这句话（P(是)={p:.2f}，阈值 {threshold:.2f}）"
        finding = Finding(
            "judge", "supported" if ok else "unsupported", claim.text, claim.start, claim.end, reason
        )
        claims.append(
            replace(
                claim,
                verdict="supported" if ok else "unsupported",
                reason=reason,
                checks=[*claim.checks, "judge"],
                findings=[*claim.findings, finding],
            )
        )
    return CheckReport(score([c.verdict for c in claims]), claims, report.warnings)
