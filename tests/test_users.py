"""Per-user libraries: the visibility rule as a table, and the façade filtering by it everywhere it reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench import AccessError, FakeEmbedder, NotFoundError, Settings, Viewer, Workbench
from workbench.library.access import may_manage, may_see, where_for
from workbench.types import EVERYONE, PRIVATE, UNIT

A = Viewer("zhang", "东湖小学")
B = Viewer("li", "西湖小学")
A2 = Viewer("wang", "东湖小学")  # A's colleague
NOUNIT = Viewer("zhao")
NOUNIT2 = Viewer("qian")
ADMIN = Viewer("root", "教育局", admin=True)


# viewer, owner, owner's unit, visibility → may see
SEE = [
    (None, "zhang", "东湖小学", PRIVATE, True),  # no login: the one local user sees all
    (ADMIN, "zhang", "东湖小学", PRIVATE, True),
    (A, "zhang", "东湖小学", PRIVATE, True),  # own
    (B, "zhang", "东湖小学", PRIVATE, False),
    (A2, "zhang", "东湖小学", PRIVATE, False),  # same unit, but private
    (A2, "zhang", "东湖小学", UNIT, True),
    (B, "zhang", "东湖小学", UNIT, False),
    (B, "zhang", "东湖小学", EVERYONE, True),
    (B, "", "", EVERYONE, True),  # the site library
    (B, "", "", "", True),  # an older store: no fields at all
    (NOUNIT2, "zhao", "", UNIT, False),  # no unit shares with nobody
    (NOUNIT, "zhao", "", UNIT, True),
    (Viewer(""), "", "", PRIVATE, False),  # a nameless viewer owns nothing
]


@pytest.mark.parametrize(("viewer", "owner", "unit", "visibility", "seen"), SEE)
def test_who_sees_what(viewer: Viewer | None, owner: str, unit: str, visibility: str, seen: bool) -> None:
    assert may_see(viewer, owner, unit, visibility) is seen


MANAGE = [
    (None, "zhang", True),
    (ADMIN, "zhang", True),
    (ADMIN, "", True),  # the site library: admins only
    (A, "zhang", True),
    (B, "zhang", False),
    (A2, "zhang", False),  # a colleague may see a 本单位 document, not delete it
    (A, "", False),
    (Viewer(""), "", False),
]


@pytest.mark.parametrize(("viewer", "owner", "manages"), MANAGE)
def test_who_manages_what(viewer: Viewer | None, owner: str, manages: bool) -> None:
    assert may_manage(viewer, owner) is manages


def test_where_clause_agrees_with_the_rule(tmp_path: Path) -> None:
    """The Chroma clause, run on Chroma, picks exactly the rows the pure rule allows (missing fields too)."""
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "c"))
    col = client.create_collection("rule", embedding_function=None)
    rows = [(o, u, v) for _, o, u, v, _ in SEE]
    col.add(
        ids=[str(i) for i in range(len(rows))],
        embeddings=np.ones((len(rows), 1), dtype=np.float32),
        metadatas=[
            {"n": i, **({"owner": o, "owner_unit": u, "visibility": v} if v else {})}
            for i, (o, u, v) in enumerate(rows)
        ],
    )
    for viewer in (A, B, A2, NOUNIT, NOUNIT2, ADMIN, Viewer("")):
        where = where_for(viewer)
        got = set(col.get(where=where)["ids"]) if where else {str(i) for i in range(len(rows))}
        want = {str(i) for i, (o, u, v) in enumerate(rows) if may_see(viewer, o, u, v or EVERYONE)}
        assert got == want, viewer


# -- the façade ------------------------------------------------------------------------------------------
def _report(tmp: Path, name: str, body: str) -> Path:
    path = tmp / name
    path.write_text(f"{name.removesuffix('.txt')}\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def library(wb: Workbench, tmp_path: Path) -> dict[str, str]:
    """A site document (CLI ingest) and one upload each of A (private), A (本单位) and B (全部)."""
    up = tmp_path / "incoming"
    up.mkdir()
    ids = {}
    wb.ingest([_report(up, "教育局2024年工作要点.txt", "全市推进课后服务，覆盖学校120所。")], progress=False)
    ids["site"] = wb.list_documents()[0].doc_id
    for key, who, vis, name, body in [
        ("a_private", A, PRIVATE, "东湖小学读书节简报.txt", "东湖小学读书节开幕，1200名学生参加。"),
        ("a_unit", A, UNIT, "东湖小学教研活动简报.txt", "东湖小学开展教研活动，听课评课36节。"),
        ("b_all", B, EVERYONE, "西湖小学运动会简报.txt", "西湖小学秋季运动会举行，800名学生参加。"),
    ]:
        saved = wb.save_upload(_report(up, name, body), owner=who)
        wb.ingest([saved], progress=False, owner=who, visibility=vis)
        ids[key] = next(d.doc_id for d in wb.list_documents(viewer=who) if d.title in name)
    return ids


def _seen(wb: Workbench, viewer: Viewer | None) -> set[str]:
    return {d.doc_id for d in wb.list_documents(viewer=viewer)}


def test_each_user_lists_what_they_may_see(wb: Workbench, library: dict[str, str]) -> None:
    everything = set(library.values())
    assert _seen(wb, None) == _seen(wb, ADMIN) == everything
    assert _seen(wb, A) == everything
    assert _seen(wb, B) == {library["site"], library["b_all"]}
    assert _seen(wb, A2) == {library["site"], library["a_unit"], library["b_all"]}
    info = {d.doc_id: d for d in wb.list_documents()}
    assert (info[library["a_private"]].owner, info[library["a_private"]].visibility) == ("zhang", PRIVATE)
    assert (info[library["site"]].owner, info[library["site"]].visibility) == ("", EVERYONE)


@pytest.mark.parametrize("documents", [False, True])
@pytest.mark.parametrize("mode", ["hybrid", "dense", "keyword"])
def test_search_finds_only_visible_chunks(
    wb: Workbench, library: dict[str, str], mode: str, documents: bool
) -> None:
    query = "东湖小学读书节简报 读书节 学生"

    def found(viewer: Viewer) -> set[str]:
        return {h.doc_id for h in wb.search(query, 10, mode=mode, documents=documents, viewer=viewer)}

    assert library["a_private"] in found(A) and library["a_private"] in found(ADMIN)
    for viewer in (B, A2):
        assert library["a_private"] not in found(viewer) and found(viewer) <= _seen(wb, viewer)


def test_plan_facts_only_from_visible_documents(wb: Workbench, library: dict[str, str]) -> None:
    sources = {f.source for f in wb.plan_facts(viewer=B)}
    assert "东湖小学读书节简报" in {f.source for f in wb.plan_facts(viewer=A)}
    assert "东湖小学读书节简报" not in sources and "西湖小学运动会简报" in sources


def test_precedents_and_text_only_of_visible_documents(wb: Workbench, library: dict[str, str]) -> None:
    facts = "东湖小学读书节开幕，1200名学生参加。"
    assert library["a_private"] in {d.doc_id for d in wb.precedent_candidates("活动简报", facts, viewer=A)}
    seen_by_b = {d.doc_id for d in wb.precedent_candidates("活动简报", facts, viewer=B)}
    assert library["a_private"] not in seen_by_b and seen_by_b <= _seen(wb, B)
    assert all(p.doc_id != library["a_private"] for p in wb.precedents("活动简报", facts, viewer=B))
    with pytest.raises(NotFoundError):  # pinned by id: not found, as if it did not exist
        wb.precedents("活动简报", facts, pinned=[library["a_private"]], viewer=B)
    with pytest.raises(NotFoundError):
        wb.outline("活动简报", facts, pinned=[library["a_private"]], viewer=B)
    with pytest.raises(NotFoundError):
        wb.draft("活动简报", facts, pinned=[library["a_private"]], viewer=B)
    assert "1200名" in wb.document_text(library["a_private"], A)
    with pytest.raises(NotFoundError):
        wb.document_text(library["a_private"], B)
    assert "36节" in wb.document_text(library["a_unit"], A2)  # 本单位


def test_remove_only_what_one_owns(wb: Workbench, library: dict[str, str], settings: Settings) -> None:
    with pytest.raises(NotFoundError):  # invisible: B learns nothing about it
        wb.remove(library["a_private"], B)
    with pytest.raises(AccessError, match="用户 zhang 的文档"):  # visible (本单位) but not A2's
        wb.remove(library["a_unit"], A2)
    with pytest.raises(AccessError, match="全站范文库"):
        wb.remove(library["site"], A)
    uploads = settings.home / "uploads"
    [kept] = [d for d in wb.list_documents(viewer=A) if d.doc_id == library["a_private"]]
    assert Path(kept.path).is_file() and Path(kept.path).is_relative_to(uploads / "by-user" / "zhang")
    assert wb.remove(library["a_private"], A) == 1
    assert not Path(kept.path).exists()  # the uploaded file goes with the document
    assert wb.remove(library["b_all"], ADMIN) == 1
    assert _seen(wb, None) == {library["site"], library["a_unit"]}
    assert not (uploads / "by-user" / "li").exists()  # the user's emptied folder too


def test_set_visibility_shares_and_unshares(wb: Workbench, library: dict[str, str]) -> None:
    doc = library["a_private"]
    with pytest.raises(NotFoundError):
        wb.set_visibility(doc, "全部", B)
    assert wb.set_visibility(doc, "本单位", A).visibility == UNIT
    assert doc in _seen(wb, A2) and doc not in _seen(wb, B)
    assert doc in {h.doc_id for h in wb.search("东湖小学 读书节", 10, viewer=A2)}
    with pytest.raises(AccessError):
        wb.set_visibility(doc, "全部", A2)
    wb.set_visibility(doc, "全部", A)
    assert doc in {h.doc_id for h in wb.search("东湖小学 读书节", 10, mode="dense", viewer=B)}
    wb.set_visibility(doc, PRIVATE, ADMIN)
    assert doc not in {h.doc_id for h in wb.search("东湖小学 读书节", 10, viewer=B)}
    with pytest.raises(AccessError, match="全站范文库"):
        wb.set_visibility(library["site"], "私有", ADMIN)


def test_two_users_uploading_the_same_report_each_keep_theirs(wb: Workbench, tmp_path: Path) -> None:
    report = _report(tmp_path, "同一份简报.txt", "某校开展安全教育，全体师生参加演练。")
    for who in (A, B):
        wb.ingest([wb.save_upload(report, owner=who)], progress=False, owner=who, visibility=PRIVATE)
    mine, theirs = _seen(wb, A), _seen(wb, B)
    assert len(mine) == len(theirs) == 1 and mine != theirs
    wb.remove(next(iter(mine)), A)
    assert _seen(wb, B) == theirs


def test_refused_uploads_leave_nothing_in_uploads(wb: Workbench, tmp_path: Path, settings: Settings) -> None:
    import zipfile

    good = _report(tmp_path, "好的简报.txt", "某校开展安全教育，全体师生参加演练。")
    nul = tmp_path / "零字节.txt"
    nul.write_bytes(bytes(4096))
    bundle = tmp_path / "一包.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("坏的.txt", bytes(4096))
        zf.writestr("照片.jpg", b"not a report")
    report = wb.ingest_uploads([good, nul, bundle], owner=A)
    assert report.added == 1 and report.errors and report.skipped
    mine = settings.home / "uploads" / "by-user" / "zhang"
    assert [p.name for p in mine.rglob("*")] == ["好的简报.txt"]
    assert {d.title for d in wb.list_documents(viewer=B)}.isdisjoint({"好的简报"})


def test_an_older_store_without_owner_fields_is_the_site_library(wb: Workbench, samples: Path) -> None:
    wb.ingest([samples], progress=False)
    store = wb.store
    drop = {"owner": None, "owner_unit": None, "visibility": None}  # None deletes a key in Chroma
    ids, _, _ = store.chunks_of(list(store.records()))
    store._chunks.update(ids=ids, metadatas=[drop] * len(ids))
    store._docs.update(ids=list(store.records()), metadatas=[drop] * len(store.records()))
    store.commit()
    assert all("visibility" not in m for m in store.dump(chunks=True)[2])
    old = Workbench(wb.settings, embedder=FakeEmbedder())
    assert _seen(old, B) == _seen(old, None) and len(_seen(old, B)) == len(store.records())
    for mode in ("dense", "keyword"):
        assert old.search("主题党日", 5, mode=mode, viewer=B)


# -- the users file ----------------------------------------------------------------------------------------
def test_users_file_carries_unit_and_admin(tmp_path: Path) -> None:
    from argon2 import PasswordHasher

    from workbench import ConfigError
    from workbench.ui import load_profiles, load_users, users_line

    digest = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("pw")
    users = tmp_path / "users.txt"
    lines = [users_line("zhang", digest, "东湖小学"), users_line("root", digest, admin=True), f"old:{digest}"]
    users.write_text("\n".join(["# 注释", *lines, ""]), encoding="utf-8")
    assert load_profiles(users) == {
        "zhang": Viewer("zhang", "东湖小学"),
        "root": Viewer("root", "", admin=True),
        "old": Viewer("old"),  # the format before units: still read
    }
    assert load_users("", users) == {"zhang": digest, "root": digest, "old": digest}
    for bad in [f"zhang:{digest}:东湖小学", f"zhang:{digest}:admin:x", "zhang", f":{digest}"]:
        users.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match="第 1 行格式不对"):
            load_profiles(users)
    with pytest.raises(ConfigError):
        users_line("a:b", digest)
