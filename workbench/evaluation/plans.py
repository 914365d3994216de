"""The 对照要点 eval: hand-labelled plans (evals/plancheck.jsonl) checked against their facts, then drafted.

Each row: {name, unit, year, plan, facts: [{text, item}], expected: {item id: status}, notes}. Scored: item
status accuracy, fact → item accuracy, and in each drafted summary the 未见 items written into the body (by
title) and the numbers, dates and names the body states without a fact behind them.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from ..backends.embed import Embedder
from ..backends.llm import LLM
from ..config import Settings
from ..core import Workbench
from ..errors import InputError
from ..plan.summary import UNSEEN_HEADING

INVENTED = ("number", "date", "name")


def run_plancheck(
    rows: list[dict[str, Any]], settings: Settings, llm: LLM, embedder: Embedder, draft: bool = True
) -> dict[str, Any]:
    """Metrics over every plan; ``items`` lists each plan's misses for people to read."""
    with tempfile.TemporaryDirectory() as home:
        wb = Workbench(settings.model_copy(update={"home": Path(home)}), embedder=embedder, llm=llm)
        out: list[dict[str, Any]] = []
        right = total = facts_right = facts_total = 0
        t0 = time.perf_counter()
        for row in rows:
            text = "\n".join(f["text"] for f in row["facts"])
            result = wb.plan_check(row["plan"], text)
            got = {r.item.id: r.status for r in result.items}
            want: dict[str, str] = row["expected"]
            misses = {k: [v, got.get(k)] for k, v in want.items() if got.get(k) != v}
            misses |= {k: [None, v] for k, v in got.items() if k not in want}
            right += sum(got.get(k) == v for k, v in want.items())
            total += len(set(want) | set(got))
            where = {f.text: r.item.id for r in result.items for f in r.facts}
            wrong_facts = [
                {"text": f["text"], "item": f["item"], "matched": where.get(f["text"])}
                for f in row["facts"]
                if where.get(f["text"]) != f["item"]
            ]
            facts_right += len(row["facts"]) - len(wrong_facts)
            facts_total += len(row["facts"])
            item: dict[str, Any] = {"name": row["name"], "misses": misses, "wrong_facts": wrong_facts}
            if draft:
                item |= _drafted(wb, result, row)
            out.append(item)
        seconds = time.perf_counter() - t0
    unseen = sum(i.get("unseen_total", 0) for i in out)
    body_unseen = sum(len(i.get("unseen_in_body", [])) for i in out)
    drafted = [i for i in out if "unsupported" in i]
    return {
        "n": len(rows),
        "items": total,
        "status_accuracy": round(right / max(1, total), 4),
        "fact_accuracy": round(facts_right / max(1, facts_total), 4),
        "unseen_in_body": body_unseen,
        "unseen_kept_out": round(1 - body_unseen / unseen, 4) if unseen else 1.0,
        "unsupported_in_body": sum(len(i["unsupported"]) for i in drafted),
        "clean_body": round(sum(not i["unsupported"] for i in drafted) / len(drafted), 4) if drafted else 1.0,
        "seconds": round(seconds, 2),
        "plans": out,
    }


def _drafted(wb: Workbench, result: Any, row: dict[str, Any]) -> dict[str, Any]:
    """Draft the summary; the body is the text before the 未见 list."""
    try:
        draft = wb.draft_from_plan(result, row.get("unit", ""), f"{row.get('year', '')}年")
    except InputError as exc:  # every item 未见: nothing to draft
        return {"refused": exc.message, "unsupported": [], "unseen_total": len(result.unseen)}
    body = draft.text.partition(UNSEEN_HEADING)[0]
    spans = draft.check.unsupported_spans if draft.check else []
    return {
        "unseen_total": len(result.unseen),
        "unseen_in_body": [r.item.id for r in result.unseen if r.item.title in body],
        "unsupported": [f"{s.check}:{s.text}" for s in spans if s.check in INVENTED],
        "draft_seconds": round(draft.seconds, 2),
    }
