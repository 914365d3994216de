"""Title, issuing unit, date and document type of a cleaned report, by rules a clerk would apply."""

from __future__ import annotations

import re
from datetime import date

from ..text.lexicon import ORG_SUFFIX

# Header lines that are not the title: a red-header banner, a document number, a byline.
_NOT_TITLE = re.compile(
    r"(文件$|〔\d{4}〕|\[\d{4}\]|^■|^(作者|编辑|来源|发布时间|通讯员|记者|日期|时间)\s*[:：]|^\d{4}-\d{2}-\d{2}|^第.{1,4}期$)"
)
# Not starting right after a numeral: in 2025年某省政府 the unit is 某省政府, not 年某省政府.
_UNIT = re.compile(rf"(?<![\d〇零一二三四五六七八九十])([\u4e00-\u9fff]{{2,20}}{ORG_SUFFIX})")
# 中心工作 / 中心任务 / 中心组: the phrase, not a 中心 that is a unit.
_NOT_UNIT_AFTER = ("工作", "任务", "组")
_UNIT_LINES = re.compile(r"^(?:中共)?(.{2,30}?)(?:文件)$")
_DATE_YMD = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_DATE_YM = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("工作要点", re.compile(r"工作要点|工作计划|工作思路|重点工作安排")),
    ("工作汇报", re.compile(r"汇报|情况报告|工作报告")),
    ("工作总结", re.compile(r"总结|述职|年度报告")),
    ("活动简报", re.compile(r"简报|专报|快报|工作动态|中心组学习|主题党日|活动")),
)
_NEWS = re.compile(r"本报讯|记者|通讯员|发布时间|来源\s*[:：]|讯\s|电\s*（记者")


def extract_title(lines: list[str]) -> str:
    """The first short line that is not a header; a title broken after 暨/和/及 is joined."""
    candidates = [ln for ln in lines[:8] if ln and not _NOT_TITLE.search(ln) and len(ln) <= 80]
    if not candidates:
        return (lines[0] if lines else "")[:40]
    title = candidates[0]
    i = lines.index(title)
    if title.endswith(("暨", "和", "及", "与", "、")) and i + 1 < len(lines):
        title += lines[i + 1]
    elif i + 1 < len(lines) and lines[i + 1].startswith(("——", "--")):  # a subtitle names what the report is
        title += "——" + lines[i + 1].lstrip("—- ")
    return title.strip(" —-")


def extract_unit(lines: list[str], title: str) -> str:
    """The issuing unit when the report states it: a red-header banner, a byline, the title or a signature."""
    for line in lines[:4]:
        m = _UNIT_LINES.match(line)
        if m and _unit_in(m.group(1)):
            return m.group(1).strip()
    # A subtitle line "——某某学校开展……" names the unit.
    for line in lines[:4]:
        if line.startswith(("——", "--")) and (unit := _unit_in(line)):
            return unit
    if unit := _unit_in(title):
        return unit
    # A signature block: the unit sits just above the closing date.
    for line in reversed(lines[-4:]):
        m = _UNIT.fullmatch(line.strip())
        if m:
            return m.group(1)
    return ""


def _unit_in(text: str) -> str:
    """The first unit named in ``text`` (落实两委中心工作 names none)."""
    start, end = 0, len(text)
    while m := _UNIT.search(text, start, end):
        if not (m.group(1).endswith("中心") and text.startswith(_NOT_UNIT_AFTER, m.end())):
            return m.group(1)
        # The match ran on to the phrase: a unit may still end before it (某中心开展中心组学习).
        start, end = m.start(), m.end() - 2
    return ""


def _valid(y: int, m: int, d: int = 1) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return 1990 <= y <= 2100


def extract_date(lines: list[str], title: str, fallback: str = "") -> str:
    """A publish stamp, a closing date, a year in the title, or the fallback (the file's date)."""
    head = "\n".join(lines[:6])
    tail = "\n".join(lines[-4:])
    for block in (head if "发布时间" in head or "日期" in head else "", tail, head):
        for m in _DATE_YMD.finditer(block):
            y, mo, d = (int(g) for g in m.groups())
            if _valid(y, mo, d):
                return f"{y:04d}-{mo:02d}-{d:02d}"
    m2 = _DATE_YM.search(tail)
    if m2 and _valid(int(m2.group(1)), int(m2.group(2))):
        return f"{int(m2.group(1)):04d}-{int(m2.group(2)):02d}"
    m3 = _YEAR.search(title) or _YEAR.search(head)
    if m3:
        return m3.group(1)
    return fallback


def classify(title: str, text: str) -> str:
    """One of DOC_TYPES, from the title first and the opening lines second."""
    for name, pattern in _TYPE_RULES:
        if pattern.search(title):
            return name
    opening = text[:300]
    if _NEWS.search(opening):
        return "新闻稿"
    for name, pattern in _TYPE_RULES:
        if pattern.search(opening):
            return name
    return "其他"
