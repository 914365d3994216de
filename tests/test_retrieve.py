from __future__ import annotations

import pytest

from workbench.evaluation.metrics import first_rank, retrieval_metrics
from workbench.search.fusion import collapse, near_duplicate, rrf


@pytest.mark.parametrize(
    ("rankings", "expected"),
    [
        ([["a", "b"]], {"a": 1 / 61, "b": 1 / 62}),
        ([["a", "b"], ["b", "a"]], {"a": 1 / 61 + 1 / 62, "b": 1 / 62 + 1 / 61}),
        ([["a"], ["b", "c"]], {"a": 1 / 61, "b": 1 / 61, "c": 1 / 62}),
        ([[], []], {}),
    ],
)
def test_rrf(rankings: list[list[str]], expected: dict[str, float]) -> None:
    assert rrf(rankings) == pytest.approx(expected)


def test_rrf_rewards_agreement() -> None:
    scores = rrf([["x", "y", "z"], ["z", "y", "x"], ["y"]])
    assert max(scores, key=scores.__getitem__) == "y"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("全年召开支部党员大会6次、支委会12次。", "全年召开支部党员大会6次、支委会12次", True),
        ("全年召开支部党员大会6次、支委会12次。", "全年召开支部党员大会6次，支委会12次！", True),
        ("全年召开支部党员大会6次、支委会12次。", "新建城南小学，新增学位1800个。", False),
        ("", "", True),
    ],
)
def test_near_duplicate(a: str, b: str, same: bool) -> None:
    assert near_duplicate(a, b) is same


def test_collapse_keeps_order_and_drops_repeats() -> None:
    ranked = [("1", "开展送教下乡四十一场次。"), ("2", "开展送教下乡四十一场次"), ("3", "组建学科指导团队。")]
    assert collapse(ranked, k=5) == ["1", "3"]
    assert collapse(ranked, k=1) == ["1"]


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [
        ([1, 1], {"hit@1": 1.0, "hit@5": 1.0, "mrr": 1.0, "n": 2}),
        ([1, None], {"hit@1": 0.5, "hit@5": 0.5, "mrr": 0.5, "n": 2}),
        ([2, 5, 6, None], {"hit@1": 0.0, "hit@5": 0.5, "mrr": (1 / 2 + 1 / 5 + 1 / 6) / 4, "n": 4}),
        ([], {"hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0, "n": 0}),
    ],
)
def test_retrieval_metrics(ranks: list[int | None], expected: dict[str, float]) -> None:
    assert retrieval_metrics(ranks) == pytest.approx(expected)


def test_first_rank() -> None:
    assert first_rank(["a", "b", "b"], "b") == 2
    assert first_rank(["a"], "z") is None
