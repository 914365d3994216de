"""Evaluation: metrics (pure), the runs behind `workbench eval`, and the HTML report."""
