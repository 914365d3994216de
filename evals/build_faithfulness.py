"""Build evals/faithfulness.jsonl from the sample reports, reproducibly (a fixed seed, sorted inputs).

    python evals/build_faithfulness.py [SAMPLES_DIR] [OUT]

Supported claims: source sentences verbatim, shortened (a leading clause dropped), with a number spelled in
Chinese, or with a near synonym. Unsupported claims change one fact: a number, a date, a name swapped in
from another document (person, organisation, place, quoted title), or a direction word flipped.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from workbench.check.claims import sentences
from workbench.check.dates import dates
from workbench.check.names import names
from workbench.check.numbers import quantities
from workbench.data import samples_dir
from workbench.library.documents import load_document

ROOT = Path(__file__).resolve().parent.parent
# The direction pairs this set was built with, frozen here: the checker's own list grows, and a set made
# with it would move with the code it tests.
PAIRS: tuple[tuple[str, str], ...] = (
    ("增加", "减少"),
    ("增长", "下降"),
    ("上升", "下降"),
    ("提高", "降低"),
    ("提升", "下降"),
    ("扩大", "缩小"),
    ("增强", "减弱"),
    ("加快", "放缓"),
    ("好转", "恶化"),
    ("超额完成", "未完成"),
    ("完成", "未完成"),
    ("达到", "未达到"),
    ("合格", "不合格"),
    ("通过", "未通过"),
    ("有所增加", "有所减少"),
    ("新增", "减少"),
    ("获评", "未获评"),
)
_CN = "零一二三四五六七八九"
SYNONYMS = (
    ("召开", "举行"),
    ("开展", "组织开展"),
    ("参加", "参与"),
    ("要求", "强调"),
    ("组织", "组织了"),
    ("全年", "一年来"),
    ("积极", "主动"),
    ("推进", "推动"),
    ("加强", "强化"),
    ("提高", "提升"),
)


def to_chinese(n: int) -> str:
    """1..9999 in Chinese numerals, as a report would write them (十二, 二十, 一百零五)."""
    if n < 10:
        return _CN[n]
    out, zero = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, n = divmod(n, size)
        if digit:
            out += (
                ("零" if zero else "") + ("" if size == 10 and digit == 1 and not out else _CN[digit]) + unit
            )
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN[n]
    return out


def supported_variants(sentence: str, rng: random.Random) -> list[tuple[str, str]]:
    out = [(sentence, "original")]
    parts = re.split(r"(?<=，)", sentence)
    if len(parts) >= 3:
        out.append(("".join(parts[1:]), "shortened"))
    spans = [(d.start, d.end) for d in dates(sentence)]
    spans += [
        (n.start, n.end) for n in names(sentence) if n.kind == "title"
    ]  # 《3-6岁…》 is a name, not a count
    small = [
        q
        for q in quantities(sentence, skip=spans)
        if q.value == int(q.value)
        and 2 <= q.value < 1000
        and q.text[0].isdigit()
        and not q.approx
        and q.unit not in ("%", "")
    ]
    if small:
        q = rng.choice(small)
        digits = q.text[: len(str(int(q.value)))]
        out.append(
            (sentence[: q.start] + to_chinese(int(digits)) + sentence[q.start + len(digits) :], "number_cn")
        )
    for a, b in SYNONYMS:
        if a in sentence and b not in sentence:
            out.append((sentence.replace(a, b, 1), "synonym"))
            break
    return out


def unsupported_variants(
    sentence: str, others: dict[str, list[str]], rng: random.Random
) -> list[tuple[str, str]]:
    out = []
    spans = [(d.start, d.end) for d in dates(sentence)]
    qs = [q for q in quantities(sentence, skip=spans) if q.text[0].isdigit() and q.unit]
    if qs:
        q = rng.choice(qs)
        digits = re.match(r"[\d.,]+", q.text)
        if digits:
            old = digits.group(0)
            value = float(old.replace(",", ""))
            new = (
                str(int(value) + rng.choice((1, 2, 3, 5, 10))) if value == int(value) else f"{value + 0.5:g}"
            )
            out.append((sentence[: q.start] + new + sentence[q.start + len(old) :], "number"))
    ds = [d for d in dates(sentence) if d.year or d.month]
    if ds:
        d = rng.choice(ds)
        if d.year:
            changed = d.text.replace(str(d.year), str(d.year + rng.choice((-1, 1))), 1)
        else:
            changed = re.sub(r"\d+(?=\s*月)", str((d.month or 1) % 12 + 1), d.text, count=1)
        if changed != d.text:
            out.append((sentence[: d.start] + changed + sentence[d.end :], "date"))
    for n in names(sentence):
        kind = {"person": "person", "org": "org", "place": "place", "title": "title"}.get(n.kind)
        pool = [o for o in others.get(n.kind, []) if o != n.text and o not in sentence]
        if kind and pool:
            out.append((sentence[: n.start] + rng.choice(pool) + sentence[n.end :], kind))
            break
    for a, b in PAIRS:
        for mine, other in ((a, b), (b, a)):
            if mine in sentence and other not in sentence and not other.startswith(mine):
                out.append((sentence.replace(mine, other, 1), "polarity"))
                return out
    return out


def build(samples: Path) -> list[dict[str, str]]:
    rng = random.Random(20261122)
    docs = {p.name: load_document(p, 10**7).text for p in sorted(samples.iterdir()) if p.is_file()}
    pools: dict[str, dict[str, list[str]]] = {}
    for name in docs:
        others: dict[str, set[str]] = {}
        for other, other_text in docs.items():
            if other != name:
                for n in names(other_text):
                    others.setdefault(n.kind, set()).add(n.text)
        pools[name] = {k: sorted(v) for k, v in others.items()}
    items = []
    for name, text in docs.items():
        for sentence in sentences(text):
            if len(sentence) < 12:
                continue
            for claim, kind in supported_variants(sentence, rng):
                items.append(
                    {"source": text, "claim": claim, "label": "supported", "kind": kind, "doc": name}
                )
            for claim, kind in unsupported_variants(sentence, pools[name], rng):
                items.append(
                    {"source": text, "claim": claim, "label": "unsupported", "kind": kind, "doc": name}
                )
    return items


def main() -> None:
    samples = Path(sys.argv[1]) if len(sys.argv) > 1 else samples_dir()
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "evals" / "faithfulness.jsonl"
    items = build(samples)
    with out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for item in items:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    print(f"{len(items)} items → {out}: {kinds}")


if __name__ == "__main__":
    main()
