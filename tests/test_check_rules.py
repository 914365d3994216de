"""The checker's rules are pure functions: tables of inputs and expected outcomes."""

from __future__ import annotations

import pytest

from workbench.check import RuleChecker
from workbench.check.claims import split_claims
from workbench.check.dates import dates
from workbench.check.dates import supports as date_supports
from workbench.check.judge import judge_open_claims
from workbench.check.names import names, used_alone
from workbench.check.numbers import Quantity, quantities
from workbench.check.numbers import supports as number_supports
from workbench.check.polarity import flipped
from workbench.check.report import Finding, score, verdict
from workbench.evaluation.metrics import calibrate
from workbench.text.lexicon import chinese_to_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("一千二百", 1200),
        ("两万", 20000),
        ("三点五", 3.5),
        ("二〇二〇", 2020),
        ("百", 100),
        ("十", 10),
        ("一万二千", 12000),
        ("", None),
        ("abc", None),
    ],
)
def test_chinese_to_number(text: str, value: float | None) -> None:
    assert chinese_to_number(text) == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("百余名党员参加", [(100, "名", "more")]),
        ("共有3000多人次", [(3000, "人次", "more")]),
        ("两万名学生", [(20000, "名", "")]),
        ("占比76.7%", [(76.7, "%", "")]),
        ("百分之三十的学校", [(30, "%", "")]),
        ("1.2万元", [(12000, "元", "")]),
        ("近3000人", [(3000, "人", "less")]),
        ("约350人出席", [(350, "人", "about")]),
        ("新增学位1,800个", [(1800, "个", "")]),
        ("一流的学校，统一部署，三会一课，一个重要", []),  # words, not numbers
    ],
)
def test_quantities(text: str, found: list[tuple[float, str, str]]) -> None:
    assert [(q.value, q.unit, q.approx) for q in quantities(text)] == found


def _q(value: float, unit: str = "人", approx: str = "") -> Quantity:
    return Quantity(value, unit, approx, 0, 0, "")


@pytest.mark.parametrize(
    ("source", "claim", "ok"),
    [
        (_q(3000), _q(3000), True),
        (_q(3000), _q(3001), False),
        (_q(3052), _q(3000, approx="more"), True),  # 3052人 → 3000多人
        (_q(3000), _q(3000, approx="more"), False),  # exactly 3000 is not "more than"
        (_q(2980), _q(3000, approx="less"), True),  # 2980人 → 近3000人
        (_q(3020), _q(3000, approx="less"), False),
        (_q(2950), _q(3000, approx="about"), True),
        (_q(3000, approx="more"), _q(3000), False),  # the source only says "more than 3000"
        (_q(3000, approx="more"), _q(3000, approx="more"), True),
        (_q(3000, approx="more"), _q(3500, approx="more"), False),
        (_q(29, "名"), _q(29, "人"), True),  # 名 and 人 count the same things
        (_q(29, "次"), _q(29, "人"), False),
        (_q(63, "%"), _q(63, "%"), True),
    ],
)
def test_number_support(source: Quantity, claim: Quantity, ok: bool) -> None:
    assert number_supports(source, claim) is ok


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("2020年5月，中心成立", [(2020, 5, None, "")]),
        ("4月29日，中心领导班子学习", [(None, 4, 29, "")]),
        ("发布时间:2021-06-30 13:06", [(2021, 6, 30, "")]),
        ("上半年基层党建工作", [(None, None, None, "上半年")]),
        ("“十四五”规划开局", [(None, None, None, "十四五")]),
        ("二〇二〇年三月十二日印发", [(2020, 3, 12, "")]),
        ("第三季度", [(None, None, None, "三季度")]),
        ("全年召开12次会议", []),
    ],
)
def test_dates(text: str, found: list[tuple[int | None, int | None, int | None, str]]) -> None:
    assert [(d.year, d.month, d.day, d.period) for d in dates(text)] == found


@pytest.mark.parametrize(
    ("source", "claim", "ok"),
    [
        ("2020年5月1日", "5月1日", True),
        ("2020年5月1日", "2020年5月", True),
        ("2020年5月1日", "2020年6月", False),
        ("今年是2020年。5月1日召开", "2020年5月1日", True),  # the year is stated elsewhere
        ("5月1日召开", "2021年5月1日", False),
        ("上半年工作", "下半年", False),
        ("“十四五”期间", "十四五", True),
    ],
)
def test_date_support(source: str, claim: str, ok: bool) -> None:
    assert date_supports(dates(source), dates(claim)[0]) is ok


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("北仑区教育局与北仑中学联合举办", ["北仑区教育局", "北仑中学"]),
        ("市教育局党组书记刘辉主持会议", ["市教育局", "刘辉"]),
        ("学习《教育的情调》等书籍", ["《教育的情调》"]),
        ("开展“我为群众办实事”活动", ["我为群众办实事"]),
        ("全年召开支部党员大会，家长满意度调查得分高", []),
        ("支部将力争把学校建成县级党建示范校", []),
    ],
)
def test_names(text: str, found: list[str]) -> None:
    assert [n.text for n in names(text)] == found


def test_abbreviation_only_when_the_source_uses_it() -> None:
    both = "北仑区教育局召开会议。区教育局要求各校落实。"
    assert used_alone("区教育局", both, names(both))
    only_long = "北仑区教育局召开会议。"
    assert not used_alone("区教育局", only_long, names(only_long))


@pytest.mark.parametrize(
    ("claim", "evidence", "flip"),
    [
        ("患病率上升到1.2%", "患病率下降到1.2%", ("上升", "下降")),
        ("任务已完成", "任务尚未完成", ("完成", "未完成")),
        ("任务未完成", "任务已完成", ("未完成", "完成")),
        ("任务已完成", "任务已完成", None),
        ("满意度提高", "满意度明显提高，投诉减少", None),
    ],
)
def test_polarity(claim: str, evidence: str, flip: tuple[str, str] | None) -> None:
    assert flipped(claim, evidence) == flip


def test_claims_have_offsets() -> None:
    text = "一、成效\n全年召开大会6次；支委会12次。书记讲党课2次！\n（1）示范岗公开课23节"
    spans = split_claims(text)
    assert [s.text for s in spans] == [
        "一、成效",
        "全年召开大会6次；",
        "支委会12次。",
        "书记讲党课2次！",
        "（1）示范岗公开课23节",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert [s.text for s in split_claims("甲\n\n乙。丙", lines=True)] == ["甲", "乙。丙"]


def _f(status: str) -> Finding:
    return Finding("number", status, "6次", 0, 2, "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("findings", "overlap", "verbatim", "expected"),
    [
        ([], 0.1, True, "supported"),
        ([_f("unsupported")], 1.0, False, "unsupported"),
        ([_f("supported"), _f("unsupported")], 0.9, False, "unsupported"),
        ([_f("supported")], 0.5, False, "supported"),
        ([_f("supported")], 0.2, False, "unverifiable"),
        ([], 0.85, False, "supported"),
        ([], 0.5, False, "unverifiable"),
    ],
)
def test_verdict(findings: list[Finding], overlap: float, verbatim: bool, expected: str) -> None:
    assert verdict(findings, overlap, verbatim)[0] == expected


@pytest.mark.parametrize(
    ("verdicts", "value"),
    [
        (["supported", "unsupported"], 0.5),
        (["supported", "unverifiable"], 1.0),
        ([], 1.0),
        (["unsupported"], 0.0),
    ],
)
def test_score(verdicts: list[str], value: float) -> None:
    assert score(verdicts) == value  # type: ignore[arg-type]


SOURCE = (
    "2023年，学校党支部全年召开支部党员大会6次、支委会12次，党员参学率保持在95%以上。"
    "组织党员教师共读《教育的情调》等3本书籍，撰写心得体会41篇。家长满意度调查得分96.3分，贫血患病率下降到1.2%。"
)


@pytest.mark.parametrize(
    ("claim", "expected", "check"),
    [
        ("组织党员教师共读《教育的情调》等3本书籍，撰写心得体会41篇。", "supported", "verbatim"),
        ("全年召开党员大会六次、支委会十二次。", "supported", "number"),  # numbers spelled in Chinese
        ("撰写心得体会四十一篇。", "supported", "number"),
        ("组织党员教师共读《教育的情调》等5本书籍。", "unsupported", "number"),
        ("2022年，学校党支部召开党员大会6次。", "unsupported", "date"),
        ("由校长张伟牵头共读《教育的情调》。", "unsupported", "name"),
        ("共读《教育的意义》等3本书籍。", "unsupported", "name"),
        ("贫血患病率上升到1.2%。", "unsupported", "polarity"),
        ("学校还开展了丰富多彩的活动。", "unverifiable", ""),
    ],
)
def test_checker_on_claims(claim: str, expected: str, check: str) -> None:
    result = RuleChecker([SOURCE]).check(claim).claims[0]
    assert result.verdict == expected, result.reason
    if check:
        assert check in result.checks


def test_unsupported_spans_point_at_the_fact() -> None:
    text = "学校党支部全年召开支部党员大会6次。撰写心得体会45篇。"
    report = RuleChecker([SOURCE]).check(text)
    [span] = report.unsupported_spans
    assert text[span.start : span.end] == "45篇" and span.check == "number"
    assert report.score == 0.5
    assert report.to_json()["spans"][0]["text"] == "45篇"


@pytest.mark.parametrize(
    ("probs", "labels", "threshold", "ba"),
    [
        ([0.9, 0.8, 0.2, 0.1], [True, True, False, False], 0.8, 1.0),
        (
            [0.3, 0.25, 0.2, 0.05],
            [True, True, False, False],
            0.25,
            1.0,
        ),  # a model biased to 否 still separates
        ([0.9, 0.2, 0.8, 0.1], [True, True, False, False], 0.2, 0.75),  # ties: the lowest threshold
        ([0.5, 0.5], [True, True], 0.5, 0.0),  # no negatives: nothing to calibrate
    ],
)
def test_calibrate(probs: list[float], labels: list[bool], threshold: float, ba: float) -> None:
    assert calibrate(probs, labels) == (threshold, ba)


def test_judge_decides_only_open_claims() -> None:
    from workbench.backends.llm import FakeLLM

    llm = FakeLLM()
    llm.probabilities.extend([0.9, 0.1])
    report = RuleChecker([SOURCE]).check(
        "学校党支部还开展了丰富多彩的活动。撰写心得体会45篇。学校的活动受到家长好评。"
    )
    judged = judge_open_claims(report, llm, threshold=0.5)
    assert [c.verdict for c in judged.claims] == ["supported", "unsupported", "unsupported"]
    assert "judge" in judged.claims[0].checks and "judge" not in judged.claims[1].checks
    assert len(llm.prompts) == 2  # the rules decided the middle claim: no model call for it
    system, user = llm.prompts[0]
    assert system["role"] == "system"  # shared with drafting: a local model keeps it in its KV cache
    assert "陈述：学校党支部还开展了丰富多彩的活动。" in user["content"] and "依据：" in user["content"]


@pytest.mark.parametrize(
    ("claim", "asked", "verdict"),
    [
        # nothing in the source to judge it against
        ("努力办好人民满意的教育，谱写新篇章。", False, "unsupported"),
        ("学校的活动受到家长好评。", True, "supported"),  # 家长, 学校 are in the source: the model decides
        ("2. 组织党员教师参加各类培训活动。", True, "supported"),  # a numbered sentence is a claim
        ("（二）强化队伍建设", False, "unverifiable"),  # a bare heading is structure
        ("现将有关情况汇报如下。", False, "unverifiable"),  # so is a lead-in
    ],
)
def test_a_claim_without_ground_is_not_sent_to_the_model(claim: str, asked: bool, verdict: str) -> None:
    from workbench.backends.llm import FakeLLM

    llm = FakeLLM()
    llm.probabilities.extend([0.9])
    judged = judge_open_claims(RuleChecker([SOURCE]).check(claim), llm, threshold=0.5)
    assert bool(llm.prompts) == asked and judged.claims[0].verdict == verdict
    if verdict == "unsupported":
        assert (
            "ground" in judged.claims[0].checks and "原文中没有与这句话相应的内容" in judged.claims[0].reason
        )


def test_judge_leaves_bare_headings_alone() -> None:
    from workbench.backends.llm import FakeLLM

    llm = FakeLLM()
    report = RuleChecker([SOURCE]).check("（二）强化队伍建设，发挥先锋作用\n学校的活动受到家长好评。")
    judged = judge_open_claims(report, llm, threshold=0.5)
    assert [c.verdict for c in judged.claims] == ["unverifiable", "supported"]
    assert len(llm.prompts) == 1


_LONG = "坚持稳中求进，完整准确全面贯彻新发展理念，全省地区生产总值增长5.2%，城镇新增就业110万人，粮食产量再创新高，生态环境持续改善，人民群众获得感不断提升。"


@pytest.mark.parametrize(
    ("evidence", "claim", "shown"),
    [
        ("共有32名党员参加活动。", "共有85名党员参加活动。", "共有32名党员参加活动。"),  # short: whole
        (_LONG, "城镇新增就业110万人。", "……城镇新增就业110万人，……"),
        (_LONG, "天气很好。", "坚持稳中求进，……"),  # nothing shared: only the opening clause
        (_LONG, "生态环境持续改善，人民群众获得感不断提升。", "……生态环境持续改善，人民群众获得感不断提升。"),
    ],
)
def test_long_evidence_is_cut_to_the_clauses_the_claim_shares(evidence: str, claim: str, shown: str) -> None:
    from workbench.check.judge import focus

    assert focus(evidence, claim, limit=40) == shown
