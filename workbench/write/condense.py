"""Condense: a long report → a summary of a chosen length in characters, covering every part, keeping figures.

The report never goes through the model whole. It is cut into its top-level sections (一、…, a list restarting
inside a section stays in it; no headings → even parts; far beyond 60 KB, ~60 KB parts), and the summary's
length is shared among them by their length and their figures, at least one sentence each. Each section's
salient sentences (structure, key figures, keyword centrality) are selected within its share of the token
budget, and the model writes that section's paragraph from them with a short prompt naming the figures to
keep (its head — title, outline, rules — is the same for every section, so the KV cache keeps it); every
sentence goes through ``compose.write_verified`` against the section's own text, so a figure the section
does not state is rewritten once or dropped. A section stops as soon as its share is written, inside a
sentence that would run past it (keeping its whole clauses): generated tokens are the cost on a small
machine. A shortfall moves on to the next section; only what is still missing at the end is topped up with
source sentences, verbatim. The title is the report's own, never a file name.
The sections and their sentences are in ``condense_parts``; fitting the length (±15 %) is ``condense_length``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..backends.llm import LLM, Message
from ..check import CheckReport, RuleChecker
from ..check.claims import split_claims
from ..errors import InputError
from ..library.metadata import extract_title
from ..prompts import load, with_rules
from ..text.structure import SENTENCE_ENDS, as_sentence, heading_label, heading_level, marker_end
from ..text.tokens import char_count
from .compose import FACT_CHECKS, clean, write_verified
from .condense_length import TOLERANCE, clauses_that_fit, fill, trim
from .condense_length import fit_length as fit_length  # the public name stays here too
from .condense_parts import (
    MAP_REDUCE_CHARS,
    MIN_PART_CHARS,
    Part,
    Scored,
    figure_weight,
    figures,
    must_keep,
    plan,
    select,
)
from .coverage import Repair
from .generate import Progress

EXCERPT_RATIO = 0.9  # source tokens per summary token in the prompts
GENERIC_OVERLAP = 0.4  # a sentence without a figure must share this much wording with a source sentence
AIM = 0.88  # a stretch stops at this share of its target: the summary lands inside ±15 % with fewer tokens
# Selection lives with the parts; these names stay importable from here.
__all__ = ["MAP_REDUCE_CHARS", "Scored", "Summary", "condense", "document_title", "fit_length", "select"]
_FILE_NAME = re.compile(r"\.(txt|md|docx?|pdf)$|_", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NON_WORD = re.compile(r"[\W_]+")
_BULLET = re.compile(r"^[\s\-*•#>]+")
_SENTENCE_END = re.compile(r"[。！？；\n]")


@dataclass
class Summary:
    summary: str
    chars: int
    seconds: float
    source_chars: int
    first_token_seconds: float = 0.0
    selected: list[str] | None = None
    check: CheckReport | None = None
    title: str = ""  # the report's own title ("" when it has none), never a file name
    # Per section: heading, budget (characters), chars (written), figures (those its prompt asked to keep).
    sections: list[dict[str, Any]] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    topped_up: int = 0  # source sentences added verbatim because the model wrote too little
    stopped: str = ""  # "cancelled" when the user stopped it

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "source_chars": self.source_chars,
            "first_token_seconds": round(self.first_token_seconds, 3),
            "title": self.title,
            "sections": self.sections,
            "repairs": [r.to_json() for r in self.repairs],
            "topped_up": self.topped_up,
            "stopped": self.stopped,
            "check": self.check.to_json() if self.check else None,
        }


# -- writing -----------------------------------------------------------------------------------------------


def document_title(text: str, given: str = "") -> str:
    """The report's own title: ``given`` unless it looks like a file name, else the title metadata extracts
    from the report's first lines, else "" — never a file name."""
    lines = [ln.strip() for ln in text.split("\n")[:12] if ln.strip()]
    own = extract_title(lines)
    # Metadata falls back to the first line cut at 40 characters: a sentence, not a title.
    whole = own in lines or any(own.startswith(ln) and len(ln) < len(own) for ln in lines)
    for title in (given.strip(), own if whole else ""):
        if (
            4 <= len(title) <= 60
            and _CJK.search(title)  # not a document id
            and not _FILE_NAME.search(title)
            and not heading_level(title)
            and not title.endswith(("。", "，", "；", "！", "？", "："))
        ):
            return title
    return ""


def _label(units: Sequence[Part], i: int) -> str:
    """How the prompt names a unit: its heading, the opening before the first heading, or its place."""
    if units[i].heading:
        return heading_label(units[i].heading)
    return "开头部分" if any(u.heading for u in units) else f"第{i + 1}部分（共{len(units)}部分）"


class _Tap(LLM):
    """The model, with its reply in view: a stretch can stop inside a sentence that would not fit, and the
    sentence a stopped reply ends in is known as such."""

    def __init__(self, llm: LLM) -> None:
        self.llm, self.name = llm, llm.name
        self.text, self.calls, self.ended = "", 0, False

    def count_tokens(self, text: str) -> int:
        return self.llm.count_tokens(text)

    def stream(
        self, messages: Sequence[Message], max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        self.calls += 1
        main = self.calls == 1  # later calls are sentence rewrites
        try:
            for piece in self.llm.stream(messages, max_tokens, temperature):
                if main:
                    self.text += piece
                yield piece
        finally:
            self.ended = True

    def tail(self) -> str:
        """The sentence being written: what follows the last sentence end."""
        return _SENTENCE_END.split(self.text)[-1]

    def open_tail(self, sentence: str) -> bool:
        """Is ``sentence`` the unfinished one the reply stopped in (by our stop, the token limit, a cancel)?"""
        ending = _NON_WORD.sub("", sentence)
        text = self.text.rstrip()
        return (
            self.ended
            and bool(ending)
            and not text.endswith(SENTENCE_ENDS)
            and _NON_WORD.sub("", text).endswith(ending)
        )


def _write(
    llm: LLM,
    prompt: str,
    source: Sequence[str],
    facts: str,
    target: int,
    tokens_per_char: float,
    emit: Callable[[str], None],
    stop: Callable[[], bool],
) -> tuple[list[str], list[Repair]]:
    """One stretch's verified sentences (``write_verified`` against its unit's text). It stops once its share
    is written, or when the sentence under way reaches past it: of a sentence that does not fit, the whole
    clauses that do are kept (the model's tokens are the cost here). What streams out is what is kept."""
    tap = _Tap(llm)
    checker = RuleChecker(source)
    taken: dict[str, str] = {}  # the verified sentence -> what the summary keeps of it
    written = [0]
    room = int(target * 1.1)
    headings = {
        _plain(heading_label(ln.strip()))
        for ln in source[-1].split("\n")
        if heading_level(ln.strip()) in (1, 2)
    }

    def full() -> bool:
        if tap.ended:  # a rewrite costs ~15 s here: worth it only to a stretch still well short
            return written[0] >= target * 0.6
        under_way = char_count(_BULLET.sub("", tap.tail()))
        return written[0] >= target * AIM or written[0] + under_way >= target * 1.03

    def take(sentence: str) -> None:
        plain = _plain(sentence)
        if tap.open_tail(sentence) and stop():
            return  # the user stopped it mid-sentence
        core = plain.rstrip("。！？；")
        if (
            written[0] >= target * AIM
            or char_count(plain) < 8
            or core in headings
            or core.endswith(("：", ":"))
        ):
            return  # full, a heading the model repeated (工作回顾。), or a lead-in (具体内容如下：)
        if not any(figure_weight(q) >= 1 for q in figures(plain)):
            best = checker.evidence(plain, 1)
            if not best or best[0][0] < GENERIC_OVERLAP:
                return  # no figure and little of the source's wording: praise or padding (这将为…提供有力支撑)
        if tap.open_tail(sentence) or written[0] + char_count(plain) > room:
            plain = clauses_that_fit(plain, room - written[0])
            if not plain:
                return
        taken[sentence] = plain
        written[0] += char_count(plain)
        emit(plain)

    max_tokens = round(target * tokens_per_char * 1.5) + 40  # room to end well; the stop comes first
    done = write_verified(tap, with_rules(prompt), max_tokens, checker, facts, take, lambda: stop() or full())
    kept = [taken[s] for s in done.sentences if s in taken]
    # A rewrite that came after the stretch was full is not in the summary either: it was dropped.
    repairs = [
        r
        if r.action != "regenerated" or any(r.replacement.startswith(x.rstrip("。")) for x in taken.values())
        else Repair(r.sentence, r.reason, "dropped")
        for r in done.repairs
    ]
    # So were the failed sentences left unrewritten because the stretch had enough: recorded as dropped.
    seen = set(done.sentences) | {r.sentence for r in repairs}
    for span in split_claims(clean(tap.text)):
        sentence = as_sentence(span.text)
        claims = [] if sentence in seen else checker.check(sentence, lines=True).claims
        bad = [
            f.reason
            for c in claims
            for f in c.findings
            if f.status == "unsupported" and f.check in FACT_CHECKS
        ]
        if bad:
            repairs.append(Repair(sentence, "；".join(bad), "dropped"))
    return kept, repairs


def _plain(sentence: str) -> str:
    """A sentence of a paragraph: without the list marker or bullet a model puts before it."""
    text = _BULLET.sub("", sentence)
    return text[marker_end(text) :]


def condense(
    llm: LLM,
    text: str,
    chars: int,
    title: str,
    budget: int,
    check: Callable[[str, Sequence[str]], CheckReport],
    on_token: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Summary:
    """A summary of about ``chars`` characters (±15 %) covering every top-level section, written stretch by
    stretch through the verified path, then checked against the report itself. ``budget``: model tokens of
    source sentences for the whole summary at most (about 0.9 times the summary's own tokens are used)."""
    if chars < 50:
        raise InputError("摘要字数太少", "请给出至少 50 字。")
    if not text.strip():
        raise InputError("要压缩的报告为空")
    start = time.perf_counter()
    stop = cancelled or (lambda: False)
    title = document_title(text, title)
    units, shares = plan(text, chars)
    sample = text[:4000]
    per_char = llm.count_tokens(sample) / max(1, len(sample))
    # Source sentences for about 0.9 times the summary's tokens: enough to choose from, and on two cores
    # each prompt token costs ~10–17 ms (a generated one ~70 ms).
    excerpt_tokens = min(budget, round(EXCERPT_RATIO * chars * per_char))
    labels = [_label(units, i) for i in range(len(units))]
    outline = "\n".join(labels[:12]) + ("\n……" if len(units) > 12 else "")
    first = [0.0]

    def emit(sentence: str) -> None:
        if not first[0]:
            first[0] = time.perf_counter() - start  # the first verified sentence the user sees
        if on_token:
            on_token(sentence)

    written: list[list[str]] = []
    chosen: list[list[Scored]] = []
    repairs: list[Repair] = []
    kept_figures: list[list[str]] = [[] for _ in units]
    carry = 0  # what earlier stretches wrote short of their share (or beyond it), passed on
    for share in shares:
        if stop():
            break
        target = max(MIN_PART_CHARS // 2, share.chars + max(-share.chars // 2, min(carry, share.chars)))
        picked = select(
            share.part.text, max(100, excerpt_tokens * share.chars // chars), llm.count_tokens, False
        )
        # Plain sentences: a list marker invites a list, and a short marked line passes for a heading.
        facts = "\n".join(_plain(s.text) for s in picked)
        keep = must_keep(picked, max(2, target // 50))
        # A stretch is named as its section: "第2段" makes a small model number its lines.
        prompt = load("condense").render(
            title=f"报告《{title}》" if title else "这份报告",
            outline=outline,
            chars=str(chars),
            part=labels[share.unit],
            part_chars=str(target),
            figures="；".join(keep) or "无",
            excerpt=facts,
        )
        if share.stretch[0] == 1 and any(written) and on_token:
            on_token("\n")  # one paragraph per section
        source = [title, units[share.unit].text]
        kept, fixed = _write(llm, prompt, source, facts, target, per_char, emit, stop)
        written.append(kept)
        chosen.append(picked)
        repairs += fixed
        carry = target - sum(map(char_count, kept))
        kept_figures[share.unit] += keep
    done = shares[: len(written)]
    budgets = [s.chars for s in done]
    stopped = "cancelled" if stop() else ""
    topped = 0
    high = int(chars * (1 + TOLERANCE))
    if not stopped:
        empty = [[c for c, s in enumerate(done) if s.unit == u] for u in range(len(units))]
        empty = [calls for calls in empty if not any(written[c] for c in calls)]
        if empty or sum(char_count(s) for unit in written for s in unit) < AIM * chars:
            # The selected sentences first, then the rest of the stretch, each best first.
            pools = [
                sorted(picked, key=lambda s: -s.score)
                + sorted(select(s.part.text, 10**9, len, False), key=lambda s: -s.score)
                for picked, s in zip(chosen, done, strict=True)
            ]
            for calls in empty:  # every section keeps a sentence: its best one when the model wrote none
                topped += fill(written, pools, calls, float("inf"), [high], 1)
            short = sorted(range(len(written)), key=lambda i: sum(map(char_count, written[i])) - budgets[i])
            topped += fill(written, pools, short, AIM * chars, [chars, high], len(shares) * 99)
    trim(written, budgets, chars)
    paragraphs = [
        "".join(s for c, share in enumerate(done) if share.unit == u for s in written[c])
        for u in range(len(units))
    ]
    summary = "\n".join(p for p in paragraphs if p)
    info = [
        {
            "heading": label,
            "budget": sum(s.chars for s in shares if s.unit == u),
            "chars": char_count(paragraphs[u]),
            "figures": kept_figures[u],
        }
        for u, label in enumerate(labels)
    ]
    result = Summary(
        summary,
        char_count(summary),
        time.perf_counter() - start,
        len(text),
        first[0],
        [s.text for unit in chosen for s in unit],
        title=title,
        sections=info,
        repairs=repairs,
        topped_up=topped,
        stopped=stopped,
    )
    if summary:
        result.check = check(summary, [text])  # against the whole report
    return result
