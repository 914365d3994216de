"""One replaced word: align a claim with its closest evidence sentence word by word and report what the
claim put in place of the evidence's words, with jieba's part-of-speech tags.

A near-verbatim claim with one name swapped is not "高度一致": the swapped word decides (a name must occur in
the source; a direction word is polarity's call; a word the source never uses goes to the judge).
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from ..text.tokens import tagged

PROPER = ("nr", "nrfg", "nrt", "ns", "nsf", "nt", "nz")
NOUNS = ("n", *PROPER)


@dataclass(frozen=True)
class Swap:
    word: str  # the claim's word
    flag: str  # its part-of-speech tag
    start: int  # offset in the claim
    theirs: str  # what the evidence has in its place
    theirs_flag: str  # its tag when it is one word, else ""


def swaps(claim: str, evidence: str) -> list[Swap]:
    """The claim's words that replace evidence words (not additions or deletions)."""
    mine, theirs = tagged(claim), tagged(evidence)
    matcher = SequenceMatcher(a=[w for w, _, _ in mine], b=[w for w, _, _ in theirs], autojunk=False)
    out: list[Swap] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        replaced = "".join(w for w, _, _ in theirs[j1:j2])
        flag = theirs[j1][1] if j2 - j1 == 1 else ""
        out.extend(Swap(w, f, at, replaced, flag) for w, f, at in mine[i1:i2])
    return out


def new_words(claim: str, source: str, allowed: frozenset[str]) -> list[str]:
    """Things the claim names (nouns of two characters or more) that the source never does: what a judge must
    see. Verbs are left out: the ones that change a fact (完成, 决定, 必须) have rules of their own."""
    return [
        w
        for w, f, _ in tagged(claim)
        if len(w) >= 2 and f.startswith(NOUNS) and w not in source and w not in allowed
    ]
