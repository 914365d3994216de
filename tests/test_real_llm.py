"""The real local path: the packaged 0.5B model assembled from its PyPI parts and run by llama-cpp-python."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import FakeEmbedder, Settings, Workbench
from workbench.backends.llm import LLM, make_llm

pytestmark = pytest.mark.model

FACTS = "2024年5月17日，机关党支部组织党员到城东烈士纪念馆开展主题党日活动，共32名党员参加。\n支部书记王立新带领党员重温入党誓词。"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> LLM:
    pytest.importorskip("llama_cpp")
    # The assembled model lives in the shared model dir so the suite assembles it once per machine.
    return make_llm(Settings(llm="local:qwen-0.5b", max_tokens=200))


def test_streams_a_reply(small: LLM) -> None:
    pieces = list(small.stream([{"role": "user", "content": "用一句话介绍主题党日。"}], max_tokens=24))
    assert len(pieces) > 3 and "".join(pieces).strip()
    assert small.count_tokens("主题党日活动") < len("主题党日活动") * 2


def test_yes_probability_separates_true_from_false(small: LLM) -> None:
    from workbench.prompts import load

    def ask(claim: str) -> float:
        prompt = load("judge").render(evidence="共有32名党员参加活动。", claim=claim)
        return small.yes_probability([{"role": "user", "content": prompt}])

    true, false = ask("共有32名党员参加活动。"), ask("共有85名党员参加活动。")
    assert 0.0 <= false < true <= 1.0


def test_warming_reads_the_shared_head_and_changes_no_answer(small: LLM) -> None:
    from workbench.prompts import load, with_rules

    messages = with_rules(
        load("judge").render(evidence="共有32名党员参加活动。", claim="共有85名党员参加活动。")
    )
    before = small.yes_probability(messages)
    "".join(small.stream([{"role": "user", "content": "你好"}], max_tokens=2))  # another prompt in the cache
    small.warm(with_rules(""))
    cached = list(small._llm._input_ids)  # type: ignore[attr-defined]
    system = small._llm.tokenize(with_rules("")[0]["content"].encode(), add_bos=False)  # type: ignore[attr-defined]
    assert len(cached) > len(system)  # the standing rules are in the KV cache now
    # The same answer up to float noise: a prompt read in other batches sums its logits in another order.
    assert small.yes_probability(messages) == pytest.approx(before, abs=0.02)


def test_a_real_draft_end_to_end(small: LLM, tmp_path: Path, samples: Path) -> None:
    wb = Workbench(
        Settings(home=tmp_path / "lib", embedder="fake", max_tokens=160), embedder=FakeEmbedder(), llm=small
    )
    wb.ingest([samples], progress=False)
    draft = wb.draft("活动简报", FACTS, unit="明川区教育局机关党支部", period="2024年5月")
    assert draft.text and draft.first_token_seconds > 0 and draft.tokens > 10
    assert draft.precedents and draft.check is not None
    assert draft.prompt_tokens < 1200
