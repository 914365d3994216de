"""The trusted drafting path: facts → ledger → outline (editable) → section-by-section writing with every
sentence verified → the whole draft checked. The single-call path (``draft.write``) stays for comparison."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from ..backends.llm import LLM
from ..check import CheckReport
from ..errors import InputError
from ..text.structure import replace_section, top_sections
from . import compose, ledger, outline
from .draft import Draft, Precedent, checked

Checker = Callable[[str, Sequence[str]], CheckReport]


def make_outline(
    doc_type: str, facts: str, unit: str, period: str, chosen: Sequence[Precedent]
) -> outline.Outline:
    """The outline a draft of these facts follows (no model call)."""
    entries = ledger.build(facts, unit, period)
    return outline.build(doc_type, entries, [p.to_json() for p in chosen])


def draft(
    llm: LLM,
    plan: outline.Outline,
    chosen: Sequence[Precedent],
    max_tokens: int,
    check: Checker,
    on_token: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    with_title: bool = True,
) -> Draft:
    """Write ``plan`` section by section (each section at most ``max_tokens`` model tokens), then check the
    whole text against the ledger with the full checker (judge included when the settings say so)."""
    start = time.perf_counter()
    unit = ledger.unit_of(plan.ledger)
    done = compose.compose(
        llm, plan, [p.excerpt for p in chosen], unit, max_tokens, on_token, cancelled, with_title
    )
    result = Draft(
        done.text,
        list(chosen),
        time.perf_counter() - start,
        done.first_token_seconds,
        done.prompt_tokens,
        done.tokens,
        stopped=done.stopped,
        outline=plan.to_json(),
        ledger=compose.ledger_json(plan, done),
        repairs=[r.to_json() for r in done.repairs],
        placeholders=done.placeholders,
    )
    return checked(result, check, [e.text for e in plan.ledger])


def redraft(
    llm: LLM,
    text: str,
    heading: str,
    doc_type: str,
    facts: str,
    unit: str,
    period: str,
    max_tokens: int,
    check: Checker,
    on_token: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Draft:
    """One 一、 section rewritten through the verified path: the outline's section of that heading (or, for a
    heading the outline does not have, every fact), the rest of ``text`` kept as it is."""
    if not heading or heading not in dict(top_sections(text)):
        raise InputError(f"稿件里没有“{heading}”这一部分", "请从下拉框里选择一个“一、”级标题。")
    plan = make_outline(doc_type, facts, unit, period, [])
    name = heading.split("、", 1)[-1]
    same = [
        s for s in plan.sections if s.heading and (s.heading.split("、", 1)[-1] in name or name in s.heading)
    ]
    facts_ids = [e.id for e in plan.ledger if e.role == "fact"]
    section = same[0] if same else outline.Section(heading, "重写这一部分", facts_ids)
    one = outline.Outline(plan.type, "", plan.ledger, [outline.Section("", section.intent, section.facts)])
    written = draft(llm, one, [], max_tokens, lambda *_: CheckReport(1.0, []), on_token, cancelled, False)
    body = written.text.strip()
    whole = replace_section(text, heading, f"{heading}\n{body}") if body else text
    result = replace(written, text=whole, check=check(whole, [e.text for e in plan.ledger]))
    return result
