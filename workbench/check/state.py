"""Aspect: is a thing planned, under way, or done? A claim may not state as done what its evidence plans
(拟改造 → 已改造), nor as planned what is done."""

from __future__ import annotations

from .markers import Marker, find, find_all

STATES: dict[str, tuple[str, ...]] = {
    # A task still to do: plans, and the modal verbs a 工作要点 states its tasks with (要在9月底前完成).
    "planned": (
        "拟",
        "计划",
        "拟于",
        "将于",
        "将要",
        "即将",
        "力争",
        "预计",
        "准备",
        "打算",
        "争取",
        "筹划",
        "拟定于",
        "计划于",
        "有望",
        "要",
        "应",
        "应当",
        "须",
        "必须",
        "务必",
    ),
    "ongoing": ("正在", "正", "在建", "推进中", "进行中", "尚在", "启动", "着手", "试点"),
    "not_done": ("尚未", "未", "还未", "未能", "没有"),
    "done": ("已", "已经", "已于", "业已", "完成", "建成", "落成", "竣工", "实现", "达成", "投入使用"),
}
_NAMES = {"planned": "计划中", "ongoing": "进行中", "not_done": "尚未完成", "done": "已完成"}


def state(clause: str) -> Marker | None:
    return find(clause, STATES)


def claimed_state(scope: str) -> Marker | None:
    """A claim clause's state. Its scope (``rules._scope``: the clause, then the clauses before it) lends it
    only pure markers: 学校计划，今年新建… is planned, but in a draft's 继续推进…，完成验收，并提升… the 完成 is the
    middle clause's own verb, not the state of the last one. (A source passage keeps ``state``: its sentences
    report or plan as one.)"""
    own = len(scope.split("，", 1)[0])
    return next((m for m in find_all(scope, STATES) if m.start < own or m.word in MARKERS_ONLY), None)


# How a passage reads when it has no state marker: a list of tasks (实施, 加快) or a report of results.
CUES: dict[str, tuple[str, ...]] = {
    "task": (
        "加快",
        "推进",
        "推动",
        "着力",
        "实施",
        "深入实施",
        "持续",
        "加大",
        "做好",
        "抓好",
        "统筹",
        "聚焦",
        "打造",
        "培育",
        "健全",
        "完善",
        "扩大",
        "强化",
        "深化",
    ),
    "report": (
        "同比",
        "比上年",
        "累计",
        "较上年",
        "获评",
        "荣获",
        "取得",
        "达到",
        "突破",
        "增长",
        "下降",
        "一年来",
        "全年",
        "去年",
    ),
}

# Words that only mark a state (not verbs that also carry content, like 完成 or 建成).
MARKERS_ONLY = frozenset(
    {"已", "已经", "已于", "业已", "拟", "计划", "拟于", "将于", "将要", "即将", "预计", "计划于"}
)


def changed(claim: str, evidence: str, context: str = "") -> str | None:
    """A reason when the claim's state contradicts its evidence's; else None. When the evidence states a thing
    plainly, its ``context`` (the sentences around it) decides: 已 added inside a plan, or 计划 added where
    nothing is planned, is a change; 已 added in a report of work done is not."""
    mine, theirs = claimed_state(claim), state(evidence)
    added = (
        mine is not None and mine.word in MARKERS_ONLY and (theirs is None or theirs.word not in MARKERS_ONLY)
    )
    if mine is not None and added and (theirs is None or theirs.label == mine.label):
        around = {m.label for m in find_all(context, STATES)} | {m.label for m in find_all(context, CUES)}
        planned = bool(around & {"planned", "ongoing", "task"}) and "report" not in around
        if (mine.label == "done") == planned:
            where = "计划" if planned else "已做的事"
            return f"状态不符：原文在{where}中没有“{mine.word}”，这里写成{_NAMES[mine.label]}"
    if mine is None or theirs is None or mine.label == theirs.label:
        return None
    if {mine.label, theirs.label} <= {"planned", "ongoing", "not_done"}:
        return None  # all "not yet done": 计划 and 正在 differ in detail, not in what is claimed as fact
    return f"状态不符：原文是“{theirs.word}”（{_NAMES[theirs.label]}），这里写成“{mine.word}”（{_NAMES[mine.label]}）"
