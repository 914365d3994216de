"""Direction words: a claim that says 增加 where its evidence says 减少 is wrong whatever its numbers say."""

from __future__ import annotations

PAIRS: tuple[tuple[str, str], ...] = (
    ("增加", "减少"),
    ("增长", "下降"),
    ("上升", "下降"),
    ("提高", "降低"),
    ("提升", "下降"),
    ("扩大", "缩小"),
    ("增强", "减弱"),
    ("加快", "放缓"),
    ("好转", "恶化"),
    ("超额完成", "未完成"),
    ("完成", "未完成"),
    ("达到", "未达到"),
    ("合格", "不合格"),
    ("通过", "未通过"),
    ("有所增加", "有所减少"),
    ("新增", "减少"),
    ("获评", "未获评"),
    ("加强", "削弱"),
    ("加强", "弱化"),
    ("加强", "放宽"),
    ("严格", "放宽"),
    ("缩短", "延长"),
    ("缓解", "加剧"),
    ("回升", "下降"),
    ("增多", "减少"),
    ("以北", "以南"),
    ("以东", "以西"),
    ("东侧", "西侧"),
    ("南侧", "北侧"),
    ("上午", "下午"),
    # degree: a marked change is not a slight one
    ("显著", "略有"),
    ("明显", "略有"),
    ("大幅", "小幅"),
    ("显著", "小幅"),
    ("明显", "小幅"),
    ("大幅", "略有"),
    ("显著", "稍有"),
    ("明显", "稍有"),
)
_NEGATIONS = ("未", "没有", "不", "尚未", "没")


def _has(text: str, word: str) -> bool:
    """``word`` occurs and is not the tail of a negated form (完成 inside 未完成 does not count)."""
    start = text.find(word)
    while start >= 0:
        if not any(text[:start].endswith(neg) for neg in _NEGATIONS) or word.startswith(_NEGATIONS):
            return True
        start = text.find(word, start + 1)
    return False


def flipped(claim: str, evidence: str) -> tuple[str, str] | None:
    """(claim word, evidence word) when the claim's direction contradicts the evidence, else None."""
    for a, b in PAIRS:
        for mine, theirs in ((a, b), (b, a)):
            if (
                _has(claim, mine)
                and not _has(evidence, mine)
                and _has(evidence, theirs)
                and not _has(claim, theirs)
            ):
                return mine, theirs
    return None
