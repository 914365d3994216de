"""Write a draft from its outline, section by section, every sentence verified before it is kept.

Each section gets a short prompt: its heading and intent, its own facts, and the matching part of a precedent's
skeleton (lines with masked figures left out, so there is nothing to copy). As a section's text arrives it is
cut into sentences; each is checked by the rules against that section's facts (plus unit and period). A
sentence the rules flag (a number, date or name the facts do not give, a figure bound to another subject, a
changed state, negation or obligation) is rewritten once with the offending fact named; if it still fails it is
dropped. A fact no kept sentence carries is then written plainly from the user's own words. So the final text
carries nothing the rules flag by construction, and every repair is recorded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..backends.llm import LLM, Message
from ..check import RuleChecker
from ..check.claims import split_claims
from ..prompts import load, structures, with_rules
from ..text.structure import as_sentence, heading_level, marker_end, top_sections
from .coverage import Repair, carried, settle, uses
from .generate import Generation, generate
from .ledger import Entry
from .outline import PLACEHOLDER, Outline, Section
from .quoting import quote_text

# What a draft or summary may never say: an invented figure, date or name, a true figure bound to another subject
# (机器人社团获奖2项 → 体育社团获奖4项, the 4 being another fact's), a plan made a done fact (拟 → 已), a negation,
# obligation, decision or scope changed. Only the 'supported' verbatim and the model judge are not rule findings.
FACT_CHECKS = ("number", "binding", "state", "date", "name", "polarity", "modality", "decision", "quantity")
_MARKUP = re.compile(r"</?[\u4e00-\u9fffA-Za-z]{1,8}(?:\s[^<>]{0,80})?>")
_MASK = "×"
_BULLET = re.compile(r"^[-•·●▪*]\s*")
_LEAD_IN = re.compile(r"^([^，。；：:！？“”\"\d]{2,15})[：:](?![“\"])")  # 教学质量：, not 他说：“ or 2024年：


@dataclass
class Composed:
    text: str
    repairs: list[Repair] = field(default_factory=list)
    used: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # fact id -> sentence offsets
    placeholders: list[str] = field(default_factory=list)
    first_token_seconds: float = 0.0
    prompt_tokens: int = 0
    tokens: int = 0
    stopped: str = ""
    said: set[str] = field(default_factory=set)  # ids of the facts the sections so far state


def clean(text: str) -> str:
    """What a small model leaves around a section: prompt markup, masked precedent lines, headings it repeats."""
    lines = []
    for line in _MARKUP.sub("", text).replace("**", "").split("\n"):
        line = line.strip()
        if not line or _MASK in line or "待补充" in line or _bare_heading(line):
            continue  # the model's own 【待补充】 is no placeholder of ours: ours come from the outline
        lines.append(_unlist(line))
    return "".join(lines)


def _bare_heading(line: str) -> bool:
    """A heading with nothing said after it (一、主要工作和成效：); "1. 教研：公开课136节。" is a list item."""
    body = line[marker_end(line) :].rstrip("：: ")
    return bool(heading_level(line)) and len(line) <= 30 and not any(p in body for p in "。，；：:！？")


def _unlist(line: str) -> str:
    """A list item the model wrote inside a paragraph ("1. 教学质量：中考…") as prose: no number, and no
    short lead-in label (the model's own words, which read as a form inside a paragraph)."""
    end = marker_end(line) or (m.end() if (m := _BULLET.match(line)) else 0)
    if not end:
        return line
    return _LEAD_IN.sub("", line[end:], count=1)


def skeleton(excerpt: str, position: int, count: int) -> str:
    """The sentences of a precedent's masked outline in the part that matches section ``position`` of
    ``count``: no line that had figures masked (a model copies 第×期 as content), and no title or heading
    line (the section's own heading is given; a model copies the precedent's title as its first sentence)."""
    parts = [block for _, block in top_sections(excerpt)] or [excerpt]
    at = min(len(parts) - 1, position * len(parts) // max(1, count))
    lines = [
        ln
        for ln in parts[at].split("\n")
        if ln.strip()
        and _MASK not in ln
        and "××" not in ln
        and any(p in ln for p in "。，；")
        and not heading_level(ln.strip())
    ]
    return "\n".join(lines[:4]) or "（无）"


def compose(
    llm: LLM,
    outline: Outline,
    excerpts: Sequence[str],
    unit: str,
    max_tokens: int,
    on_token: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    with_title: bool = True,
) -> Composed:
    """The draft of ``outline``: a title, each section written and verified, placeholders where facts are
    missing, and the ledger's use of each fact."""
    out = Composed("")
    kind = structures().get(outline.type, structures()["其他"]).name
    pieces: list[str] = []

    def emit(piece: str) -> None:
        pieces.append(piece)
        if on_token:
            on_token(piece)

    start = time.perf_counter()
    if with_title:
        title = outline.title or PLACEHOLDER.format("标题")
        if not outline.title:
            out.placeholders.append(title)
        emit(title + "\n")
    for i, section in enumerate(outline.sections):
        if cancelled and cancelled():
            out.stopped = "cancelled"
            break
        if section.heading:
            emit(section.heading + "\n")
        facts = [outline.entry(f) for f in section.facts]
        marks = [p["text"] for p in outline.placeholders if p.get("section") == i and p["text"] not in pieces]
        if facts:
            offset = sum(map(len, pieces))
            texts = []
            # The draft's first paragraph is short: its prompt is read before the first word shows.
            for n, group in enumerate(_groups(facts, FIRST if not out.tokens else GROUP)):
                if cancelled and cancelled():
                    break
                if n and on_token:
                    on_token("\n")
                texts.append(
                    _section(
                        llm,
                        outline,
                        section,
                        group,
                        excerpts,
                        i,
                        unit or "本单位",
                        kind,
                        max_tokens,
                        out,
                        on_token or (lambda _: None),
                        cancelled,
                        start,
                        n > 0,
                    )
                )
            text = "\n".join(t for t in texts if t)
            pieces.append(text + "\n")  # the section in its final order (streamed pieces may come out of it)
            for fact_id, spans in uses(facts, text).items():
                out.used.setdefault(fact_id, []).extend((offset + s, offset + e) for s, e in spans)
            if on_token:
                on_token("\n")
        for mark in marks:
            emit(mark + "\n")
            out.placeholders.append(mark)
    out.text = "".join(pieces).strip()
    return out


@dataclass
class Verified:
    """What ``write_verified`` kept, what it repaired, and the generation it came from."""

    sentences: list[str]
    repairs: list[Repair]
    generation: Generation


def write_verified(
    llm: LLM,
    messages: list[Message],
    max_tokens: int,
    checker: RuleChecker,
    facts: str,
    emit: Callable[[str], None],
    cancelled: Callable[[], bool] | None = None,
) -> Verified:
    """Generate from ``messages``, keeping only sentences whose numbers, dates and names ``checker``'s sources
    back. Sentences that pass stream out (``emit``) as soon as they are complete; those that fail wait until
    the generation ends (the model is busy until then), then are rewritten once from ``facts`` or dropped.
    Drafting and condensing both write through this one path."""
    kept: list[str | None] = []
    failed: list[tuple[int, str, str]] = []  # (place in kept, sentence, why)
    repairs: list[Repair] = []
    buffer = [""]

    def take(done: str) -> None:
        for span in split_claims(clean(done)):
            sentence = as_sentence(span.text)
            if sentence in kept:
                continue
            problem = _invented(checker, sentence)
            kept.append(None if problem else sentence)
            if problem:
                failed.append((len(kept) - 1, sentence, problem))
            else:
                emit(sentence)

    def piece(text: str) -> None:
        buffer[0] += text
        cut = max(buffer[0].rfind(c) for c in "。！？；\n")
        if cut >= 0:
            done, buffer[0] = buffer[0][: cut + 1], buffer[0][cut + 1 :]
            take(done)

    gen = generate(llm, messages, max_tokens, piece, cancelled)
    take(buffer[0])
    for place, sentence, problem in failed:
        if cancelled and cancelled():
            break
        ask = load("fix_sentence").render(sentence=sentence, problem=problem, facts=facts)
        fixed = clean(llm.complete(with_rules(ask), max_tokens=160))
        if fixed and not _invented(checker, fixed):
            repairs.append(Repair(sentence, problem, "regenerated", fixed))
            kept[place] = as_sentence(fixed)
            emit(kept[place] or "")
        else:
            repairs.append(Repair(sentence, problem, "dropped"))
    return Verified([k for k in kept if k], repairs, gen)


def _section(
    llm: LLM,
    outline: Outline,
    section: Section,
    facts: list[Entry],
    excerpts: Sequence[str],
    position: int,
    unit: str,
    kind: str,
    max_tokens: int,
    out: Composed,
    emit: Callable[[str], None],
    cancelled: Callable[[], bool] | None,
    start: float,
    more: bool = False,
) -> str:
    """One section's verified text (``write_verified``), with the facts it did not carry written plainly;
    ``more``: a further paragraph of a section whose facts come in groups."""
    fact_lines = "\n".join(f.text for f in facts)
    # Quoted like any precedent text: a forged tag in a precedent cannot close the prompt's blocks.
    shape = "\n".join(skeleton(x, position, len(outline.sections)) for x in excerpts[:1]).replace(
        "（无）", ""
    )
    # No shape, no block: given "（无）" a small model answers "（无）" for the section.
    skel = f"可参考的句式（只学写法，其中的内容一律不用）：\n{quote_text(shape)}\n\n" if shape.strip() else ""
    prompt = load("draft_section").render(
        unit=unit,
        kind=kind,
        part=_part(section.heading, more),
        intent=section.intent,
        skeleton=skel,
        facts=fact_lines,
    )
    # Against the whole ledger: a true fact of another section is no invention (only a missing one is).
    checker = RuleChecker([e.text for e in outline.ledger])
    began = time.perf_counter()
    # No more tokens than the section's facts need: a small model fills any room left with generic sentences.
    budget = min(max_tokens, 80 + 60 * len(facts))
    done = write_verified(llm, with_rules(prompt), budget, checker, fact_lines, emit, cancelled)
    if not out.first_token_seconds:
        out.first_token_seconds = began - start + done.generation.first_token_seconds
    out.prompt_tokens += done.generation.prompt_tokens
    out.tokens += done.generation.tokens
    out.stopped = out.stopped or done.generation.stopped
    out.repairs += done.repairs
    # Each fact stated once and whole: what the model said in part is written from the user's words.
    before = [outline.entry(f) for f in sorted(out.said)]
    sentences, fixes = settle(facts, _unlabelled(section.heading, done.sentences), before)
    out.repairs += fixes
    known = [e for e in outline.ledger if e.role == "fact"]
    out.said |= {e.id for e in known if any(carried(e, x) for x in sentences)}
    for fix in fixes:
        if fix.replacement:
            emit(fix.replacement)
    # A numbered item (2. …) starts its own line, as the model meant it to.
    return "".join(("\n" if i and marker_end(x) else "") + x for i, x in enumerate(sentences))


def _unlabelled(heading: str, sentences: list[str]) -> list[str]:
    """The section's sentences without the heading said again as a label (三、下一步打算 → "下一步打算：…")."""
    label = heading.split("、", 1)[-1].strip()
    if label and sentences and sentences[0].startswith((label + "：", label + ":", label + "，")):
        return [sentences[0][len(label) + 1 :], *sentences[1:]]
    return sentences


GROUP = 6  # facts per model call: a small model carries six well; sixteen in one prompt, it skips some
# Facts in the draft's first call: six long ones took 3.7 s to read on 2 cores before the first word.
FIRST = 3


def _groups(facts: list[Entry], first: int = GROUP) -> list[list[Entry]]:
    """A section's facts in consecutive groups: at most ``first`` in the first, then at most ``GROUP``, sizes
    as even as can be (16 → 6, 5, 5; with first=3: 3, 5, 4, 4). Each group is one paragraph from one short
    prompt."""
    if first < GROUP and len(facts) > first:
        return [facts[:first], *_groups(facts[first:])]
    count = -(-len(facts) // GROUP)
    size, extra = divmod(len(facts), count)
    out, at = [], 0
    for n in range(count):
        step = size + (n < extra)
        out.append(facts[at : at + step])
        at += step
    return out


def _part(heading: str, more: bool) -> str:
    """How the prompt names what to write: the section, or (``more``) its next paragraph."""
    if heading:
        return f"“{heading}”这一部分的下一段" if more else f"“{heading}”这一部分"
    return "下一段" if more else "其中一段"


def _invented(checker: RuleChecker, sentence: str) -> str:
    """The reason a sentence carries a number, date or name the facts do not give ("" when it does not)."""
    claim = checker.check(sentence, lines=True).claims
    bad = [f for c in claim for f in c.findings if f.status == "unsupported" and f.check in FACT_CHECKS]
    return "；".join(f.reason for f in bad)


def ledger_json(outline: Outline, composed: Composed) -> list[dict[str, Any]]:
    """Each ledger entry with the sentences it was used in ([] when the draft does not carry it: 未写入)."""
    return [
        {**e.to_json(), "used_in": [list(x) for x in composed.used.get(e.id, [])]} for e in outline.ledger
    ]
