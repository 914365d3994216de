"""A report's structure: heading levels (一、 > （一） > 1. > （1）), heading paths, top-level sections.

One marker pattern serves every stage: chunking, masking precedents, trimming repeats, splitting claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CN_NUM = "一二三四五六七八九十百零〇"
_LEVELS: tuple[str, ...] = (
    rf"[{_CN_NUM}]{{1,3}}\s*[、.．]",  # 一、
    rf"[（(][{_CN_NUM}]{{1,3}}[）)]",  # （一）
    r"\d{1,2}\s*(?:[、．]|\.(?!\d))",  # 1. 1、 (not 1.5)
    r"[（(]\d{1,2}[）)]",  # （1）
)
_LEVEL_RES = tuple(re.compile(f"^{p}") for p in _LEVELS)
# The marker of any level, or a list item's "1)", at the start of a line, with the blanks around it.
MARKER = re.compile(r"^\s*(?:" + "|".join(_LEVELS) + r"|\d{1,2}[)）])\s*")
_LABEL_END = re.compile(r"[。：:！？；，]")
SENTENCE_ENDS = ("。", "！", "？", "；")
_MAX_LABEL = 40


def heading_level(line: str) -> int:
    """1–4 for a structural heading, 0 for body text."""
    for level, pattern in enumerate(_LEVEL_RES, start=1):
        if pattern.match(line):
            return level
    return 0


def marker_end(line: str) -> int:
    """Where the leading heading or list marker of ``line`` ends (0 when it has none)."""
    m = MARKER.match(line)
    return m.end() if m else 0


def heading_label(line: str) -> str:
    """The heading as shown in a path: the line up to its first sentence end, at most 40 characters."""
    m = _LABEL_END.search(line)
    label = line[: m.start()] if m else line
    return label[:_MAX_LABEL].strip()


@dataclass
class Section:
    heading: tuple[str, ...]
    paragraphs: list[str] = field(default_factory=list)


def sections(text: str) -> list[Section]:
    """Group paragraphs under their heading path; a heading line is body too (it often carries a sentence)."""
    path: list[tuple[int, str]] = []
    out = [Section(())]
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        level = heading_level(line)
        if level:
            path = [(lv, lb) for lv, lb in path if lv < level]
            path.append((level, heading_label(line)))
            out.append(Section(tuple(lb for _, lb in path)))
        out[-1].paragraphs.append(line)
    return [s for s in out if s.paragraphs]


def top_sections(text: str) -> list[tuple[str, str]]:
    """(heading line, block) for the text before the first 一、 heading and for each 一、 section."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        if heading_level(line.strip()) == 1:
            out.append((line.strip(), []))
        out[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in out if any(x.strip() for x in lines)]


def replace_section(text: str, heading: str, new_block: str) -> str:
    """The text with the section under ``heading`` replaced by ``new_block``."""
    parts = top_sections(text)
    return "\n".join(new_block.strip() if h == heading else block for h, block in parts)


def split_top_sections(text: str, max_chars: int = 60_000) -> list[str]:
    """The report cut at 一、 headings and regrouped into parts of at most ``max_chars`` (a section longer
    than that is a part of its own), so a huge report costs a handful of model calls, not one per section."""
    parts: list[str] = []
    for _, block in top_sections(text):
        if parts and len(parts[-1]) + len(block) + 1 <= max_chars:
            parts[-1] += "\n" + block
        else:
            parts.append(block)
    return [p for p in parts if p.strip()]


def as_sentence(text: str) -> str:
    """``text`` ending as a sentence does (a 。 added when it has no end mark)."""
    return text if text.endswith(SENTENCE_ENDS) else text + "。"
