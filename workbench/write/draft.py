"""Draft: the user's facts + a document type → precedents retrieved → a draft in their structure → checked.

Precedents teach structure and tone only: each is trimmed to its headings and the opening sentence of each
section (what shows the shape), fitted into a token budget, and quoted as data inside the prompt. A whole
draft and a redrafted section go through one sequence (``write``): generate, trim, check against the facts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..backends.llm import LLM, Message
from ..check import CheckReport
from ..check.names import names
from ..errors import NotFoundError
from ..library.store import DocRecord
from ..prompts import load, structures, with_rules
from ..search.hybrid import HybridSearch
from ..text.structure import heading_level, marker_end
from ..types import Viewer
from .generate import Progress, generate
from .quoting import PLACEHOLDER, TITLE_PLACEHOLDER, instruction_like, quote_attribute, quote_text

Checker = Callable[[str, Sequence[str]], CheckReport]


@dataclass
class Precedent:
    doc_id: str
    title: str
    excerpt: str  # what the model sees: the trimmed outline
    # lines of the precedent that read as instructions to the model, replaced in ``excerpt`` by a placeholder;
    # the page tells the user, since someone put them in a library document
    flagged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "flagged": self.flagged}


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
    # The trusted path (write.trusted): the outline written from, each fact with where the draft uses it,
    # every repair made while verifying, and the placeholders left for the user.
    outline: dict[str, Any] | None = None
    ledger: list[dict[str, Any]] = field(default_factory=list)
    repairs: list[dict[str, str]] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    # A summary drafted from a plan (workbench.plan): the items with no fact, listed after the body.
    unseen: list[dict[str, str]] = field(default_factory=list)

    @property
    def unused_facts(self) -> list[dict[str, Any]]:
        """Facts the user gave that the draft does not carry (未写入): nothing is lost silently."""
        return [e for e in self.ledger if e.get("role") == "fact" and not e.get("used_in")]

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
            "outline": self.outline,
            "ledger": self.ledger,
            "repairs": self.repairs,
            "placeholders": self.placeholders,
            "unseen": self.unseen,
        }


_SENTENCE = re.compile(r"[^。！？；]*[。！？；]?")


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_TITLE = re.compile(r"《[^》]{1,40}》")


def mask_facts(line: str) -> str:
    """A precedent line with its facts blanked: figures become ×, 《titles》 and people's names ××.
    The model sees how a precedent is built, and has nothing of its content to copy."""
    end = marker_end(line)
    head, rest = line[:end], line[end:]
    rest = _TITLE.sub("《××》", _DIGITS.sub("×", rest))
    for name in reversed(names(rest)):
        if name.kind == "person":
            rest = rest[: name.start] + "××" + rest[name.end :]
    return head + rest


def outline(text: str, budget: int, count: Callable[[str], int]) -> str:
    """A precedent cut to its shape within ``budget`` tokens; see ``screened_outline``."""
    return screened_outline(text, budget, count)[0]


def screened_outline(text: str, budget: int, count: Callable[[str], int]) -> tuple[str, list[str]]:
    """A precedent cut to its shape within ``budget`` tokens: the title and the 一、 headings first, then the
    （一） headings, then the first sentence under each heading; shown in document order. A piece that reads
    as an instruction to the model becomes ``PLACEHOLDER``; those pieces are returned too (clipped)."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    pieces: dict[int, tuple[int, str]] = {}  # line index -> (priority, text)
    flagged: list[str] = []
    after_heading = True
    for i, line in enumerate(lines):
        level = heading_level(line)
        if i == 0 or level:
            whole, priority, piece = line, 0 if i == 0 else min(level, 3), _clip(line, 60)
            after_heading = True
        elif after_heading:
            first = _SENTENCE.match(line)
            whole = first.group(0) if first else line
            priority, piece = 4, whole[:80] + "……"
            after_heading = False
        else:
            continue
        # screened whole, before the cut: a cut must not break up a pattern and let the rest through
        if instruction_like(whole):
            flagged.append(_clip(whole.strip(), 60))
            piece = PLACEHOLDER
        pieces[i] = (priority, piece)
    kept: set[int] = set()
    used = 0
    for i, (_, piece) in sorted(pieces.items(), key=lambda kv: (kv[1][0], kv[0])):
        cost = count(piece) + 1
        if used + cost <= budget:
            kept.add(i)
            used += cost
    return "\n".join(mask_facts(pieces[i][1]) for i in sorted(kept)), flagged


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[:width] + "……"


def candidates(
    search: HybridSearch,
    records: Mapping[str, DocRecord],
    doc_type: str,
    facts: str,
    exclude: Sequence[str] = (),
    k: int = 10,
    viewer: Viewer | None = None,
) -> list[str]:
    """Documents most like the facts, best first: the same type first, then any type to fill up to ``k``.
    The draft takes the first few, and 查找范文 shows this same list. Only what ``viewer`` may see."""
    if not records:
        return []
    query = f"{doc_type} {facts.strip()[:300]}"
    depth = k + len(exclude)  # document mode: one hit per document
    hits = search.search(query, depth, type=doc_type, documents=True, viewer=viewer)
    ids = [d for d in _unique_docs(hits) if d not in exclude]
    if len(ids) < k:
        more = search.search(query, depth, documents=True, viewer=viewer)
        ids += [d for d in _unique_docs(more) if d not in ids and d not in exclude]
    return ids[:k]


def precedents(
    search: HybridSearch,
    doc_type: str,
    facts: str,
    pinned: Sequence[str],
    exclude: Sequence[str],
    n: int,
    budget: int,
    count: Callable[[str], int],
    visible: Mapping[str, DocRecord] | None = None,
    viewer: Viewer | None = None,
) -> list[Precedent]:
    """Precedents for a draft: the pinned ones, else the ``n`` best candidates; each cut to its masked shape
    within an equal share of ``budget`` tokens. ``visible``: the records ``viewer`` may see (default all)."""
    records = search.store.records() if visible is None else visible
    if pinned:
        missing = [d for d in pinned if d not in records]
        if missing:
            raise NotFoundError(f"库中没有范文 {'、'.join(missing)}")
        ids = list(pinned)
    else:
        ids = candidates(search, records, doc_type, facts, exclude, n, viewer)
    each = budget // max(1, len(ids))
    chosen = []
    for d in ids:
        excerpt, flagged = screened_outline(search.store.document_text(d), each, count)
        title = records[d].title
        if instruction_like(title):
            flagged.insert(0, f"标题：{_clip(title, 60)}")
        chosen.append(Precedent(d, title, excerpt, flagged))
    return chosen


def quote_precedents(precedents: Sequence[Precedent]) -> str:
    """The precedents as quoted data: every field escaped (``quoting``), and screened again line by line,
    so a ``Precedent`` built by any caller cannot carry an instruction or close its quote early."""
    if not precedents:
        return "（库中没有合适的范文，请按结构要求写。）"
    blocks = []
    for i, p in enumerate(precedents, 1):
        title = TITLE_PLACEHOLDER if instruction_like(p.title) else mask_facts(p.title)
        body = "\n".join(PLACEHOLDER if instruction_like(ln) else ln for ln in p.excerpt.split("\n"))
        blocks.append(f'<范文 编号="{i}" 标题="{quote_attribute(title)}">\n{quote_text(body)}\n</范文>')
    return "\n".join(blocks)


def messages_for(
    doc_type: str, facts: str, unit: str, period: str, precedents: Sequence[Precedent]
) -> list[Message]:
    """System rules first (fixed, so a local model reuses its KV cache), then the task."""
    table = structures()
    kind = table.get(doc_type) or table["其他"]
    user = load("draft").render(
        unit=unit or "本单位",
        period=period or "本期",
        kind=kind.name,
        structure=kind.structure,
        precedents=quote_precedents(precedents),
        facts=facts.strip(),
    )
    return with_rules(user)


def write(
    llm: LLM,
    messages: list[Message],
    max_tokens: int,
    sources: Sequence[str],
    check: Checker,
    chosen: Sequence[Precedent] = (),
    assemble: Callable[[str], str] = lambda written: written,
    on_token: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Draft:
    """The one drafting sequence: generate, trim, ``assemble`` into the whole text, check it against
    ``sources`` (skipped when nothing was written)."""
    gen = generate(llm, messages, max_tokens, on_token, cancelled)
    text = assemble(gen.text) if gen.text else ""
    draft = Draft(
        text,
        list(chosen),
        gen.seconds,
        gen.first_token_seconds,
        gen.prompt_tokens,
        gen.tokens,
        stopped=gen.stopped,
    )
    return checked(draft, check, sources)


def checked(draft: Draft, check: Checker, sources: Sequence[str]) -> Draft:
    """The draft with its check against ``sources`` (none when nothing was written), timed."""
    if draft.text.strip():
        t0 = time.perf_counter()
        draft.check = check(draft.text, sources)
        draft.extra["check_seconds"] = time.perf_counter() - t0
    return draft


def _unique_docs(hits: Sequence[Any]) -> list[str]:
    return list(dict.fromkeys(h.doc_id for h in hits))
