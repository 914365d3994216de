"""Who may see and touch which document: one rule, used for the listing, the Chroma ``where`` and keyword hits.

A document has an owner (the user who uploaded it; "" for the site library, which the CLI ingests) and a
visibility: 私有 (the owner only), 本单位 (users of the owner's unit too) or 全部. Stores written before owners
existed hold neither field: such documents are the site library, visible to all. Admins see and manage all;
no viewer (``None``: no login) is the single local user, who does too.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..types import PRIVATE, UNIT, VISIBILITY_LABELS, Viewer

Where = dict[str, Any]
_LIMITED = [PRIVATE, UNIT]  # anything else, a missing field included, is visible to all


def may_see(viewer: Viewer | None, owner: str, owner_unit: str, visibility: str) -> bool:
    """Whether ``viewer`` may see a document with this owner and visibility (the rule ``where_for`` encodes)."""
    if viewer is None or viewer.admin or visibility not in _LIMITED:
        return True
    if owner and owner == viewer.user:
        return True
    # A user with no unit shares 本单位 with nobody: two such users are not one unit.
    return visibility == UNIT and bool(viewer.unit) and owner_unit == viewer.unit


def may_manage(viewer: Viewer | None, owner: str) -> bool:
    """Whether ``viewer`` may delete the document or change its visibility: its owner, or an admin."""
    return viewer is None or viewer.admin or (bool(owner) and owner == viewer.user)


def where_for(viewer: Viewer | None) -> Where | None:
    """The Chroma ``where`` clause of ``may_see`` over chunk metadata; None when the viewer sees all.

    ``$nin`` also matches chunks without the field, so chunks of an older store stay visible."""
    if viewer is None or viewer.admin:
        return None
    clauses: list[Where] = [{"visibility": {"$nin": _LIMITED}}]
    if viewer.user:  # a nameless viewer must not match the site library's empty owner
        clauses.append({"owner": viewer.user})
    if viewer.unit:
        clauses.append({"$and": [{"visibility": UNIT}, {"owner_unit": viewer.unit}]})
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def combine(*clauses: Where | None) -> Where | None:
    """Clauses that are set, joined by ``$and``."""
    present = [c for c in clauses if c]
    if not present:
        return None
    return present[0] if len(present) == 1 else {"$and": present}


def parse_visibility(value: str) -> str:
    """A visibility from its code or its Chinese label (私有 / 本单位 / 全部)."""
    codes = {**{v: k for k, v in VISIBILITY_LABELS.items()}, **{k: k for k in VISIBILITY_LABELS}}
    if value.strip() not in codes:
        raise InputError(f"未知的可见范围“{value}”", "可选：私有、本单位、全部。")
    return codes[value.strip()]
