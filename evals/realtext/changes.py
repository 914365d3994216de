"""One change to a sentence: the supported rewrites (paraphrases), and the unsupported changes of a number,
a date, a direction, a state and a modality (names are swapped in names.py).
"""

from __future__ import annotations

import random
import re

from .tables import (
    ACTORS,
    BEFORE_NUMBER_ONLY,
    BEFORE_VERB_DIRECTIONS,
    CONNECTIVE,
    COUNT_DIRECTIONS,
    DONE_ADVERBS,
    DONE_VERBS,
    DONE_WORDS,
    FIGURE_DIRECTIONS,
    LEAD,
    MEASURES,
    MODALS,
    MONTH,
    MONTH_DAY,
    NEGATIONS,
    NUMBER,
    OPPOSITES,
    PAREN,
    PERIOD,
    PERIODS,
    PLAN_WORDS,
    QUALIFYING_PAREN,
    RATE,
    RATE_DIRECTIONS,
    SYNONYMS,
    UNCONDITIONAL_MODALS,
    YEAR,
)
from .text import Change, Sentence, Token, chinese, is_verb, join, occurs_number


def paraphrases(s: Sentence, rng: random.Random) -> dict[str, Change]:
    out: dict[str, Change] = {}
    claim, tokens = s.claim, s.tokens
    m = LEAD.match(claim)
    if m:
        rest = claim[m.end() :]
        if len(rest) >= 12 and not CONNECTIVE.match(rest) and any(f.startswith("v") for _, f in tokens):
            out["drop-lead"] = (rest, f"drop-lead: 删去“{m.group()}”")
    options = []
    for i, (w, _) in enumerate(tokens):
        new = SYNONYMS.get(w)
        if new is None or new in claim:
            continue
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if w in BEFORE_NUMBER_ONLY and not re.match(r"\d", nxt):
            continue
        if w == "开展" and i > 0 and tokens[i - 1][0] == "组织":
            continue
        options.append((i, w, new))
    if options:
        i, w, new = rng.choice(options)
        text = join(tokens[:i]) + new + join(tokens[i + 1 :])
        out["synonym"] = (text, f"synonym: {w}→{new}")
    counts = [
        m
        for m in re.finditer(rf"(?<![\d.,A-Za-z%])([1-9]\d?)(?=[{MEASURES}])", claim)
        if not claim[m.end() :].startswith(("个百分点", "年", "月", "日"))
    ]
    if counts:
        m = rng.choice(counts)
        n = int(m.group(1))
        ordinal = claim[: m.start()].endswith("第") or claim[m.end()] in "届期"  # 第2届 → 第二届, not 第两届
        cn = "二" if n == 2 and ordinal else chinese(n)
        out["numeral"] = (
            claim[: m.start()] + cn + claim[m.end() :],
            f"numeral: {m.group(1)}{claim[m.end()]}→{cn}{claim[m.end()]}",
        )
    parens = [p for p in PAREN.finditer(claim) if not QUALIFYING_PAREN.match(p.group(1) or p.group(2) or "")]
    if parens:
        p = rng.choice(parens)
        text = claim[: p.start()] + claim[p.end() :]
        if len(text) >= 12:
            out["paren"] = (text, f"paren: 删去{p.group()}")
    return out


def change_number(s: Sentence, rng: random.Random) -> Change | None:
    claim = s.claim
    spots = []
    for m in NUMBER.finditer(claim):
        text, before, after = m.group(), claim[: m.start()], claim[m.end() :]
        if re.fullmatch(r"(19|20)\d{2}", text) or float(text.replace(",", "")) == 0:
            continue
        if after.startswith(("年", "月", "日", "号", "时", "+", "-", "—", "~", "～", "－", "/", ":", "：")):
            continue
        if before.endswith(("月", "+", "-", "—", "~", "～", "－", "/", ":", "：", "第")):
            continue
        spots.append(m)
    rng.shuffle(spots)
    for m in spots:
        old = m.group()
        value = float(old.replace(",", ""))
        places = len(old.split(".")[1]) if "." in old else 0
        percent = claim[m.end() :].startswith(("%", "％"))
        for _ in range(12):
            if places == 0 and value < 10:
                new_value = value + rng.choice((-3, -2, -1, 1, 2, 3))
            else:
                new_value = round(value * rng.choice((0.6, 0.7, 0.8, 1.25, 1.3, 1.5)), places)
            if new_value <= 0 or new_value == value or (percent and value <= 100 < new_value):
                continue
            if places:
                new = f"{new_value:.{places}f}"
            else:
                new = f"{int(new_value):,}" if "," in old else str(int(new_value))
            if not occurs_number(new, s.window):
                return claim[: m.start()] + new + claim[m.end() :], f"number: {old}→{new}"
    return None


def change_date(s: Sentence, rng: random.Random) -> Change | None:
    claim = s.claim
    options: list[tuple[int, int, str]] = []
    for m in YEAR.finditer(claim):
        year = int(m.group(1))
        for delta in rng.sample((-5, -4, -3, -2, -1, 1, 2, 3, 4, 5), 10):
            if str(year + delta) not in s.window:
                options.append((m.start(1), m.end(1), str(year + delta)))
                break
    for m in MONTH_DAY.finditer(claim):
        month, day = int(m.group(1)), int(m.group(2))
        for _ in range(8):
            if rng.random() < 0.5:
                new = f"{month}月{min(28, max(1, day + rng.choice((-5, -3, -2, 2, 3, 5))))}日"
            else:
                new = f"{(month + rng.choice((1, 2, 3, 9, 10, 11)) - 1) % 12 + 1}月{day}日"
            if new != m.group() and new not in s.window:
                options.append((m.start(), m.end(), new))
                break
    for m in MONTH.finditer(claim):
        if MONTH_DAY.match(claim, m.start()) or not 1 <= int(m.group(1)) <= 12:
            continue
        month = int(m.group(1))
        for _ in range(8):
            new = f"{(month + rng.choice((1, 2, 3, 9, 10, 11)) - 1) % 12 + 1}月"
            if not re.search(rf"(?<!\d){new}", s.window):
                options.append((m.start(), m.end(), new))
                break
    for m in PERIOD.finditer(claim):
        others = [p for p in PERIODS if p != m.group() and p not in s.window]
        if others:
            options.append((m.start(), m.end(), rng.choice(others)))
    if not options:
        return None
    start, end, new = rng.choice(options)
    return claim[:start] + new + claim[end:], f"date: {claim[start:end]}→{new}"


def change_direction(s: Sentence, rng: random.Random) -> Change | None:
    tokens = s.tokens
    options: list[Change] = []
    planned = any(w in PLAN_WORDS for w, _ in tokens)
    for i, (w, _) in enumerate(tokens):
        new = OPPOSITES.get(w)
        if new is None or new in s.window or (i > 0 and tokens[i - 1][0] in NEGATIONS):
            continue
        nxt = join(tokens[i + 1 : i + 5])
        head, tail = join(tokens[:i]), join(tokens[i + 1 :])
        if w in RATE_DIRECTIONS and not RATE.match(nxt):
            continue
        if w in COUNT_DIRECTIONS and not re.match(r"(了|为)?\d", nxt):
            continue
        if w in BEFORE_VERB_DIRECTIONS and not is_verb(tokens, i + 1):
            continue
        if w == "完成":
            # 顺利完成改革任务 → 未完成改革任务; a plan (力争全年完成…) is left alone
            if planned or i == 0 or tokens[i - 1][0] not in DONE_ADVERBS:
                continue
            options.append((join(tokens[: i - 1]) + new + tail, f"direction: {tokens[i - 1][0]}完成→{new}"))
            continue
        options.append((head + new + tail, f"direction: {w}→{new}"))
    figures = [o for o in options if o[1].split(" ")[1].split("→")[0] in FIGURE_DIRECTIONS]
    return rng.choice(figures or options) if options else None


def clause_start(tokens: tuple[Token, ...], i: int) -> bool:
    return i == 0 or tokens[i - 1][0] in ("，", "。", "；", "：", ",")


def change_state(s: Sentence, rng: random.Random) -> Change | None:
    """A plan made a done fact (计划建成 → 已建成) or a done fact made a plan (已建成 / 建成了 → 计划建成)."""
    tokens = s.tokens
    options: list[tuple[str, str, str]] = []  # (claim, note, the new phrase, which the window must not hold)
    n = len(tokens)
    marked = any(t in ("已", "已经", "了", "将", "计划", "力争", "拟", "预计") for t, _ in tokens)
    for i, (w, _) in enumerate(tokens):
        nxt, flag = tokens[i + 1] if i + 1 < n else ("", "")
        head, tail = join(tokens[:i]), join(tokens[i + 1 :])
        if w in PLAN_WORDS and flag.startswith("v") and nxt not in ("是", "有", "为"):
            options.append((head + "已" + tail, f"state: {w}{nxt}→已{nxt}", "已" + nxt))
        elif w in ("力争", "预计", "计划") and clause_start(tokens, i) and flag[:1] in ("n", "r", "j", "m"):
            # 力争规上工业增加值增长6% → 规上工业增加值已增长6%: 已 goes before the verb of the clause
            for j in range(i + 2, min(n, i + 5)):
                if tokens[j][0] in ("，", "。", "、"):
                    break
                verb = tokens[j][0]
                if tokens[j][1].startswith("v") and verb not in ("是", "有", "为"):
                    claim = head + join(tokens[i + 1 : j]) + "已" + join(tokens[j:])
                    options.append((claim, f"state: {w}…{verb}→…已{verb}", "已" + verb))
                    break
        elif w in DONE_WORDS and flag.startswith("v") and nxt not in ("是", "有"):
            options.append((head + "计划" + tail, f"state: {w}{nxt}→计划{nxt}", "计划" + nxt))
        elif w in DONE_VERBS and nxt == "了" and not any(t in ("已", "已经") for t, _ in tokens):
            options.append((head + "计划" + w + join(tokens[i + 2 :]), f"state: {w}了→计划{w}", "计划" + w))
        elif w in DONE_VERBS and clause_start(tokens, i) and s.section and not marked:
            # a government report's review states facts; its plan for the new year states tasks
            new = "计划" if s.section == "review" else "已"
            options.append((head + new + w + tail, f"state: {w}→{new}{w} ({s.section} section)", new + w))
    fresh = [(claim, note) for claim, note, phrase in options if phrase not in s.window]
    return rng.choice(fresh) if fresh else None


def change_modality(s: Sentence, rng: random.Random) -> Change | None:
    """要/应 ↔ 可以, 鼓励/支持 → 必须 (要求 before a named actor), 必须/务必 → 可以, where the word is a modal."""
    tokens = s.tokens
    options: list[tuple[str, str]] = []
    for i, (w, _) in enumerate(tokens):
        new = MODALS.get(w)
        if new is None or (i > 0 and tokens[i - 1][0] in NEGATIONS):
            continue
        nxt, flag = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
        if nxt in MODALS or nxt in ("和", "与", "及", "或", "、", "的"):
            continue
        if w in ("鼓励", "支持") and not clause_start(tokens, i):
            continue
        if nxt in ("是", "有", "为", "说"):
            continue
        after = tokens[i + 2] if i + 2 < len(tokens) else ("", "")
        if w in ("鼓励", "支持") and after[1] == "n" and len(after[0]) == 1:
            continue  # 支持创新药…: the verb starts a noun phrase
        strict_verb = flag == "v" or (flag == "d" and i + 2 < len(tokens) and tokens[i + 2][1] == "v")
        if w in ("鼓励", "支持"):
            modal_use = strict_verb
        else:
            modal_use = is_verb(tokens, i + 1) or w in UNCONDITIONAL_MODALS
            modal_use = modal_use or (w in ("要", "必须", "务必") and flag in ("p", "l", "i"))
        if new + nxt in s.window or "要求" + nxt in s.window:
            continue
        if modal_use:
            options.append((join(tokens[:i]) + new + join(tokens[i + 1 :]), f"modality: {w}→{new}"))
        elif (
            w in ("鼓励", "支持")
            and (flag in ("nr", "ns", "nt", "j", "r") or nxt.endswith(ACTORS))
            and is_verb(tokens, i + 2)
        ):
            # 支持长春市开展… → 要求长春市开展…: encouraged becomes required
            options.append((join(tokens[:i]) + "要求" + join(tokens[i + 1 :]), f"modality: {w}→要求"))
    if not options:
        return None
    return rng.choice(options)
