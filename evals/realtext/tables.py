"""Hand-written word tables and the regexes the generator reads sentences with."""

from __future__ import annotations

import re


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

# The text's shapes: headings, facts, figures, dates, lead clauses, parentheses

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
