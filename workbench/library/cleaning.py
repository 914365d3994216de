"""Repair the defects real reports carry before they are chunked.

Seen in real inputs: paragraphs repeated verbatim, a pasted "推荐新闻" list at the end of a web page,
sentences broken across page breaks and blank lines, Word artefacts such as ``[bookmark: _GoBack]``,
and full-width/half-width characters and spaces mixed at random.
"""

from __future__ import annotations

import re
import unicodedata

from ..text.structure import heading_level

_ARTEFACTS = re.compile(r"\[(?:bookmark|BOOKMARK)[^\]]*\]|\[(?:image|picture): [^\]]*\]|\u200b|\ufeff|\u00ad")
# A pasted list of related links closes the page: cut from its label to the end.
_WEB_TAIL = re.compile(
    r"^\s*(?:推荐新闻|相关新闻|相关阅读|相关链接|热点推荐|推荐阅读|延伸阅读|猜你喜欢|更多新闻|热门推荐)\s*[:：]?\s*$"
)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"[\u3001-\u3011\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff60“”‘’…—]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_SENTENCE_END = tuple("。！？；：…”’」』）)!?;:")
_DATE_START = re.compile(r"^(?:\d{4}\s*年|\d{1,2}\s*月\d{1,2}\s*日)")
_MIN_DUPLICATE = 12  # shorter lines ("一、", a date) may repeat legitimately


def _fold_width(text: str) -> str:
    """Full-width letters and digits become ASCII; every kind of space becomes a plain one."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        elif ch in "\u3000\u00a0\u2002\u2003\u2009\t" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def normalise_line(line: str) -> str:
    """One line: widths folded, spaces collapsed, ASCII punctuation between CJK made full-width."""
    line = _fold_width(line).strip()
    line = re.sub(r" {2,}", " ", line)
    # Spaces beside CJK punctuation, or inside a date typed as "2020 年 3 月", are layout, not content.
    line = re.sub(rf" (?={_CJK_PUNCT})|(?<={_CJK_PUNCT}) ", "", line)
    line = re.sub(r"(?<=\d) (?=[年月日])|(?<=[年月]) (?=\d)", "", line)
    line = re.sub(
        rf" *(?<=[{_CJK}“”）])([,;:?!()]) *(?=[{_CJK}“”（\d])", lambda m: _HALF_TO_FULL[m.group(1)], line
    )
    line = re.sub(rf"(?<=[{_CJK}])\(", "（", line)
    line = re.sub(rf"\)(?=[{_CJK}])", "）", line)
    return line


def _drop_web_tail(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        # Only in the second half: a heading "相关链接" early in a report is content.
        if i >= len(lines) // 2 and _WEB_TAIL.match(line):
            return lines[:i]
    return lines


def _join_broken(lines: list[str]) -> list[str]:
    """Mend sentences cut by page breaks: a long line ending mid-sentence continues on the next one."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        prev = out[-1] if len(out) > 1 else ""  # the first line is the title: never continued
        broken = prev.endswith(("，", "、", "“")) or (len(prev) >= 30 and not prev.endswith(_SENTENCE_END))
        # A heading line that carries a long sentence ("1. 强化政治建设。深入……") can be broken too.
        short_heading = heading_level(prev) > 0 and len(prev) < 30
        if broken and not short_heading and heading_level(line) == 0 and not _DATE_START.match(line):
            out[-1] = prev + line
        else:
            out.append(line)
    return out


def _drop_repeats(lines: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for line in lines:
        key = re.sub(r"\s", "", line)
        if len(key) >= _MIN_DUPLICATE and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def clean_text(raw: str) -> str:
    """The cleaned text: one paragraph a line, no blank lines, defects repaired."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = _ARTEFACTS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [normalise_line(line) for line in text.split("\n")]
    lines = _drop_web_tail(lines)
    lines = _join_broken(lines)
    lines = _drop_repeats(lines)
    return "\n".join(lines)
