"""评测: the quick evaluation (the shipped eval sets, run with this workbench's settings and models) as a report."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ...core import Workbench
from ...data import evals_dir
from ..jobs import friendly


@dataclass(frozen=True)
class EvalsPage:
    """The components of the 评测 tab that the rest of the app may need."""

    report: gr.HTML


def build(wb: Workbench) -> EvalsPage:
    """The 评测 tab, inside the current ``gr.Tabs``."""
    with gr.Tab("评测", id="evals"):
        e_go = gr.Button("运行快速评测", variant="primary")
        e_report = gr.HTML()

    @friendly
    def evaluate() -> str:
        from ...evaluation.report import html_report  # the eval code loads only when asked for
        from ...evaluation.run import run_eval

        return html_report(run_eval(evals_dir() / "config.toml", wb, quick=True))

    e_go.click(evaluate, None, e_report, concurrency_id="model", concurrency_limit=1)
    return EvalsPage(e_report)
