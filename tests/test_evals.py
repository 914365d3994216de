"""Eval arithmetic (tables), the eval CLI's exit codes, and the reproducibility of the committed sets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.evaluation.metrics import balanced_accuracy_for, faithfulness_metrics
from workbench.evaluation.report import html_report
from workbench.evaluation.run import thresholds_passed

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("labels", "flagged", "ba", "confusion"),
    [
        (["unsupported", "supported"], [True, False], 1.0, {"tp": 1, "fn": 0, "fp": 0, "tn": 1}),
        (["unsupported", "supported"], [True, True], 0.5, {"tp": 1, "fn": 0, "fp": 1, "tn": 0}),
        (
            ["unsupported", "unsupported", "supported", "supported"],
            [True, False, False, False],
            0.75,
            {"tp": 1, "fn": 1, "fp": 0, "tn": 2},
        ),
        (["supported"] * 3, [False] * 3, 0.5, {"tp": 0, "fn": 0, "fp": 0, "tn": 3}),  # no positives: recall 0
    ],
)
def test_faithfulness_metrics(
    labels: list[str], flagged: list[bool], ba: float, confusion: dict[str, int]
) -> None:
    m = faithfulness_metrics(labels, flagged, ["k"] * len(labels))
    assert m["balanced_accuracy"] == ba and m["confusion"] == confusion


def test_by_kind_and_restricted_accuracy() -> None:
    m = faithfulness_metrics(
        ["unsupported", "unsupported", "supported", "supported"],
        [True, False, False, True],
        ["number", "name", "original", "synonym"],
    )
    assert m["by_kind"] == {
        "name": {"n": 1, "flagged": 0.0},
        "number": {"n": 1, "flagged": 1.0},
        "original": {"n": 1, "flagged": 0.0},
        "synonym": {"n": 1, "flagged": 1.0},
    }
    assert balanced_accuracy_for(m, ["number"], ["original"]) == 1.0
    assert balanced_accuracy_for(m, ["number", "name"], ["original", "synonym"]) == 0.5


def test_thresholds() -> None:
    result = {"retrieval": {"hit@5": 0.8}}
    got = thresholds_passed(result, {"retrieval.hit@5": 0.9, "faithfulness.balanced_accuracy": 0.5})
    assert got["retrieval.hit@5"] == {"value": 0.8, "min": 0.9, "passed": False}
    assert got["faithfulness.balanced_accuracy"]["passed"] is False  # missing counts as failed


def test_eval_quick_passes_and_writes_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "report.html"
    assert main(["eval", "--quick", "--json", "--html", str(html)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["passed"] and result["faithfulness"]["verbatim_false_flags"] == 0
    assert set(result) >= {"faithfulness", "retrieval", "summaries", "drafts", "thresholds", "passed"}
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "平衡准确率" in page


def test_eval_fails_when_a_threshold_is_missed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[faithfulness]\ndataset = "{ROOT / "evals" / "faithfulness.jsonl"}"\nquick_every = 8\n'
        '[thresholds]\n"faithfulness.balanced_accuracy" = 1.01\n',
        encoding="utf-8",
    )
    assert main(["eval", str(config), "--quick", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["passed"] is False


def test_html_escapes_text() -> None:
    page = html_report(
        {
            "worst": [
                {
                    "kind": "number",
                    "label": "supported",
                    "verdict": "unsupported",
                    "claim": "<script>x</script>",
                    "evidence": [],
                    "reason": "",
                }
            ]
        }
    )
    assert "<script>x" not in page and "&lt;script&gt;" in page


def test_faithfulness_set_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "evals" / "build_faithfulness.py"),
            str(ROOT / "workbench" / "samples"),
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_text(encoding="utf-8") == (ROOT / "evals" / "faithfulness.jsonl").read_text(
        encoding="utf-8"
    )
    kinds = {json.loads(line)["kind"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert {"original", "shortened", "number_cn", "synonym", "number", "date", "org", "polarity"} <= kinds


@pytest.mark.parametrize(
    ("scores", "shares"),
    [([1.0, 1.0, 0.5, 0.0], [0.25, 0.0, 0.25, 0.0, 0.5]), ([0.19, 0.2], [0.5, 0.5, 0.0, 0.0, 0.0]), ([], [])],
)
def test_histogram(scores: list[float], shares: list[float]) -> None:
    from workbench.evaluation.report import histogram

    assert [s for _, s in histogram(scores)] == shares
