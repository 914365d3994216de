"""Build a faithfulness set from real text the checker has never seen, with an independent generator.

    python evals/build_realtext.py [--corpus DIR] [--out FILE] [--seed N]

Why: ``evals/faithfulness.jsonl`` is built from the project's own sample reports, and its false claims are made
with the checker's own extractors (``workbench.check.*``), so the checker scores almost perfectly on it. This set
takes its sentences from the real corpus in ``../shared/corpus`` (five education-sector reports at the top,
eight provincial 政府工作报告 in ``gov/``) and makes its false claims with rules written here, from jieba's POS
tagger, plain regexes and hand-written tables. Nothing from ``workbench`` is imported.

What: each sentence of 15–120 characters that carries a concrete fact (a digit, a Chinese count with a measure
word, a date, a jieba proper noun) can yield items ``{"source", "claim", "label", "kind", "doc", "note"}``.
``source`` is a window of the document (the sentence, two before and two after, exactly as they appear), so the
claim has to be located; ``doc`` is the file's path under the corpus; ``note`` says what was changed.

- supported: ``original`` (the sentence; a closing ；is written 。) and ``paraphrase`` (a leading
  为/围绕/在……下 clause dropped, a near synonym from a small table, a count of 1–99 in Chinese numerals,
  a parenthetical removed; ``note`` names which).
- unsupported, each with exactly one change: ``person`` / ``place`` / ``org`` (a name swapped for one of the
  same tag from another document, absent from the window), ``number`` (a figure changed, format kept),
  ``date`` (a year, month or day moved, or a plan period: 十四五 → 十五五), ``direction`` (增长5% → 下降5%,
  突破 → 不足, and some verbs: 加快 → 放缓, 加强 → 削弱), ``state`` (a plan made a done fact or the reverse:
  计划建成 → 已建成, 建成了 → 计划建成; in a 政府工作报告 a bare 建成… in the review of the past year becomes
  计划建成…, and in the plan for the new year 已建成…), ``modality`` (要/应 ↔ 可以, 鼓励/支持 → 必须, or
  要求 before a named actor, 必须/务必 → 可以, 确保 ↔ 力争, 严禁 → 允许).

Names count only where they are names: a person is a jieba ``nr`` with a common surname next to a title or role
(书记, 老师, 同志 …) or in a list with one; a place is a province or city from the tables or written with
省/市/县/区/镇; an organisation is swapped only within a class (central bodies, universities, bureaus …).
At most 3 items per sentence; about as many supported items as unsupported ones.

The corpus text must never enter the repository, so the output goes by default to
``bench/results/realtext_claims.jsonl`` (git-ignored). Where the corpus is absent the script says so and exits 0.
Reproducible: sorted inputs and ``random.Random(seed)``; a summary of counts goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jieba
import jieba.posseg

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261123

Token = tuple[str, str]  # (word, POS flag)
Change = tuple[str, str]  # (claim, note)

# ---------------------------------------------------------------------------------------------------------------
# Hand-written tables


def words(text: str) -> frozenset[str]:
    """A table written as space-separated words."""
    return frozenset(text.split())


SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯史陶贺顾毛郝龚邵钱严武戴孔汤"
)
# A name counts as a person only where the text says so: a title or role next to it, or a list with one.
PERSON_BEFORE = re.compile(
    r"(书记|主任|校长|老师|同志|省长|市长|区长|县长|院长|局长|部长|主席|委员|组长|园长|教授|院士|记者|通讯员|作者|"
    r"好人|代表|队长|处长|科长|馆长|专家)\s*$"
)
PERSON_AFTER = re.compile(
    r"^\s*(书记|主任|校长|副校长|老师|同志|省长|市长|院长|局长|部长|主席|组长|园长|教授|院士|带队|主持|讲话|调研|"
    r"等(同志|人|老师|[0-9一二三四五六七八九十]+[名位人]))"
)
PROVINCES = words(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
    "贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
)
CITIES = words(
    "石家庄 太原 沈阳 大连 长春 哈尔滨 南京 苏州 杭州 宁波 合肥 福州 厦门 泉州 漳州 莆田 三明 南平 龙岩 宁德 南昌 "
    "济南 青岛 烟台 潍坊 临沂 济宁 威海 郑州 洛阳 开封 武汉 长沙 广州 深圳 珠海 佛山 东莞 汕头 湛江 惠州 江门 "
    "南宁 柳州 桂林 北海 钦州 防城港 海口 三亚 成都 贵阳 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 "
    "鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 吉林市 四平 辽源 通化 白山 松原 白城 延边 "
    "滨海新区 浦东 雄安 平潭 南沙 前海 横琴"
)
ADMIN_SUFFIX = ("省", "市", "县", "区", "镇", "乡", "村", "自治区", "新区")
GENERIC_PLACE = re.compile(r"(城市|地区|景区|县区|三省|^中心镇|^自治县|^各.+)$")
NOT_PLACES = words("大都市 中国 全国 城市 城镇 城中村 新区 山区 开区 苏区 老区 市区 社区 景区 园区 小区 城区")
ORG_SUFFIX = re.compile(
    r"(局|委|厅|办公室|中心|学校|小学|中学|学院|大学|医院|公司|集团|政府|人民政府|国务院|研究院|科学院|院所|"
    r"银行|党校|协会|联合会|常委会|工商联|政协|共青团|团委)$"
)
NOT_ORGS = re.compile(r"(全局|大局|开局|好局|变局|破局|格局|布局|结局|当局|时局|怎么办|开好局)$")
GENERIC_ORGS = words(
    "服务中心 党群服务中心 公立医院 上市公司 跨国公司 民办学校 中小学校 大中小学校 公办学校 一流大学 科研院所 "
    "普通高校 医学中心 数据中心 管理中心 中心医院 中医医院 中医院 实验学校 进修学校 专科学校 老年大学 人民政府 "
    "科学院 会客厅 控股集团 交易中心 集散中心 交流中心 体育中心 会展中心 测试中心 两委 评委 部委 党委"
)
ORG_CLASSES = {
    "central": words("党中央 中共中央 国务院 中央军委 中央纪委 全国政协 全国人大 全国人大常委会"),
    "local congress": words("人大常委会 人民政协"),
    "mass": words("共青团 全国工商联 全国总工会 全国妇联 中国科协 中国残联 关工委"),
}
ORG_CLASS_ENDINGS = (
    ("party committee", r"^中共.+[省市区县]委$"),
    ("government", r"(省政府|市政府|区政府|县政府|人民政府)$"),
    ("university", r"(大学|(?<!科)学院)$"),
    ("school", r"(小学|中学|学校)$"),
    ("bureau", r"(局|教委|卫健委|发改委|国资委)$"),
    ("hospital", r"医院$"),
    ("company", r"(公司|集团)$"),
)
# Supported rewrites: pairs a 公文 reader takes as the same statement (no change of direction or degree).
SYNONYMS: dict[str, str] = {
    "召开": "举行",
    "举办": "举行",
    "开展": "组织开展",
    "推进": "推动",
    "参加": "参与",
    "提高": "提升",
    "加强": "强化",
    "目前": "当前",
    "完善": "健全",
    "举措": "措施",
    "迅速": "快速",
    "各类": "各种",
    "取得": "获得",
    "达到": "达",
    "确保": "保证",
    "约": "大约",
    "共": "共计",
}
BEFORE_NUMBER_ONLY = frozenset({"约", "共", "达到"})
# Unsupported: opposite direction or degree. Quantity words are swapped only before a figure (增长5% → 下降5%).
OPPOSITES: dict[str, str] = {
    "增长": "下降",
    "下降": "增长",
    "上升": "下降",
    "增加": "减少",
    "减少": "增加",
    "提高": "降低",
    "降低": "提高",
    "提升": "下降",
    "扩大": "缩小",
    "缩小": "扩大",
    "高于": "低于",
    "低于": "高于",
    "超过": "不足",
    "突破": "不足",
    "多于": "少于",
    "少于": "多于",
    "增强": "减弱",
    "加强": "削弱",
    "加快": "放缓",
    "显著": "略有",
    "明显": "略有",
    "首次": "再次",
    "完成": "未完成",
    "领先": "落后",
    "好转": "恶化",
    "减轻": "加重",
}
RATE_DIRECTIONS = words("增长 下降 上升 提高 降低 提升 扩大 缩小")  # before a rate: 增长5%, 提高到…
COUNT_DIRECTIONS = words("增加 减少 高于 低于 超过 突破 多于 少于")  # before any figure
FIGURE_DIRECTIONS = RATE_DIRECTIONS | COUNT_DIRECTIONS
RATE = re.compile(r"(了|为)?\d+(\.\d+)?(%|‰|个百分点|倍|成)|(到|至)\d")
DONE_ADVERBS = words("已 已经 顺利 全面 均 全部 提前 圆满 超额 如期 基本")
BEFORE_VERB_DIRECTIONS = frozenset({"显著", "明显"})
DONE_VERBS = words(
    "建成 完成 实现 开通 投产 建立 获批 入选 荣获 获评 新增 启动 出台 发布 举办 召开 印发 成立 开工 竣工 新建 "
    "改造 创建 推出 签约 引进 培育 认定 组建 开设 设立 开展 组织 举行"
)
PLAN_WORDS = frozenset({"拟", "计划", "将", "力争", "预计"})
DONE_WORDS = frozenset({"已", "已经"})
MODALS: dict[str, str] = {
    "要": "可以",
    "应": "可以",
    "应当": "可以",
    "可以": "应当",
    "鼓励": "必须",
    "支持": "必须",
    "必须": "可以",
    "务必": "可以",
    "需要": "可以",
    "应该": "可以",
    "严禁": "允许",
    "禁止": "允许",
    "确保": "力争",  # a guarantee becomes an aim, and the reverse
    "力争": "确保",
}
UNCONDITIONAL_MODALS = frozenset({"确保", "力争", "严禁", "禁止"})  # they take a clause, not only a verb
ACTORS = (
    "企业",
    "机构",
    "单位",
    "学校",
    "高校",
    "医院",
    "地区",
    "城市",
    "资本",
    "主体",
    "人员",
    "群众",
    "各地",
    "社会",
)
NEGATIONS = frozenset({"不", "未", "没有", "尚未", "没", "并未", "不再", "无"})
MEASURES = "名个项所家人次件条座台场篇批支位户天处届期"
CN_DIGITS = "零一二三四五六七八九"
UNSUPPORTED_KINDS = ("person", "place", "org", "number", "date", "direction", "state", "modality")
PARAPHRASES = ("drop-lead", "synonym", "numeral", "paren")

# ---------------------------------------------------------------------------------------------------------------
# Text

HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[.．、)）]|（\d+）|[①-⑳])"
)
FACT = re.compile(
    r"\d|[一二三四五六七八九十百千万两]+(个|名|项|所|家|次|件|条|座|台|场|篇|批|支|位|户|年|天|处|届)|"
    r"[一二三四五六七八九十]+月"
)
NUMBER = re.compile(
    r"(?<![\d.,A-Za-z])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d.,A-Za-z])|(?<![\d.,A-Za-z])\d+(?:\.\d+)?(?![\d.,A-Za-z])"
)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
MONTH_DAY = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})日")
MONTH = re.compile(r"(?<![\d.])(\d{1,2})月(?!\d)")
PERIODS = (
    "十二五",
    "十三五",
    "十四五",
    "十五五",
)  # the five-year plan periods: 2011–15, 2016–20, 2021–25, 2026–30
PERIOD = re.compile("|".join(PERIODS))
LEAD = re.compile(
    r"^(?:(?:为了?|围绕|紧紧围绕|按照|根据|聚焦|紧扣|立足|面对|面向|针对|依托|随着|截至|对照|通过|结合|着眼|坚持)[^，。；：、“”]{2,30}"
    r"|在[^，。；：、“”]{2,30}(?:下|中|期间|之际|以来|基础上|同时))，"
)
CONNECTIVE = re.compile(r"^(并|而|但|也|又|还|则|即|从而|进而|同时|其中|使|让|为|以|更|就|才|都)")
PAREN = re.compile(r"（([^（）]{2,40})）|\(([^()]{2,40})\)")  # not （县）: 示范市（县） names two kinds
QUALIFYING_PAREN = re.compile(r"^(不含|除|扣除|剔除|按|不包括|含)")


@dataclass(frozen=True)
class Sentence:
    doc: str
    index: int  # position among the document's sentences (the cap of items per sentence counts by it)
    claim: str
    window: str
    tokens: tuple[Token, ...]
    section: str  # "review" (the past year) or "plan" (the new one) in a government report, else ""


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans: cut after 。！？；and at newlines; whitespace-only pieces dropped."""
    spans = []
    for m in re.finditer(r"[^。！？；\n]+[。！？；]?|[。！？；]", text):
        if m.group().strip():
            spans.append((m.start(), m.end()))
    return spans


def as_claim(piece: str) -> str:
    body = piece.strip()
    if body.endswith("；"):
        body = body[:-1] + "。"
    return body


def chinese(n: int) -> str:
    """1–99 in Chinese numerals as a report writes a count (两个, 十二名, 三十名)."""
    if n == 2:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def occurs_number(value: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", text) is not None


def join(tokens: Iterable[Token]) -> str:
    return "".join(w for w, _ in tokens)


def replace_tokens(tokens: tuple[Token, ...], old: str, new: str) -> str:
    return "".join(new if w == old else w for w, _ in tokens)


def is_verb(tokens: tuple[Token, ...], i: int) -> bool:
    """The token at i is a verb, or an adverb directly before one (要进一步加强)."""
    if i >= len(tokens):
        return False
    if tokens[i][1].startswith("v"):
        return True
    return tokens[i][1] == "d" and i + 1 < len(tokens) and tokens[i + 1][1].startswith("v")


# ---------------------------------------------------------------------------------------------------------------
# Names


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


# ---------------------------------------------------------------------------------------------------------------
# Supported rewrites


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


# ---------------------------------------------------------------------------------------------------------------
# Unsupported changes


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


# ---------------------------------------------------------------------------------------------------------------
# Build


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "realtext_claims.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"skipped: {corpus} is absent")
        return 0
    started = time.perf_counter()
    items = build(corpus, args.seed)
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = Counter((item["label"], item["kind"]) for item in items)
    labels = Counter(item["label"] for item in items)
    detail = ", ".join(f"{label}/{kind} {n}" for (label, kind), n in sorted(counts.items()))
    print(
        f"{len(items)} items ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}) → {out} "
        f"in {time.perf_counter() - started:.1f}s: {detail}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
