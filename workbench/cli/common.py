"""What the command runners share: the settings from ``--store``, id lists, the exit-1-with-result signal."""

from __future__ import annotations

import argparse
from typing import Any

from ..config import Settings


class Failed(Exception):
    """An eval that ran but missed a threshold: print the result, exit 1."""

    def __init__(self, result: dict[str, Any]) -> None:
        super().__init__("thresholds missed")
        self.result = result


def settings(args: argparse.Namespace) -> Settings:
    """The settings for ``--store`` (else the default home)."""
    if args.store is not None:
        return Settings(home=args.store)
    return Settings()


def ids(text: str) -> list[str]:
    """Comma-separated document ids, blanks dropped."""
    return [d.strip() for d in text.split(",") if d.strip()]
