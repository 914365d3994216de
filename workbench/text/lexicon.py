"""One list each of the words Chinese reports are read with: numerals, organisation suffixes, surnames."""

from __future__ import annotations

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUM = "零〇一二两三四五六七八九十百千"


def chinese_to_number(text: str) -> float | None:
    """一千二百 → 1200, 两万 → 20000, 十二 → 12, 三点五 → 3.5, 二〇二〇 → 2020; None when not a numeral."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = chinese_to_number(whole) if whole else 0.0
        digits = [_CN_DIGITS.get(c) for c in frac]
        if w is None or any(d is None for d in digits):
            return None
        return w + float("0." + "".join(str(d) for d in digits))
    for big, factor in sorted(BIG.items(), key=lambda kv: -kv[1]):
        if big in text:
            head, _, tail = text.partition(big)
            h = chinese_to_number(head) if head else 1.0
            t = chinese_to_number(tail) if tail else 0.0
            return None if h is None or t is None else h * factor + t
    if all(c in _CN_DIGITS for c in text) and len(text) > 1:  # digit by digit: 二〇二〇
        return float("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[c]
            current = 0
        else:
            return None
    return float(total + current)


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
