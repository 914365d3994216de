"""Draft speed with the local model: first-token time and tokens/s, against raw llama-cpp-python.

    python -m bench.draft [local|local:qwen-0.5b]

For several precedent budgets it prints the prompt size, the time to the first token and the generation
rate, and compares the rate with raw llama-cpp-python streaming the very same messages (target >= 0.95).
The fixed system prompt is read once and kept in the model's KV cache; a site trades speed for more
precedents with WORKBENCH_PRECEDENT_TOKENS.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from workbench import FakeEmbedder, Settings, Workbench
from workbench.backends.llm import LocalLLM, make_llm
from workbench.data import samples_dir
from workbench.write.draft import messages_for

from .common import RESULTS, save

FACTS = """2024年上半年，学校党支部召开支部党员大会3次、支委会6次，书记讲党课1次。
组织党员教师开展“师德师风”专题学习4次，撰写心得体会36篇。
5月17日，支部组织28名党员到城东烈士纪念馆开展主题党日活动。
党员教师结对帮扶青年教师12名，承担公开课15节。
存在问题：理论学习与教学实践结合不够。
下半年打算：完善党员积分管理，争创县级党建示范校。"""


WARM_FACTS = "2023年3月，团支部组织团员到敬老院开展志愿服务，共15人参加。"


def raw_rate(llm: LocalLLM, messages: list[dict[str, str]], max_tokens: int) -> tuple[float, float, int]:
    """(first-token seconds, tokens/s after the first, tokens) for raw llama-cpp-python."""
    start = time.perf_counter()
    first = 0.0
    n = 0
    for chunk in llm._llm.create_chat_completion(
        messages=messages, max_tokens=max_tokens, temperature=0.2, repeat_penalty=1.1, stream=True
    ):
        if chunk["choices"][0]["delta"].get("content"):
            n += 1
            if n == 1:
                first = time.perf_counter() - start
    total = time.perf_counter() - start
    return first, (n - 1) / max(1e-9, total - first), n


def _stamp(stamps: list[float]) -> Callable[[str], None]:
    """An on_token callback recording when each piece arrived."""
    return lambda _: stamps.append(time.perf_counter())


def main() -> None:
    spec = sys.argv[1] if len(sys.argv) > 1 else "local"
    max_tokens = 200
    llm = make_llm(Settings(llm=spec))
    assert isinstance(llm, LocalLLM)
    results: dict[str, Any] = {"model": llm.name, "max_tokens": max_tokens, "runs": []}
    for budget in (0, 150, 300, 600):
        settings = Settings(
            home=RESULTS / "draft-lib",
            embedder="fake",
            llm=spec,
            precedent_tokens=budget,
            precedents=2 if budget else 0,
            max_tokens=max_tokens,
        )
        wb = Workbench(settings, embedder=FakeEmbedder(), llm=llm)
        wb.ingest([samples_dir()], progress=False)
        # Warm with other facts: the KV cache then holds the fixed system prompt, as it does for a user who
        # drafts again; the new facts and precedents are read afresh.
        wb.draft("活动简报", WARM_FACTS, "某校团支部", "2023年")
        stamps: list[float] = []
        draft = wb.draft("工作总结", FACTS, "青禾县实验小学党支部", "2024年上半年", on_token=_stamp(stamps))
        wb.draft("活动简报", WARM_FACTS, "某校团支部", "2023年")  # the raw run starts from the same cache
        ours = (len(stamps) - 1) / max(1e-9, stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
        messages = messages_for("工作总结", FACTS, "青禾县实验小学党支部", "2024年上半年", draft.precedents)
        raw_first, raw, _ = raw_rate(llm, messages, max_tokens)
        results["runs"].append(
            {
                "precedent_budget": budget,
                "prompt_tokens": draft.prompt_tokens,
                "first_token_s": round(draft.first_token_seconds, 2),
                "raw_first_token_s": round(raw_first, 2),
                "tokens": draft.tokens,
                "tokens_per_s": round(ours, 1),
                "raw_tokens_per_s": round(raw, 1),
                "ratio_to_raw": round(ours / raw, 3) if raw else None,
                "check_seconds": round(draft.extra.get("check_seconds", 0.0), 2),
                "unsupported_spans": len(draft.check.unsupported_spans) if draft.check else None,
            }
        )
        print(results["runs"][-1], flush=True)
    save(f"draft-{spec.replace(':', '_')}", results)


if __name__ == "__main__":
    main()
