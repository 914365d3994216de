"""Streaming generation shared by drafting and condensing: cancel, a repetition guard, and trimming what a
looping model leaves behind."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..backends.llm import LLM, Message
from ..text.structure import marker_end

Progress = Callable[[str], None]


def repetition(text: str, window: int = 24, times: int = 3) -> bool:
    """The tail repeats itself: the last ``window`` characters occur ``times`` times in the recent text."""
    if len(text) < window * times:
        return False
    tail = text[-window:]
    return text[-window * times * 4 :].count(tail) >= times


@dataclass(frozen=True)
class Generation:
    """One streamed reply: ``text`` is trimmed of repeated lines, ``raw`` is what the model sent."""

    text: str
    raw: str
    seconds: float
    first_token_seconds: float
    prompt_tokens: int
    tokens: int
    stopped: str  # why it stopped early ("repetition", "cancelled"), or ""


def generate(
    llm: LLM,
    messages: list[Message],
    max_tokens: int,
    on_token: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Generation:
    """Stream a reply to ``messages``, stopping on cancel or when the model loops; token counts are the
    model's own."""
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
    raw = "".join(out)
    return Generation(
        trim_repetition(raw),
        raw,
        time.perf_counter() - start,
        first,
        sum(llm.count_tokens(m["content"]) for m in messages),
        llm.count_tokens(raw),
        stopped,
    )


def trim_repetition(text: str) -> str:
    """Drop lines that repeat an earlier line, list number aside (what a looping model leaves behind)."""
    seen: set[str] = set()
    kept = []
    for line in text.split("\n"):
        key = line[marker_end(line) :].strip()
        if key and len(key) >= 8 and key in seen:
            continue
        seen.add(key)
        kept.append(line)
    return "\n".join(kept).strip()
