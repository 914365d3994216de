"""What a careful reviewer catches beyond a wrong figure: the figure bound to another thing, 拟→已, 可以→必须,
建议→决定, 全部→部分, a relative date, a wrong total; and what a faithful paraphrase may do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.check import RuleChecker, decision, modality, quantifiers, state
from workbench.check.binding import anchors

EVALS = Path(__file__).resolve().parent.parent / "evals"


def verdict(source: str, claim: str) -> tuple[str, str]:
    c = RuleChecker([source]).check(claim, lines=True).claims[0]
    return c.verdict, c.reason


@pytest.mark.parametrize(
    ("source", "claim", "flagged"),
    [
        # The issue's table: each was passed before.
        ("2025年拟改造塑胶跑道2条。", "2025年已改造塑胶跑道2条。", True),
        ("学校已建成智慧教室6间，拟新建智慧教室10间。", "学校已建成智慧教室10间。", True),
        ("项目总投入80万元，其中设备费30万元。", "其中设备费80万元。", True),
        ("李老师建议增设2个社团，校务会未作决定。", "校务会决定增设2个社团。", True),
        ("各年级可以结合实际开展1至2次研学。", "各年级必须开展1至2次研学。", True),
        ("各班主任要在9月底前完成家访。", "各班主任可以在9月底前完成家访。", True),
        ("由教务处牵头组织实施。", "由总务处牵头组织实施。", True),
        # Faithful: a relative date the evidence implies, a total of the listed parts, a figure restated.
        ("新食堂计划于2025年12月底前完工。", "新食堂计划于2025年底前完工。", False),
        ("一年级学生30人、二年级学生28人参加了研学。", "一、二年级共58人参加了研学。", False),
        ("学校已建成智慧教室6间，拟新建智慧教室10间。", "学校计划再新建智慧教室10间。", False),
        ("共有32名党员参加活动。", "参加活动的党员共三十二名。", False),
        # A person given another person's role or act (副 makes another role; 支部书记 written 书记 is the same).
        ("镇中心校校长吴启明、副校长钱秀云到会指导。", "镇中心校副校长吴启明到会指导。", True),
        ("镇中心校校长吴启明、副校长钱秀云到会指导。", "镇中心校校长吴启明到会指导。", False),
        ("支部书记钱秀云讲授党课。", "书记钱秀云讲授党课。", False),
        ("初二学生韩雪获演讲比赛一等奖，辅导教师为程立。", "初二学生程立获演讲比赛一等奖。", True),
        ("由校长吴启明担任组长、副校长钱秀云担任副组长。", "由副校长钱秀云担任组长。", True),
        ("由校长吴启明担任组长、副校长钱秀云担任副组长。", "由副校长钱秀云担任副组长。", False),
        ("大会由工会主席郑光远主持，校长吴启明作总结讲话。", "大会由校长吴启明主持。", True),
        ("大会由工会主席郑光远主持，校长吴启明作总结讲话。", "大会由工会主席郑光远主持。", False),
        # A date the sources give, but to another event (4月9日 is the 讲座's, the 运动会 was 4月16日).
        ("4月9日学校邀请交警开展交通安全讲座，4月16日举行春季运动会。", "4月9日，学校举行春季运动会。", True),
        (
            "4月9日学校邀请交警开展交通安全讲座，4月16日举行春季运动会。",
            "学校于4月16日举行春季运动会。",
            False,
        ),
        (
            "4月9日学校邀请交警开展交通安全讲座，4月16日举行春季运动会。",
            "4月9日，学校邀请交警开展交通安全讲座。",
            False,
        ),
        (
            "4月9日学校邀请交警开展交通安全讲座，4月16日举行春季运动会。",
            "4月，学校先后开展交通安全讲座和春季运动会。",
            False,
        ),
        # A claim clause's state is its own: the 完成 of a middle clause does not make the last one done.
        (
            "2026年计划完成图书馆改造，完成操场翻新验收，力争学生人均借阅量稳定在12本左右。",
            "下一步打算：继续推进图书馆改造，完成操场翻新验收，并努力提升学生人均借阅量。",
            False,
        ),
        (
            "2026年计划完成图书馆改造，完成操场翻新验收，力争学生人均借阅量稳定在12本左右。",
            "2026年已完成操场翻新验收。",
            True,
        ),
        (
            "2026年计划完成图书馆改造，完成操场翻新验收，力争学生人均借阅量稳定在12本左右。",
            "图书馆改造已经完成。",
            True,
        ),
    ],
)
def test_reviewer_cases(source: str, claim: str, flagged: bool) -> None:
    got, reason = verdict(source, claim)
    assert (got == "unsupported") is flagged, reason


@pytest.mark.parametrize(
    ("claim", "evidence", "changed"),
    [
        ("已改造跑道", "拟改造跑道", True),
        ("拟改造跑道", "已改造跑道", True),
        ("正在改造跑道", "计划改造跑道", False),  # both not yet done
        ("已经完成改造", "已完成改造", False),
        ("学校组织模拟演练", "学校组织模拟演练", False),  # 拟 inside 模拟 is no plan
        ("已完成家访", "要在9月底前完成家访", True),
    ],
)
def test_state(claim: str, evidence: str, changed: bool) -> None:
    assert bool(state.changed(claim, evidence)) is changed


def test_an_added_state_word_is_judged_by_its_context() -> None:
    plan = "加快建设乡村振兴示范县。新增区域农机服务中心20个。力争年内完成。"
    report = "全年新增区域农机服务中心20个，同比增长8%。"
    assert state.changed("已新增区域农机服务中心20个", "新增区域农机服务中心20个", plan)
    assert not state.changed("已新增区域农机服务中心20个", "新增区域农机服务中心20个", report)
    assert state.changed("计划新增区域农机服务中心20个", "新增区域农机服务中心20个", report)


@pytest.mark.parametrize(
    ("claim", "evidence", "changed"),
    [
        ("各年级必须开展研学", "各年级可以开展研学", True),
        ("各班主任可以完成家访", "各班主任要完成家访", True),
        ("教师应避免有偿补课", "严禁教师有偿补课", True),
        ("必须持证上岗", "务必持证上岗", False),
        ("应当持证上岗", "应持证上岗", False),
        ("各校必须开展研学", "各校开展研学", True),  # an obligation the evidence does not state
        ("应急演练每学期一次", "应急演练每学期一次", False),  # 应 inside 应急
    ],
)
def test_modality(claim: str, evidence: str, changed: bool) -> None:
    assert bool(modality.changed(claim, evidence)) is changed


@pytest.mark.parametrize(
    ("claim", "evidence", "source", "changed"),
    [
        ("校务会决定增设社团", "李老师建议增设社团，校务会未作决定", "", True),
        ("经县政府批准实施", "县教育局提出实施方案", "县教育局提出实施方案", True),
        ("会议决定增设社团", "会议研究决定增设社团", "", False),
        ("学校通过开展活动提高素养", "学校通过开展活动提高素养", "", False),  # 通过 as "by"
        ("会议讨论了增设社团", "会议决定增设社团", "", True),
    ],
)
def test_decision(claim: str, evidence: str, source: str, changed: bool) -> None:
    assert bool(decision.changed(claim, evidence, source or evidence)) is changed


@pytest.mark.parametrize(
    ("claim", "evidence", "changed"),
    [
        ("全部学校配备保安", "部分学校配备保安", True),
        ("学校再次获评文明校园", "学校首次获评文明校园", True),
        ("全体教师参加培训", "所有教师参加培训", False),
        ("平均每班45人", "平均每班45人", False),  # 均 inside 平均
    ],
)
def test_quantifiers(claim: str, evidence: str, changed: bool) -> None:
    assert bool(quantifiers.changed(claim, evidence)) is changed


@pytest.mark.parametrize(
    ("clause", "figure", "expected"),
    [
        ("拟新建智慧教室10间", "10间", {"教室"}),
        ("共有28名党员参加", "28名", {"党员"}),
        ("另有7名教师获得二等奖", "7名", {"教师", "二等奖"}),
        ("按期转正2名", "2名", {"转正"}),
    ],
)
def test_anchors(clause: str, figure: str, expected: set[str]) -> None:
    at = clause.index(figure)
    assert expected <= anchors(clause, at, at + len(figure))


def test_a_wrong_total_in_the_source_is_a_warning() -> None:
    report = RuleChecker(["一年级30人、二年级28人，共60人参加研学。"]).check("共60人参加研学。")
    assert report.warnings and "不等于" in report.warnings[0]
    assert not RuleChecker(["一年级30人、二年级28人，共58人参加研学。"]).warnings


def test_the_issue_draft_is_not_marked_wrong() -> None:
    """The web-page case of issue 9: a sentence combining several fact lines scored 0.17 before."""
    facts = (
        "单位：松林镇中心小学党支部\n时间：2024年6月28日下午\n活动：组织全体党员教师开展“七一”主题党日活动，共32名党员参加\n"
        "内容：重温入党誓词；支部书记王秀兰讲授党课《坚守教育初心》；为3名党龄满30年的老党员颁发纪念章\n成效：党员教师撰写心得体会32篇"
    )
    draft = (
        "2024年6月28日下午，松林镇中心小学党支部组织32名党员教师开展“七一”主题党日活动。"
        "支部书记王秀兰以《坚守教育初心》为题讲授党课，并为3名党龄满30年的老党员颁发纪念章。活动结束后，党员教师撰写心得体会32篇。"
    )
    report = RuleChecker([facts]).check(draft)
    assert [c.text for c in report.claims if c.verdict == "unsupported"] == []


def test_recombined_drafts_raise_no_flag() -> None:
    rows = [
        json.loads(x)
        for x in (EVALS / "recombined_drafts.jsonl").read_text(encoding="utf-8").splitlines()
        if x
    ]
    assert len(rows) >= 20 and len({r["type"] for r in rows}) == 5
    flagged = [
        (c.text, c.reason)
        for r in rows
        for c in RuleChecker([r["facts"], r["unit"], r["period"]]).check(r["draft"]).claims
        if c.verdict == "unsupported"
    ]
    assert flagged == []
