"""Names a report must not invent: people, places, organisations and quoted titles (《…》, “…”).

Found by rules (organisation suffixes, quotes) plus jieba's part-of-speech tags for people and places. A
name in a claim is backed when the source uses it as a name of its own — not merely as the tail of a longer
name: "区教育局" is backed by a source that says "北仑区教育局" only if the source also says "区教育局" alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.lexicon import ORG_SUFFIX, ROLES, SURNAMES
from ..text.tokens import pos_tagger

_ORG = re.compile(rf"[\u4e00-\u9fff]{{1,16}}{ORG_SUFFIX}")
# Words that cut a run of characters into separate names (verbs and particles between them).
_LEADING = frozenset(
    [
        "在",
        "与",
        "和",
        "及",
        "由",
        "向",
        "对",
        "为",
        "赴",
        "到",
        "从",
        "经",
        "据",
        "是",
        "了",
        "的",
        "把",
        "被",
        "将",
        "等",
        "并",
        "同",
        "跟",
        "给",
        "让",
        "请",
        "于",
        "或",
        "以",
        "共",
        "各",
        "今年",
        "近日",
        "日前",
        "召开",
        "举行",
        "参加",
        "联合",
        "获",
    ]
)
_TITLE = re.compile(r"《[^《》\n]{1,40}》")
_QUOTED = re.compile(r"“([^“”\n]{2,20})”")
_PERSON_TAGS = {"nr", "nrfg", "nrt"}
_PLACE_TAGS = {"ns", "nsf"}
# Generic words jieba sometimes tags as names in this genre.
_NOT_NAMES = frozenset(
    [
        "党员",
        "书记",
        "校长",
        "局长",
        "主任",
        "老师",
        "教师",
        "同志",
        "支部",
        "群众",
        "学生",
        "家长",
        "中华",
        "中国",
        "全国",
        "全省",
        "全市",
        "全区",
        "全县",
        "高素质",
        "高质量",
        "高水平",
        "高标准",
        "高起点",
        "高站位",
        "严要求",
        "常态化",
        "文明",
        "安全",
        "向上",
        "和谐",
        "明确",
        "方向",
        "全面",
        "齐心",
        "万众",
        "成效",
        "应急",
        "时代",
        "易地",
        "于是",
        "史料",
        "师生",
        "师德",
        "师德师",
        "师风",
    ]
)


@dataclass(frozen=True)
class Name:
    text: str
    kind: str  # person | place | org | title | quote
    start: int
    end: int


_CUT_AFTER = ("p", "u", "d", "c", "r", "m", "q", "t", "f", "x", "uj", "ul")
_ENDS_ORG = re.compile(rf"{ORG_SUFFIX}$")
_PLACE_END = tuple("省市县区镇乡村州岛山湖江河路街")


def _org_spans(candidate: str) -> list[tuple[str, int]]:
    """Organisation names inside a regex match, as (name, offset in the match), with the verbs and function
    words between them cut away ("北仑区教育局与北仑中学" → both; "全年召开支部" → none)."""
    words = list(pos_tagger().cut(candidate))
    out: list[tuple[str, int]] = []
    segment, seg_start, pos = "", 0, 0
    for i, (word, flag) in enumerate(words):
        cut = (
            flag.startswith(_CUT_AFTER)
            or word in _LEADING
            or (flag == "v" and i < len(words) - 1 and len(word) == 2)
        )
        if cut:
            out.append((segment, seg_start))
            segment, seg_start = "", pos + len(word)
        else:
            segment += word
        pos += len(word)
    out.append((segment, seg_start))
    return [
        (seg, at)
        for seg, at in out
        if len(seg) >= 3 and _ENDS_ORG.search(seg) and not re.fullmatch(ORG_SUFFIX, seg)
    ]


def names(text: str) -> list[Name]:
    """Names in the text with offsets; longer spans win over the shorter ones inside them."""
    found: list[Name] = []
    for m in _TITLE.finditer(text):
        found.append(Name(m.group(0), "title", m.start(), m.end()))
    for m in _QUOTED.finditer(text):
        found.append(Name(m.group(1), "quote", m.start(1), m.end(1)))
    for m in _ORG.finditer(text):
        for org, at in _org_spans(m.group(0)):
            if (
                org.endswith("学校")
                and text[m.start() + at + len(org) : m.start() + at + len(org) + 1] == "长"
            ):
                org = org[:-1]  # 小学校长 is 小学 + 校长
            found.append(Name(org, "org", m.start() + at, m.start() + at + len(org)))
    pos = 0
    words = list(pos_tagger().cut(text))
    for i, (word, flag) in enumerate(words):
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if len(word) == 1 and flag in _PERSON_TAGS and word in SURNAMES and i + 1 < len(words):
            # jieba often splits a name it does not know: 王 (nr) + 立新. A tagged surname and a short word
            # right after it make a name.
            given, given_flag = words[i + 1]
            # Right after a role (校长吴启明) a given name jieba reads as a verb (启明) is still a name.
            after_role = text[:start].endswith(tuple(ROLES))
            if (
                1 <= len(given) <= 2
                and given_flag not in ("x", "uj", "p", "c")
                and (given_flag != "v" or after_role)
                and text.startswith(given, pos)
            ):
                found.append(Name(word + given, "person", start, pos + len(given)))
            continue
        if len(word) < 2 or word in _NOT_NAMES:
            continue
        if flag in _PERSON_TAGS and word[0] in SURNAMES and (len(word) <= 3 or word[:2] in _DOUBLE_SURNAMES):
            found.append(Name(word, "person", start, pos))
        elif flag in _PLACE_TAGS and word.endswith(_PLACE_END):
            found.append(Name(word, "place", start, pos))
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    out: list[Name] = []
    for n in found:
        if out and n.start < out[-1].end and n.end <= out[-1].end and n.kind != "quote":
            continue  # inside a longer name already taken
        out.append(n)
    return out


_DOUBLE_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "夏侯", "端木")
_SCOPE = ("全", "本", "各", "该", "我", "此", "这", "每")


def is_name(name: Name) -> bool:
    """Not a name: 全镇学校, 本学年学校 (a scope word and a generic suffix)."""
    return not (name.kind == "org" and name.text.startswith(_SCOPE))


def abbreviates(name: str, source_names: list[Name]) -> bool:
    """``name`` and a name of the source are one organisation written shorter or longer: all characters of one
    occur in order in the other (县一中党委 / 青禾县第一中学党委, 学校团委 / 校团委)."""

    def within(short: str, long: str) -> bool:
        it = iter(long)
        return all(c in it for c in short)

    return any(
        n.kind == "org"
        and (within(name, n.text) or within(n.text, name))
        and min(len(name), len(n.text)) >= 3
        for n in source_names
    )


def used_alone(name: str, source: str, source_names: list[Name]) -> bool:
    """Does the source use ``name`` somewhere other than as the tail or middle of a longer name?"""
    start = source.find(name)
    while start >= 0:
        end = start + len(name)
        # The head of a longer name counts (临川市 of 临川市教育局); its tail or middle does not (中心 of
        # 教师发展中心 is no name of its own).
        inside_longer = any(
            n.start < start and end <= n.end and n.kind in ("org", "place") for n in source_names
        ) or any(n.start == start and end < n.end and n.kind == "place" for n in source_names)
        if not inside_longer:
            return True
        start = source.find(name, start + 1)
    return False
