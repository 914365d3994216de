"""One exception base with a short tree. Each error carries a hint saying what to do next.

Only the CLI and the UI turn these into messages; the core raises them and never prints.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose."""

    default_hint = "请检查输入后重试。"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return self.message


class ConfigError(WorkbenchError):
    """A setting is malformed or names something that does not exist."""

    default_hint = "检查 WORKBENCH_* 环境变量或命令行参数。"


class InputError(WorkbenchError):
    """A file or text the user gave cannot be used (empty, binary, corrupt, too large…)."""


class NotFoundError(WorkbenchError):
    """A document id or path is not in the library."""

    default_hint = "用 `workbench list` 查看库中的文档。"


class AccessError(WorkbenchError):
    """The logged-in user may not change this document (it is another user's)."""

    default_hint = "只能删除或修改自己上传的文档；如需处理他人的文档，请联系管理员。"


class StoreError(WorkbenchError):
    """The store cannot be opened or written."""

    default_hint = "检查存储目录（--store / WORKBENCH_HOME）或 Chroma 服务器地址。"


class StoreBusyError(StoreError):
    """Another process is writing the same embedded store."""

    default_hint = "另一个进程正在写入该库；等它结束后重试，或用 --store 指定另一个库。"


class EmbedderMismatchError(StoreError):
    """The store was built with another embedder; vectors of different models must not mix."""


class ModelError(WorkbenchError):
    """A model is missing, broken or unreachable."""

    default_hint = "按 README 安装模型包，或用设置指向本单位自己的模型。"
