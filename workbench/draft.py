"""Draft: the user's facts + a document type → precedents retrieved → a draft in their structure → checked.

Precedents teach structure and tone only: each is trimmed to its headings and the opening sentence of each
section (what shows the shape), fitted into a token budget, and quoted as data inside the prompt.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .backends.llm import LLM, Message
from .check import CheckReport
from .check.names import names
from .chunking import heading_level
from .prompts import load, with_rules
from .types import DOC_TYPES

Progress = Callable[[str], None]


@dataclass
class Precedent:
    doc_id: str
    title: str
    excerpt: str  # what the model sees: the trimmed outline

    def to_json(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "title": self.title}


@dataclass
class Draft:
    text: str
    precedents: list[Precedent]
    seconds: float
    first_token_seconds: float
    prompt_tokens: int
    tokens: int
    check: CheckReport | None = None
    stopped: str = ""  # why generation stopped early ("repetition", "cancelled"), if it did
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "precedents": [p.to_json() for p in self.precedents],
            "seconds": round(self.seconds, 3),
            "first_token_seconds": round(self.first_token_seconds, 3),
            "prompt_tokens": self.prompt_tokens,
            "tokens": self.tokens,
            "check": self.check.to_json() if self.check else None,
            "stopped": self.stopped,
        }


_SENTENCE = re.compile(r"[^。！？；]*[。！？；]?")


_MARKER = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.、．])")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_TITLE = re.compile(r"《[^》]{1,40}》")


def mask_facts(line: str) -> str:
    """A precedent line with its facts blanked: figures become ×, 《titles》 and people's names ××.
    The model sees how a precedent is built, and has nothing of its content to copy."""
    marker = _MARKER.match(line)
    head, rest = (line[: marker.end()], line[marker.end() :]) if marker else ("", line)
    rest = _TITLE.sub("《××》", _DIGITS.sub("×", rest))
    for name in reversed(names(rest)):
        if name.kind == "person":
            rest = rest[: name.start] + "××" + rest[name.end :]
    return head + rest


def outline(text: str, budget: int, count: Callable[[str], int]) -> str:
    """A precedent cut to its shape within ``budget`` tokens: the title and the 一、 headings first, then the
    （一） headings, then the first sentence under each heading; shown in document order."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    pieces: dict[int, tuple[int, str]] = {}  # line index -> (priority, text)
    after_heading = True
    for i, line in enumerate(lines):
        level = heading_level(line)
        if i == 0 or level:
            pieces[i] = (0 if i == 0 else min(level, 3), line if len(line) <= 60 else line[:60] + "……")
            after_heading = True
        elif after_heading:
            first = _SENTENCE.match(line)
            pieces[i] = (4, (first.group(0) if first else line)[:80] + "……")
            after_heading = False
    kept: set[int] = set()
    used = 0
    for i, (_, piece) in sorted(pieces.items(), key=lambda kv: (kv[1][0], kv[0])):
        cost = count(piece) + 1
        if used + cost <= budget:
            kept.add(i)
            used += cost
    return "\n".join(mask_facts(pieces[i][1]) for i in sorted(kept))


def quote_precedents(precedents: Sequence[Precedent]) -> str:
    if not precedents:
        return "（库中没有合适的范文，请按结构要求写。）"
    return "\n".join(
        f'<范文 编号="{i}" 标题="{p.title}">\n{p.excerpt}\n</范文>' for i, p in enumerate(precedents, 1)
    )


def messages_for(
    doc_type: str, facts: str, unit: str, period: str, precedents: Sequence[Precedent]
) -> list[Message]:
    """System rules first (fixed, so a local model reuses its KV cache), then the task."""
    kind = doc_type if doc_type in DOC_TYPES else "其他"
    user = load(f"draft_{kind}").render(
        unit=unit or "本单位",
        period=period or "本期",
        precedents=quote_precedents(precedents),
        facts=facts.strip(),
    )
    return with_rules(user)


def repetition(text: str, window: int = 24, times: int = 3) -> bool:
    """The tail repeats itself: the last ``window`` characters occur ``times`` times in the recent text."""
    if len(text) < window * times:
        return False
    tail = text[-window:]
    return text[-window * times * 4 :].count(tail) >= times


def generate(
    llm: LLM,
    messages: list[Message],
    max_tokens: int,
    on_token: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[str, float, int, str]:
    """Stream a reply: (text, seconds to first token, pieces, why it stopped early)."""
    start = time.perf_counter()
    first = 0.0
    out: list[str] = []
    stopped = ""
    stream: Iterator[str] = llm.stream(messages, max_tokens=max_tokens)
    try:
        for piece in stream:
            if not out:
                first = time.perf_counter() - start
            out.append(piece)
            if on_token:
                on_token(piece)
            if cancelled and cancelled():
                stopped = "cancelled"
                break
            if repetition("".join(out[-64:])):
                stopped = "repetition"
                break
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    return "".join(out), first, len(out), stopped


_ITEM = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]{1,3}[)）.、．]\s*)")


def trim_repetition(text: str) -> str:
    """Drop lines that repeat an earlier line, list number aside (what a looping model leaves behind)."""
    seen: set[str] = set()
    kept = []
    for line in text.split("\n"):
        key = _ITEM.sub("", line).strip()
        if key and len(key) >= 8 and key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return "\n".join(kept).strip()


def unique_docs(hits: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(h.doc_id for h in hits))


def top_sections(text: str) -> list[tuple[str, str]]:
    """(heading line, block) for the text before the first 一、 heading and for each 一、 section."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        if heading_level(line.strip()) == 1:
            out.append((line.strip(), []))
        out[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in out if any(x.strip() for x in lines)]


def replace_section(text: str, heading: str, new_block: str) -> str:
    """The text with the section under ``heading`` replaced by ``new_block``."""
    parts = top_sections(text)
    return "\n".join(new_block.strip() if h == heading else block for h, block in parts)
