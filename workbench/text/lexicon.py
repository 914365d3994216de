"""One list each of the words Chinese reports are read with: numerals, organisation suffixes, surnames."""

from __future__ import annotations

import cn2an

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM = "零〇一二两三四五六七八九十百千"


def chinese_to_number(text: str) -> float | None:
    """一千二百 → 1200, 两万 → 20000, 十二 → 12, 三点五 → 3.5, 二〇二〇 → 2020; None when not a numeral.

    The conversion is cn2an's; around it, what our texts need: a bare 百/千/万 is a count (百余人), and digits
    with no unit between them are a list, not a number (七、八、九三个年级), except a year (二〇二〇).
    """
    if not text:
        return None
    if text in _CN_UNITS or text in BIG:
        return float({**_CN_UNITS, **BIG}[text])
    whole = text.partition("点")[0]
    digits_only = all(c in _CN_DIGITS for c in whole)
    if digits_only and len(whole) > 1 and not (len(whole) == 4 or "〇" in whole or "零" in whole[1:]):
        return None
    try:
        return float(cn2an.cn2an(text, "normal"))
    except ValueError:
        return None


# What a unit's or organisation's name ends with ("is this a unit's name?" has one answer).
ORG_SUFFIX = (
    r"(?:教育局|教育委员会|教育工作委员会|教育工作党委|教育系统党委|教体局|教育体育局|人民政府|委员会|纪委|党委|党总支|"
    r"党支部|工委|政府|中心|进修学校|职业学校|职高|中学|小学|学校|幼儿园|学院|大学|研究院|研究室|办公室|组织部|"
    r"宣传部|教研室|医院|派出所|街道|社区|集团|协会|联合会|基金会|公司|部门|大队|中队|少先队|团委|工会|妇联)"
)
# jieba tags many words as person names; a real one starts with a common surname.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)

# Near synonyms a faithful paraphrase swaps freely in 公文 (each pair both ways); never direction or degree.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("召开", "举行"),
    ("开展", "组织开展"),
    ("开展", "组织"),
    ("参加", "参与"),
    ("要求", "强调"),
    ("推进", "推动"),
    ("加强", "强化"),
    ("提高", "提升"),
    ("教师", "老师"),
    ("全年", "一年来"),
    ("积极", "主动"),
    ("完成", "建成"),
    ("计划", "拟"),
    ("应当", "应"),
    ("必须", "务必"),
    ("鼓励", "支持"),
    ("全体", "所有"),
    ("超过", "逾"),
    ("增长", "增加"),
    ("学校", "我校"),
    ("学校", "本校"),
)
# Nouns too general to tell things apart: a paraphrase swaps them (现象 → 情况) without changing a fact.
GENERIC_NOUNS = frozenset(
    [
        "情况",
        "现象",
        "问题",
        "工作",
        "活动",
        "方面",
        "费用",
        "地点",
        "时间",
        "目标",
        "任务",
        "内容",
        "形式",
        "方式",
        "措施",
        "效果",
        "成效",
        "水平",
        "能力",
        "意识",
        "作用",
        "质量",
        "人员",
        "单位",
        "部门",
        "学校",
        "我校",
        "本校",
        "地方",
        "领域",
        "环节",
        "过程",
        "阶段",
        "机制",
        "体系",
        "制度",
        "平台",
        "项目",
        "计划",
        "方案",
        "要求",
        "意见",
        "情形",
        "举措",
        "办法",
        "途径",
        "基础",
        "条件",
        "环境",
        "氛围",
        "局面",
        "态势",
        "成果",
        "成绩",
        "经验",
        "做法",
        "特色",
        "亮点",
        "重点",
        "难点",
        "主题",
        "会议",
    ]
)
# Roles a person is named with (副校长沈玉芬): a name given another person's role is a wrong fact.
ROLES = [
    "副校长",
    "校长",
    "副书记",
    "支部书记",
    "书记",
    "副局长",
    "局长",
    "副主任",
    "主任",
    "教导主任",
    "班主任",
    "副组长",
    "组长",
    "园长",
    "副园长",
    "院长",
    "处长",
    "科长",
    "股长",
    "队长",
    "委员",
    "会长",
    "主席",
    "指导教师",
    "教师",
    "老师",
    "学生",
    "家长",
    "代表",
    "党员",
    "干部",
    "专家",
    "评委",
]
# Words a paraphrase or a draft adds around the facts without stating a fact of its own.
FRAMING = frozenset(
    [
        "开展",
        "组织",
        "举行",
        "召开",
        "进行",
        "活动",
        "工作",
        "进一步",
        "积极",
        "认真",
        "扎实",
        "有效",
        "全面",
        "深入",
        "持续",
        "不断",
        "大力",
        "切实",
        "随后",
        "此次",
        "本次",
        "结束",
        "期间",
        "参加",
        "参与",
        "共同",
        "围绕",
        "通过",
        "推动",
        "推进",
        "加强",
        "情况",
        "汇报",
        "如下",
        "现将",
        "有关",
        "主要",
        "做法",
        "成效",
        "取得",
        "良好",
        "效果",
        "为了",
        "为",
        "进行了",
        "开展了",
        "组织了",
        "举办",
        "举办了",
        "旨在",
        "以来",
        "一年来",
        "全年",
        "本单位",
        "我们",
        "我校",
        "我局",
        "同时",
        "其中",
        "此外",
        "另外",
        "共有",
        "共计",
        "合计",
        "总计",
        "分别",
        "先后",
        "相关",
        "具体",
        "各项",
        "各类",
        "重点",
        "方面",
        "下一步",
        "今后",
        "继续",
        "努力",
        "落实",
        "部署",
        "安排",
    ]
)


def synonyms_of(word: str) -> frozenset[str]:
    """The words that may stand for ``word`` in a faithful paraphrase (itself included)."""
    return frozenset({word} | {b for a, b in SYNONYMS if a == word} | {a for a, b in SYNONYMS if b == word})
