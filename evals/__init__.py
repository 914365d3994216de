"""The eval sets, shipped in the wheel as ``workbench.evals`` (data; the builders are scripts, and ``realtext``
is the real-text builder's generator)."""
