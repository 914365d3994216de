"""Faithfulness checking: claims traced to their sources by rules (a model judge joins for what rules can't see)."""

from .report import CheckReport, ClaimResult, Finding
from .rules import RuleChecker

__all__ = ["CheckReport", "ClaimResult", "Finding", "RuleChecker"]
