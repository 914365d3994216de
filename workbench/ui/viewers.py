"""Who a page request acts for, and Gradio's copy of an upload.

With login on, every handler passes the logged-in user's ``Viewer`` to the core, which filters the library by it.
Gradio keeps each uploaded file under its upload folder (``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``; see
``gradio.utils.get_upload_folder``) and serves anything there to any logged-in user at ``/gradio_api/file=…``.
So an upload is deleted from there as soon as the library has its own copy under ``uploads/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from ..types import Viewer


@dataclass(frozen=True)
class Viewers:
    """The ``Viewer`` of a request: ``None`` without login (one local user, who sees all); with login the
    user's profile from the users file (unit, admin), or a plain user when the file does not list them."""

    profiles: Mapping[str, Viewer] = field(default_factory=dict)

    def of(self, request: gr.Request | None) -> Viewer | None:
        name = getattr(request, "username", None) if request is not None else None
        if name is None:
            return None
        return self.profiles.get(name) or Viewer(str(name))


def forget_upload(path: str | Path) -> bool:
    """Delete Gradio's copy of an uploaded file (and its per-file folder); anything outside Gradio's upload
    folder is left alone. Returns whether a file was deleted."""
    folder = Path(get_upload_folder()).resolve()
    target = Path(path).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        return False
    target.unlink(missing_ok=True)
    with suppress(OSError):  # the folder is Gradio's hash of the file: empty now unless it holds another
        if target.parent != folder:
            target.parent.rmdir()
    return True
