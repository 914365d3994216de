"""The set itself: the corpus read and cut into sentences, every change each allows, and the pick."""

from __future__ import annotations

import logging
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jieba
import jieba.posseg

from .changes import change_date, change_direction, change_modality, change_number, change_state, paraphrases
from .names import Pools, is_org, org_class, person_names, place_class, place_names, swap_name
from .tables import FACT, FIGURE_DIRECTIONS, HEADING, PARAPHRASES, UNSUPPORTED_KINDS
from .text import Change, Sentence, Token, as_claim, split_spans

SEED = 20261123


def section_starts(text: str) -> tuple[int, int]:
    """Offsets of a government report's first two top-level headings (一、工作回顾, 二、… the plan), or -1."""
    review = re.search(r"^一、", text, re.M)
    if review is None:
        return -1, -1
    plan = re.compile(r"^二、", re.M).search(text, review.end())
    return review.start(), plan.start() if plan else -1


def read_corpus(corpus: Path) -> dict[str, str]:
    files = sorted(corpus.glob("*.txt")) + sorted((corpus / "gov").glob("*.txt"))
    return {p.relative_to(corpus).as_posix(): p.read_text(encoding="utf-8", errors="replace") for p in files}


def build(corpus: Path, seed: int = SEED) -> list[dict[str, str]]:
    jieba.setLogLevel(logging.WARNING)
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    rng = random.Random(seed)
    docs = read_corpus(corpus)

    pieces: dict[str, list[tuple[str, tuple[Token, ...]]]] = {}
    windows: dict[str, list[str]] = {}
    sections: dict[str, list[str]] = {}
    for name, text in docs.items():
        spans = split_spans(text)
        pieces[name] = []
        windows[name] = []
        sections[name] = []
        review, plan = section_starts(text) if name.startswith("gov/") else (-1, -1)
        for k, (a, b) in enumerate(spans):
            sections[name].append("plan" if 0 <= plan <= a else "review" if 0 <= review <= a else "")
            claim = as_claim(text[a:b])
            tokens = tuple((p.word, p.flag) for p in tagger.cut(claim))
            pieces[name].append((claim, tokens))
            lo, hi = spans[max(0, k - 2)][0], spans[min(len(spans) - 1, k + 2)][1]
            windows[name].append(text[lo:hi].strip())

    pools = Pools()
    persons: dict[str, set[str]] = {}
    for name in docs:
        toks = [t for _, t in pieces[name]]
        persons[name] = person_names(toks)
        for w in persons[name]:
            pools.add("person", name, w)
        for w in place_names(toks):
            pools.add("place", name, w)
        for t in toks:
            for w, f in t:
                if is_org(w, f):
                    pools.add("org", name, w)
    places = {w for ws in pools.by_kind["place"].values() for w in ws}
    orgs = {w for ws in pools.by_kind["org"].values() for w in ws}

    seen: set[str] = set()
    sentences: list[Sentence] = []
    for name in docs:
        for k, (claim, tokens) in enumerate(pieces[name]):
            if not 15 <= len(claim) <= 120 or claim in seen or "bookmark" in claim:
                continue
            if HEADING.match(claim) and len(claim) < 30:
                continue
            proper = any(f in ("nr", "ns", "nt", "nz") and len(w) >= 2 for w, f in tokens)
            if not (FACT.search(claim) or proper):
                continue
            seen.add(claim)
            sentences.append(Sentence(name, k, claim, windows[name][k], tokens, sections[name][k]))

    # Every change each sentence allows, one per kind.
    candidates: dict[str, list[tuple[Sentence, Change]]] = defaultdict(list)
    for s in sentences:
        candidates["original"].append((s, (s.claim, "verbatim")))
        for sub, change in paraphrases(s, rng).items():
            candidates[sub].append((s, change))
        words = [w for w, _ in s.tokens]
        found: dict[str, Change | None] = {
            "person": swap_name(
                s,
                "person",
                [w for w in words if w in persons[s.doc]],
                pools.others("person", s.doc),
                lambda w: "person",
                rng,
            ),
            "place": swap_name(
                s, "place", [w for w in words if w in places], pools.others("place", s.doc), place_class, rng
            ),
            "org": swap_name(
                s,
                "org",
                [w for w, f in s.tokens if w in orgs and is_org(w, f)],
                pools.others("org", s.doc),
                org_class,
                rng,
            ),
            "number": change_number(s, rng),
            "date": change_date(s, rng),
            "direction": change_direction(s, rng),
            "state": change_state(s, rng),
            "modality": change_modality(s, rng),
        }
        for kind, made in found.items():
            if made is not None and made[0] != s.claim:
                candidates[kind].append((s, made))

    # Pick: rare kinds first, at most 3 items per sentence, about as many supported as unsupported.
    per_sentence: Counter[tuple[str, int]] = Counter()
    items: list[dict[str, str]] = []

    def take(kind: str, label: str, pool: list[tuple[Sentence, Change]], quota: int) -> int:
        pool = list(pool)
        rng.shuffle(pool)
        taken = 0
        for s, (claim, note) in pool:
            if taken >= quota:
                break
            key = (s.doc, s.index)
            if per_sentence[key] >= 3:
                continue
            per_sentence[key] += 1
            items.append(
                {"source": s.window, "claim": claim, "label": label, "kind": kind, "doc": s.doc, "note": note}
            )
            taken += 1
        return taken

    per_kind = 110
    unsupported = 0
    for kind in sorted(UNSUPPORTED_KINDS, key=lambda k: len(candidates[k])):
        if kind == "direction":
            # mostly a figure's direction (增长5% → 下降5%); the rest a verb's (加快建设 → 放缓建设)
            figure = [c for c in candidates[kind] if c[1][1].split(" ")[1].split("→")[0] in FIGURE_DIRECTIONS]
            unsupported += take(kind, "unsupported", figure, per_kind * 7 // 10)
            rest = [c for c in candidates[kind] if c not in figure]
            unsupported += take(kind, "unsupported", rest, per_kind - per_kind * 7 // 10)
            continue
        unsupported += take(kind, "unsupported", candidates[kind], per_kind)
    paraphrased = 0
    subs = sorted(PARAPHRASES, key=lambda k: len(candidates[k]))
    target = unsupported * 3 // 5
    for n, sub in enumerate(subs):
        share = (target - paraphrased) // (len(subs) - n)
        paraphrased += take("paraphrase", "supported", candidates[sub], share)
    take("original", "supported", candidates["original"], unsupported - paraphrased)
    rng.shuffle(items)
    available = ", ".join(f"{k} {len(v)}" for k, v in sorted(candidates.items()))
    print(f"{len(sentences)} sentences; candidates: {available}", file=sys.stderr)
    return items
