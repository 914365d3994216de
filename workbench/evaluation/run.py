"""``workbench eval``: run the datasets under evals/, compare with thresholds, write JSON and HTML reports."""

from __future__ import annotations

import json
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from ..backends.embed import FakeEmbedder, make_embedder
from ..backends.llm import LLM, FakeLLM
from ..backends.models import judge_threshold
from ..check.numbers import quantities
from ..config import Settings
from ..core import Workbench
from ..data import resolve
from ..errors import ConfigError, InputError
from ..library.documents import load_document
from ..write.condense_parts import coverage, figures_kept, top_level
from .claims import ensure_built, judged, run_claim_set, run_recombined
from .metrics import balanced_accuracy_for, faithfulness_metrics, first_rank, retrieval_metrics
from .plans import run_plancheck

SUPPORTED_KINDS = ("original", "shortened", "number_cn", "synonym")


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ConfigError(f"找不到评测集 {path}", "先运行 evals/ 下的生成脚本，或检查 config.toml 中的路径。")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_faithfulness(
    rows: list[dict[str, Any]], llm: LLM | None = None, threshold: float = 0.5
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics and per-item results of the checker on {source, claim, label, kind} items: the rules, and the
    model judge on what they leave open when ``llm`` is given."""
    results, seconds = judged(rows, llm, threshold)
    flags = [c.verdict == "unsupported" for c in results]
    items = [
        {
            **{k: row[k] for k in ("claim", "label", "kind")},
            "verdict": claim.verdict,
            "reason": claim.reason,
            "evidence": claim.evidence[:1],
        }
        for row, claim in zip(rows, results, strict=True)
    ]
    metrics = faithfulness_metrics([r["label"] for r in rows], flags, [r["kind"] for r in rows])
    metrics["balanced_accuracy_number_date"] = balanced_accuracy_for(
        metrics, ["number", "date"], SUPPORTED_KINDS
    )
    metrics["verbatim_false_flags"] = sum(
        f for f, r in zip(flags, rows, strict=True) if r["kind"] == "original"
    )
    metrics["claims_per_second"] = round(len(rows) / seconds, 1) if seconds else 0.0
    return metrics, items


def run_retrieval(
    rows: list[dict[str, Any]],
    corpus: Path,
    embedder: str,
    settings: Settings,
    documents: bool = False,
    home: Path | None = None,
) -> dict[str, Any]:
    """hit@1/hit@5/MRR of hybrid search over a library of ``corpus`` (the user's library untouched): a fresh one,
    or the cached one at ``home`` (ingest only embeds what changed). ``documents``: document mode, as 查找范文
    ranks. Rows with a "group" also get ``<group>_hit@1`` and so on."""
    with tempfile.TemporaryDirectory() as tmp:
        wb = Workbench(settings.model_copy(update={"home": home or Path(tmp), "embedder": embedder}))
        wb.ingest([corpus], progress=False)
        name_of = {d.doc_id: Path(p).name for d in wb.list_documents() for p in d.paths}
        ranks: dict[str, list[int | None]] = {"": []}
        for row in rows:
            hits = wb.search(row["query"], k=10, documents=documents)
            rank = first_rank(list(dict.fromkeys(name_of.get(h.doc_id, "") for h in hits)), row["doc"])
            ranks[""].append(rank)
            if row.get("group"):
                ranks.setdefault(row["group"], []).append(rank)
    out: dict[str, Any] = {}
    for group, found in ranks.items():
        prefix = f"{group}_" if group else ""
        out.update({prefix + k: round(v, 4) for k, v in retrieval_metrics(found).items()})
    return out


def number_precision(summary: str, source: str) -> float:
    """Share of the summary's numbers that the source states (1.0 when the summary has none)."""
    found = quantities(summary)
    if not found:
        return 1.0
    values = {(q.value, q.unit) for q in quantities(source)} | {(q.value, "") for q in quantities(source)}
    return sum((q.value, q.unit) in values or (q.value, "") in values for q in found) / len(found)


def run_summaries(corpus: Path, chars: int, llm: LLM, settings: Settings) -> dict[str, Any]:
    """Condense every report in ``corpus`` and check each summary against its report: precision, length, the
    share of top-level sections with a summary sentence traced to them, and key figures kept (against one per
    100 characters, or as many as the report has)."""
    wb = Workbench(settings.model_copy(update={"embedder": "fake"}), llm=llm)  # no library needed
    rows: list[dict[str, Any]] = []
    for path in sorted(p for p in corpus.iterdir() if p.is_file()):
        doc = load_document(path, 10**8)
        text = doc.text
        want = min(chars, len(text) // 2)
        summary = wb.condense(text, want, doc.title)  # the report's own title, never its file name
        claims = summary.check.claims if summary.check else []
        kept, in_source = figures_kept(summary.summary, text)
        expected = min(in_source, want // 100)
        rows.append(
            {
                "doc": path.name,
                "sections_covered": coverage(summary.summary, top_level(text)),
                "figures_kept": min(1.0, kept / expected) if expected else 1.0,
                "number_precision": number_precision(summary.summary, text),
                "unsupported_rate": sum(c.verdict == "unsupported" for c in claims) / max(1, len(claims)),
                "within_length": abs(summary.chars - want) <= 0.15 * want,
                "score": summary.check.score if summary.check else 1.0,
                "seconds": summary.seconds,
            }
        )
    n = max(1, len(rows))
    return {
        "n": len(rows),
        "number_precision": round(sum(r["number_precision"] for r in rows) / n, 4),
        "unsupported_rate": round(sum(r["unsupported_rate"] for r in rows) / n, 4),
        "length_compliance": round(sum(r["within_length"] for r in rows) / n, 4),
        "sections_covered": round(sum(r["sections_covered"] for r in rows) / n, 4),
        "figures_kept": round(sum(r["figures_kept"] for r in rows) / n, 4),
        "seconds": round(sum(r["seconds"] for r in rows), 1),
        "items": rows,
    }


def run_drafts(rows: list[dict[str, Any]], corpus: Path, llm: LLM, settings: Settings) -> dict[str, Any]:
    """Draft from each fact sheet (precedents from ``corpus``): invented numbers, dates and names left in the
    final text, facts carried (coverage), repairs, and the missing elements shown as placeholders."""
    with tempfile.TemporaryDirectory() as home:
        wb = Workbench(
            settings.model_copy(update={"home": Path(home), "embedder": "fake"}),
            embedder=FakeEmbedder(),
            llm=llm,
        )
        wb.ingest([corpus], progress=False)
        items = []
        refused = []
        for row in rows:
            try:
                draft = wb.draft(row["type"], row["facts"], row.get("unit", ""), row.get("period", ""))
            except InputError as exc:  # a sheet with nothing to trace (no figure, date or name) is refused
                refused.append({"type": row["type"], "reason": exc.message})
                continue
            spans = draft.check.unsupported_spans if draft.check else []
            invented = [s for s in spans if s.check in ("number", "date", "name")]
            facts = [e for e in draft.ledger if e.get("role") == "fact"]
            missing = row.get("missing", [])
            items.append(
                {
                    "type": row["type"],
                    "invented": [f"{s.check}:{s.text}" for s in invented],
                    "coverage": sum(bool(e["used_in"]) for e in facts) / max(1, len(facts)),
                    "repairs": len(draft.repairs),
                    "placeholders_shown": sum(f"【待补：{m}】" in draft.text for m in missing)
                    / max(1, len(missing)),
                    "score": draft.check.score if draft.check else 1.0,
                    "seconds": draft.seconds,
                    "first_token_seconds": draft.first_token_seconds,
                }
            )
    n = max(1, len(items))
    return {
        "n": len(items),
        "invented_per_draft": round(sum(len(i["invented"]) for i in items) / n, 3),
        "clean_share": round(sum(not i["invented"] for i in items) / n, 4),
        "coverage": round(sum(i["coverage"] for i in items) / n, 4),
        "repairs_per_draft": round(sum(i["repairs"] for i in items) / n, 3),
        "placeholders_shown": round(sum(i["placeholders_shown"] for i in items) / n, 4),
        "seconds_mean": round(sum(i["seconds"] for i in items) / n, 2),
        "refused": len(refused),
        "items": items + refused,
    }


def thresholds_passed(result: dict[str, Any], thresholds: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Each threshold "section.metric" → {value, min, passed}; a missing value fails, unless its whole section
    was skipped (a set built from ../shared/corpus, where that is absent)."""
    out = {}
    for key, minimum in thresholds.items():
        section, _, metric = key.partition(".")
        value = result.get(section, {}).get(metric)
        skipped = bool(result.get(section, {}).get("skipped"))
        passed = skipped or (value is not None and value >= minimum)
        out[key] = {
            "value": value,
            "min": minimum,
            "passed": passed,
            **({"skipped": True} if skipped else {}),
        }
    return out


def _dataset(cfg: dict[str, Any], base: Path, home: Path, quick: bool) -> Path | dict[str, str]:
    """A set's file, built on first use where the config says how; or why it is skipped (``full_only`` under
    --quick, or a builder that needs ../shared/corpus where it is absent)."""
    if quick and cfg.get("full_only"):
        return {"skipped": "--quick"}
    dataset = resolve(base, cfg["dataset"], home)
    if "build" in cfg and not ensure_built(dataset, base / cfg["build"]):
        return {"skipped": f"{dataset} 不存在（需要 ../shared/corpus）"}
    return dataset


def run_eval(
    config_path: Path, wb: Workbench, quick: bool = False, embedder: str | None = None
) -> dict[str, Any]:
    """Run what the config names with ``wb``'s settings and models; the result has "passed" and, under
    "worst", the items people should read. Corpora are ingested into temporary libraries, never ``wb``'s."""
    try:
        config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"无法读取评测配置 {config_path}：{exc}") from exc
    base = config_path.parent
    settings = wb.settings
    result: dict[str, Any] = {}
    t0 = time.perf_counter()
    faith_cfg = config.get("faithfulness", {})
    if faith_cfg:
        rows = _jsonl(base / faith_cfg["dataset"])
        if quick:
            rows = rows[:: max(1, int(faith_cfg.get("quick_every", 2)))]
        judge = bool(faith_cfg.get("judge", False)) and not quick
        llm = wb.llm if judge else None
        metrics, items = run_faithfulness(rows, llm, judge_threshold(settings))
        metrics["judge"] = llm.name if llm else None
        result["faithfulness"] = metrics
        result["worst"] = [
            i for i in items if (i["verdict"] == "unsupported") != (i["label"] == "unsupported")
        ]
    for name in ("handwritten", "realtext", "recombined"):
        cfg = config.get(name, {})
        if not cfg:
            continue
        dataset = _dataset(cfg, base, settings.home, quick)
        if isinstance(dataset, dict):
            result[name] = dataset
            continue
        llm = wb.llm if cfg.get("judge", False) and not quick else None
        run = run_recombined if name == "recombined" else run_claim_set
        result[name] = run(_jsonl(dataset), llm, judge_threshold(settings))
    for name in ("retrieval", "retrieval_paraphrase", "retrieval_real"):
        retr_cfg = config.get(name, {})
        if not retr_cfg:
            continue
        dataset = _dataset(retr_cfg, base, settings.home, quick)
        if isinstance(dataset, dict):
            result[name] = dataset
            continue
        chosen = embedder or ("fake" if quick else retr_cfg.get("embedder", "e5-small"))
        home = None
        if "cache" in retr_cfg:  # a large library, embedded once per embedder and kept beside the set
            cache = resolve(base, retr_cfg["cache"], settings.home)
            home = cache.with_name(f"{cache.name}-{chosen.replace(':', '_').replace('/', '_')}")
        corpus = resolve(base, retr_cfg["corpus"], settings.home)
        documents = bool(retr_cfg.get("documents", False))
        result[name] = {
            **run_retrieval(_jsonl(dataset), corpus, chosen, settings, documents, home),
            "embedder": chosen,
            "mode": "documents" if documents else "chunks",
        }
    # --quick uses the fake LLM (it echoes its sources: a check of the plumbing, not of a model).
    writing = settings.model_copy(update={"llm": "fake"}) if quick else settings
    writing_llm: LLM | None = None
    if config.get("summaries") or config.get("drafts"):
        writing_llm = FakeLLM() if quick else wb.llm
    sum_cfg = config.get("summaries", {})
    if sum_cfg and writing_llm is not None:
        result["summaries"] = run_summaries(
            resolve(base, sum_cfg["corpus"]), int(sum_cfg.get("chars", 300)), writing_llm, writing
        )
    draft_cfg = config.get("drafts", {})
    if draft_cfg and writing_llm is not None:
        result["drafts"] = run_drafts(
            _jsonl(base / draft_cfg["factsheets"]), resolve(base, draft_cfg["corpus"]), writing_llm, writing
        )
    plan_cfg = config.get("plancheck", {})
    if plan_cfg:
        # --quick: the fakes (the plumbing and the rules); the full run: the configured embedder and LLM.
        plan_llm = FakeLLM() if quick else wb.llm
        chosen_embedder = settings.model_copy(update={"embedder": embedder}) if embedder else None
        plan_embedder = (
            FakeEmbedder() if quick else make_embedder(chosen_embedder) if chosen_embedder else wb.embedder
        )
        result["plancheck"] = run_plancheck(
            _jsonl(base / plan_cfg["dataset"]),
            writing,
            plan_llm,
            plan_embedder,
            bool(plan_cfg.get("draft", True)),
        )
    thresholds = {k: float(v) for k, v in config.get("thresholds", {}).items()}
    if quick:
        thresholds.update({k: float(v) for k, v in config.get("quick_thresholds", {}).items()})
    result["thresholds"] = thresholds_passed(result, thresholds)
    result["passed"] = all(t["passed"] for t in result["thresholds"].values())
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result
