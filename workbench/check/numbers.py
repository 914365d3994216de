"""Numbers and quantities in Chinese text: Arabic and Chinese numerals, 万/亿, percentages, approximations.

A quantity is (value, unit, approx). ``approx`` says which way the text allows the true value to lie:
"" exact, "more" (3000多人, 百余, 超过), "less" (近3000, 不足), "about" (约, 左右).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.lexicon import BIG, CN_NUM, chinese_to_number

# Measure words after which a Chinese numeral is a count, not part of a word (一流, 统一, 三会一课).
MEASURES = (
    "个百分点|百分点|人次|人|名|位|个|次|场|所|项|家|篇|节|件|本|条|支|期|批|届|类|种|座|间|台|套|元|岁|分|天|小时|周|月|年|"
    "学时|课时|课题|班|级|校|园|组|户|份|株|棵|公里|千米|米|平方米|亩|吨|倍|辆|架|门|部|章|处|起|例|册|张"
)
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_BEFORE = r"(?P<pre>近|约|大约|超过|逾|不足|不到|将近|接近|达|共|计)?"
_AFTER_APPROX = r"(?P<post>余|多|左右|以上|以下|上下)?"
_QUANTITY = re.compile(
    rf"{_BEFORE}(?:(?P<pct>百分之)(?P<pctnum>[{CN_NUM}点]+|{_ARABIC})"
    rf"|(?P<num>{_ARABIC})(?P<abig>[万亿])?(?P<mid>余|多)?(?P<percent>[%％])?"
    rf"|(?P<cheng>[一二三四五六七八九])成(?![员立绩为果本熟功就长效都品型交])"
    rf"|(?P<cn>[{CN_NUM}]+(?:[万亿][{CN_NUM}]+)?)(?P<cbig>[万亿])?(?=(?:余|多)?(?:{MEASURES}))"
    rf"|(?P<cnbig>[{CN_NUM}]+[万亿][{CN_NUM}]*))"
    rf"{_AFTER_APPROX}(?P<unit>{MEASURES}|%|％)?"
)
_BEFORE_MEANING = {
    "近": "less",
    "将近": "less",
    "接近": "less",
    "不足": "less",
    "不到": "less",
    "约": "about",
    "大约": "about",
    "超过": "more",
    "逾": "more",
}
_AFTER_MEANING = {
    "余": "more",
    "多": "more",
    "以上": "more",
    "左右": "about",
    "上下": "about",
    "以下": "less",
}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    approx: str
    start: int
    end: int
    text: str


def _value(m: re.Match[str]) -> float | None:
    if m.group("cheng"):  # 九成 = 90 %
        tenth = chinese_to_number(m.group("cheng"))
        return None if tenth is None else tenth * 10
    if m.group("pct"):
        raw = m.group("pctnum")
        return float(raw.replace(",", "")) if raw[0].isdigit() else chinese_to_number(raw)
    if m.group("num"):
        v = float(m.group("num").replace(",", ""))
        return v * BIG[m.group("abig")] if m.group("abig") else v
    if m.group("cn"):
        cn = chinese_to_number(m.group("cn"))
        return None if cn is None else cn * (BIG[m.group("cbig")] if m.group("cbig") else 1)
    return chinese_to_number(m.group("cnbig"))


def quantities(text: str, skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Every quantity in the text, except inside the ``skip`` spans (dates are found first)."""
    out = []
    for m in _QUANTITY.finditer(text):
        start, end = m.start(), m.end()
        if skip and any(s <= start < e or s < end <= e for s, e in skip):
            continue
        value = _value(m)
        if value is None:
            continue
        cn = m.group("cn") or m.group("cnbig")
        if cn and value == 1 and not m.group("pct"):
            continue  # 一个、一次、一项 are mostly words, not counts
        unit = (
            "%"
            if (m.group("pct") or m.group("percent") or m.group("cheng") or m.group("unit") in ("%", "％"))
            else (m.group("unit") or "")
        )
        approx = _BEFORE_MEANING.get(m.group("pre") or "", "")
        approx = approx or _AFTER_MEANING.get(m.group("mid") or m.group("post") or "", "")
        out.append(Quantity(value, unit, approx, start, end, m.group(0)))
    return out


def supports(source: Quantity, claim: Quantity) -> bool:
    """Does the source's quantity back the claim's? Units must agree when both have one."""
    if claim.unit and source.unit and claim.unit != source.unit and not _same_unit(claim.unit, source.unit):
        return False
    c, s = claim.value, source.value
    if claim.approx == "":
        return abs(c - s) < 1e-9 and source.approx in ("", claim.approx)
    if claim.approx == source.approx and abs(c - s) < 1e-9:
        return True
    if source.approx:  # an approximate source backs only the same approximation
        return False
    if claim.approx == "more":  # "3000多人": the source's exact figure is above, within the next step
        return c < s < c * 1.5
    if claim.approx == "less":  # "近3000人"
        return c * 0.85 <= s < c
    return abs(s - c) <= 0.1 * c  # "约3000人"


_UNIT_GROUPS = ({"人", "名", "位"}, {"个", "所", "家"}, {"次", "场"})


def _same_unit(a: str, b: str) -> bool:
    return any(a in g and b in g for g in _UNIT_GROUPS)


def same_unit(a: str, b: str) -> bool:
    """The same measure, or two of one group (人/名/位); an empty unit matches only an empty one."""
    return a == b or _same_unit(a, b)
