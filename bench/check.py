"""Speed of the deterministic checker: a 5,000-character draft against its source, and claims per second.

    python -m bench.check [local]     # with a model spec: also a 600-character draft with the judge on

Uses the longest sample report as the source and a draft built from its sentences with every third one's
number changed (so the rules have real work: numbers, dates, names, evidence search).
"""

from __future__ import annotations

import re
import statistics
import sys
import time

from workbench.check import RuleChecker
from workbench.data import samples_dir
from workbench.library.documents import load_document

from .common import ROOT, save

FACTS = """2024年上半年，学校党支部召开支部党员大会3次、支委会6次，书记讲党课1次。
组织党员教师开展“师德师风”专题学习4次，撰写心得体会36篇。
5月17日，支部组织28名党员到城东烈士纪念馆开展主题党日活动。
党员教师结对帮扶青年教师12名，承担公开课15节。"""

# About 600 characters, shaped like the 1.5B model's real drafts: the facts, restated, plus generic sentences only the judge can rule on.
DRAFT_600 = """青禾县实验小学党支部2024年上半年工作总结
2024年上半年，学校党支部坚持以党建引领学校发展，各项工作扎实推进。
一、主要工作和成效
（一）抓好理论学习
1. 召开支部党员大会3次、支委会6次，书记讲党课1次，党员的理论素养进一步提高。
2. 组织党员教师开展“师德师风”专题学习4次，撰写心得体会36篇，师德师风建设取得明显成效。
（二）强化队伍建设
1. 党员教师结对帮扶青年教师12名，承担公开课15节，青年教师的教学水平显著提升。
2. 组织党员教师参加各类培训活动，提升专业素养和教学能力。
（三）开展主题党日
5月17日，支部组织28名党员到城东烈士纪念馆开展主题党日活动，进一步增强了党支部的凝聚力和战斗力。
二、存在的问题
部分党员理论学习与教学实践结合不够，党建品牌特色还不够鲜明。
三、下一步打算
下半年，支部将继续加强党员队伍建设，完善党员积分管理办法，力争创建县级党建示范校，为学校高质量发展提供坚强保证。
同时，支部将深化“一支部一品牌”创建，推动党建工作与教育教学深度融合，组织党员教师深入开展课堂教学研究。
支部还将加强与家长和社区的沟通联系，积极开展志愿服务，努力办好人民满意的教育。
在师德师风建设方面，支部将把专题学习与教师考核结合起来，树立一批身边的先进典型，引导党员教师立足岗位作表率。
在青年教师培养方面，支部将继续实行党员结对帮扶，组织青年教师参加教学比武，帮助他们尽快站稳讲台。"""


def judge_timing(spec: str) -> dict[str, object]:
    """A 600-character draft checked with the model judge on, the model already loaded (as in the app)."""
    from workbench import FakeEmbedder, Settings, Workbench

    wb = Workbench(
        Settings(home=ROOT / "bench" / "results" / "check-lib", embedder="fake", llm=spec),
        embedder=FakeEmbedder(),
    )
    wb.warm()  # load the model and read the standing rules once, as the server does at start
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        report = wb.check(DRAFT_600, [FACTS])
        runs.append(time.perf_counter() - t0)
    seconds = statistics.median(runs)
    return {
        "model": wb.llm.name,
        "draft_chars": len(DRAFT_600),
        "claims": len(report.claims),
        "judged": sum("judge" in c.checks for c in report.claims),
        "unsupported": sum(c.verdict == "unsupported" for c in report.claims),
        "seconds_median_of_5": round(seconds, 2),
        "seconds_first": round(runs[0], 2),
        "target_seconds": 8,
    }


def main() -> None:
    sources = [load_document(p, 10**7).text for p in sorted((samples_dir()).iterdir()) if p.is_file()]
    sentences = [s for s in re.split(r"(?<=[。！？；])", "\n".join(sources)) if s.strip()]
    draft = ""
    i = 0
    while len(draft) < 5000:
        s = sentences[i % len(sentences)]
        draft += re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), s) if i % 3 == 0 else s
        i += 1
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        checker = RuleChecker(sources)
        report = checker.check(draft)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    save(
        "check",
        {
            "draft_chars": len(draft),
            "source_chars": sum(map(len, sources)),
            "claims": len(report.claims),
            "seconds_best_of_5": round(best, 3),
            "claims_per_second": round(len(report.claims) / best, 1),
            "unsupported": sum(c.verdict == "unsupported" for c in report.claims),
            "target_seconds": 1.0,
            "with_judge": judge_timing(sys.argv[1]) if len(sys.argv) > 1 else None,
        },
    )


if __name__ == "__main__":
    main()
