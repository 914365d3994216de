"""Benchmarks: run as ``python -m bench.<name>``; they print numbers and ratios and save JSON results."""
