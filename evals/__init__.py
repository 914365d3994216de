"""The eval sets, shipped in the wheel as ``workbench.evals`` (data only; builders are scripts)."""
