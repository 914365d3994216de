"""Which tokens are names of persons, places and organisations, and a name swapped for another document's."""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable

from .tables import (
    ADMIN_SUFFIX,
    CITIES,
    GENERIC_ORGS,
    GENERIC_PLACE,
    NOT_ORGS,
    NOT_PLACES,
    ORG_CLASS_ENDINGS,
    ORG_CLASSES,
    ORG_SUFFIX,
    PERSON_AFTER,
    PERSON_BEFORE,
    PROVINCES,
    SURNAMES,
)
from .text import Change, Sentence, Token, join, replace_tokens


def person_names(tokens_per_piece: list[tuple[Token, ...]]) -> set[str]:
    """nr tokens of 2–3 characters with a common surname, next to a title or in a list with such a name."""
    found: set[str] = set()
    for tokens in tokens_per_piece:
        cand = [i for i, (w, f) in enumerate(tokens) if f == "nr" and 2 <= len(w) <= 3 and w[0] in SURNAMES]
        ok: set[int] = set()
        for i in cand:
            before = join(tokens[max(0, i - 3) : i])
            after = join(tokens[i + 1 : i + 4])
            if PERSON_BEFORE.search(before) or PERSON_AFTER.search(after):
                ok.add(i)
        grew = True
        while grew:  # 田磊、曹晓清、朱芸：a list member next to an accepted name is a name too
            grew = False
            for i in cand:
                if i in ok:
                    continue
                for j in (i - 2, i + 2):
                    if j in ok and tokens[(i + j) // 2][0] in ("、", "，", ",", " "):
                        ok.add(i)
                        grew = True
                        break
        found.update(tokens[i][0] for i in ok)
    return found


def place_stem(word: str) -> str:
    for suffix in sorted(ADMIN_SUFFIX, key=len, reverse=True):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


def place_names(all_tokens: list[tuple[Token, ...]]) -> set[str]:
    """ns tokens known as places: provinces and cities from the tables, or written with an admin suffix."""
    places: set[str] = set()
    for tokens in all_tokens:
        for i, (w, f) in enumerate(tokens):
            if f != "ns" or len(w) < 2 or w in NOT_PLACES:
                continue
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if (
                w in PROVINCES
                or w in CITIES
                or nxt in ("市", "县", "省")
                or (place_stem(w) != w and not GENERIC_PLACE.search(w))
            ):
                places.add(w)
    return places


def place_class(word: str) -> str:
    stem = place_stem(word)
    if stem in PROVINCES or word.endswith("自治区"):
        return "province"
    return "city" if stem in CITIES or word.endswith(("市", "县")) else "local"


def is_org(word: str, flag: str) -> bool:
    if len(word) < 3 or word in GENERIC_ORGS or NOT_ORGS.search(word):
        return False
    if flag == "nt":
        return ORG_SUFFIX.search(word) is not None or word in ("党中央", "国务院", "解放军", "共青团")
    return re.search(r"(局|委|厅|中心|学校|学院|大学|医院|公司|集团)$", word) is not None


def org_class(word: str) -> str:
    """Organisations are swapped only within a class, so the false claim stays a plausible sentence."""
    for cls, words in ORG_CLASSES.items():
        if word in words:
            return cls
    for cls, pattern in ORG_CLASS_ENDINGS:
        if re.search(pattern, word):
            return cls
    return ""


class Pools:
    """Names by tag and document, to swap in a name from a different document."""

    def __init__(self) -> None:
        self.by_kind: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add(self, kind: str, doc: str, word: str) -> None:
        self.by_kind[kind][doc].add(word)

    def others(self, kind: str, doc: str) -> list[str]:
        return sorted({w for d, ws in self.by_kind[kind].items() if d != doc for w in ws})


def swap_name(
    s: Sentence,
    kind: str,
    mine: list[str],
    pool: list[str],
    classify: Callable[[str], str],
    rng: random.Random,
) -> Change | None:
    if not mine:
        return None
    old = rng.choice(sorted(set(mine)))
    stem_old = place_stem(old)

    def fits(new: str) -> bool:
        stem = place_stem(new)
        return (
            new not in s.window
            and stem not in s.window
            and stem != stem_old
            and old not in new
            and new not in old
        )

    cls = classify(old)
    before = {s.tokens[i - 1] for i, (w, _) in enumerate(s.tokens) if w == old and i > 0}
    # not 市 + 市教委, nor 北仑区 + 市教委
    clash = {w[-1] for w, _ in before} | (
        {"市", "省", "区", "县"} if any(f == "ns" for _, f in before) else set()
    )
    clash |= {"市", "省", "区", "县"} & {w[-1] for w, _ in before}
    choices = [w for w in pool if fits(w) and classify(w) == cls and w[0] not in clash]
    if not cls or not choices:
        return None
    same_form = [w for w in choices if (place_stem(w) == w) == (stem_old == old)]  # 浙江 → 福建, not 福建省
    new = rng.choice(same_form or choices)
    return replace_tokens(s.tokens, old, new), f"{kind}: {old}→{new}"
