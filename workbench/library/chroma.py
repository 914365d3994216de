"""Opening Chroma (embedded, or a server at ``WORKBENCH_CHROMA_URL``) and its ``where`` filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from ..config import Settings
from ..errors import StoreError

Where = dict[str, Any]


def build_where(type: str | None = None, year: int | None = None, unit: str | None = None) -> Where | None:
    """A Chroma ``where`` clause for the metadata filters that are set."""
    clauses: list[Where] = []
    if type:
        clauses.append({"type": type})
    if year is not None:
        clauses.append({"year": int(year)})
    if unit:
        clauses.append({"unit": unit})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def open_client(settings: Settings) -> Any:
    """A Chroma client for the settings; anything Chroma raises becomes a ``StoreError``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)  # documents never leave the machine
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            if not url.hostname:
                raise StoreError(
                    f"Chroma 服务器地址无效：{settings.chroma_url}", "格式如 http://127.0.0.1:8000"
                )
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many kinds; all mean "cannot open the store"
        where = settings.chroma_url or str(settings.chroma_dir)
        raise StoreError(f"无法打开向量库 {where}：{exc}") from exc
