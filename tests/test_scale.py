"""Parallel and distributed builds give the same bytes; the cache; faults; fuzzing the reader."""

from __future__ import annotations

import os
import shutil
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderstats import build
from borderstats.dictionary import TABLES
from borderstats.pipeline import BuildError, _lock, process_bytes

from .conftest import DEV, SEEDS


def _same_bytes(a, b):
    for name in TABLES:
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Seeds + dev corpus copied twice over (so the process pool is used), under one root."""
    root = tmp_path_factory.mktemp("corpus")
    for i in range(2):
        for src in (SEEDS, DEV):
            dst = root / f"{src.name}-{i}"
            shutil.copytree(src, dst)
            if i:  # make the copies different articles
                for p in dst.glob("*.txt"):
                    if not p.name.startswith("bad-"):
                        p.write_bytes(p.read_bytes() + b"\nPV copy\n")
    return root


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "t"
    build([corpus], out, jobs=1, cache=False)
    return out


def test_process_pool_gives_identical_bytes(corpus, serial, tmp_path):
    build([corpus], tmp_path / "t", jobs=2, cache=False)
    _same_bytes(serial, tmp_path / "t")


def test_dask_local_cluster_gives_identical_bytes(corpus, serial, tmp_path):
    pytest.importorskip("dask.distributed")
    build([corpus], tmp_path / "t", jobs=2, cache=False, engine="dask")
    _same_bytes(serial, tmp_path / "t")


def test_cache_rebuild_is_identical_and_extracts_only_the_changed_file(corpus, serial, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "t"
    first = build([src], out, cache=True)
    again = build([src], out, cache=True)
    n_files = again.summary["files"]
    assert first.summary["cache_hits"] == 0
    assert again.summary["cache_hits"] == n_files  # rejected files and duplicates included
    # a changed file is extracted again, nothing else
    victim = src / "corpus-dev-1" / "d104.txt"
    victim.write_bytes(victim.read_bytes().replace("Sáng 25/6".encode(), "Sáng 24/6".encode()))
    third = build([src], out, cache=True)
    assert third.summary["cache_hits"] == n_files - 1
    # the kept copy of an article changes: its former duplicate (whose rows the last build
    # dropped) becomes the kept one and is extracted too
    original = src / "corpus-dev-0" / "d106.html"
    assert "corpus-dev-1/d106.html" in " ".join(third.rejected.loc[third.rejected["reason"] == "duplicate", "source"])
    original.write_bytes(original.read_bytes().replace(b"<p>", "<p>Tin mới. ".encode(), 1))
    fourth = build([src], out, cache=True)
    assert fourth.summary["cache_hits"] == n_files - 2
    # a touched file (new mtime, same bytes) and a moved one are found by their content
    os.utime(src / "corpus-dev-0" / "d105.txt", ns=(0, 0))
    os.rename(src / "seeds-1", src / "seeds-moved")
    fifth = build([src], out, cache=True)
    assert fifth.summary["cache_hits"] == n_files
    fresh = tmp_path / "fresh"
    build([src], fresh, cache=False)
    _same_bytes(out, fresh)


def test_changed_rules_or_reference_data_invalidate_the_cache(tmp_path, monkeypatch):
    from borderstats import pipeline

    out = tmp_path / "t"
    build([SEEDS], out)
    assert build([SEEDS], out).summary["cache_hits"] == 5
    monkeypatch.setattr(pipeline, "reference_version", lambda: "another")
    assert build([SEEDS], out).summary["cache_hits"] == 0


def test_a_second_build_on_the_same_output_refuses(tmp_path):
    out = tmp_path / "t"
    with _lock(out), pytest.raises(BuildError, match="Another build"):
        build([SEEDS], out)


def test_a_file_that_vanishes_is_rejected_not_fatal(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    from borderstats import pipeline

    real = pipeline._work

    def flaky(item):
        if item[0].endswith("001_9a0e284281c05605.txt"):
            os.remove(item[0])
        return real(item)

    monkeypatch.setattr(pipeline, "_work", flaky)
    t = build([src])
    assert t.rejected.set_index("reason")["source"].str.endswith("001_9a0e284281c05605.txt").get("vanished")
    assert len(t.articles) == 4


def test_killed_build_leaves_previous_tables(tmp_path, monkeypatch):
    out = tmp_path / "t"
    build([SEEDS], out)
    before = {n: (out / f"{n}.parquet").read_bytes() for n in TABLES}
    from borderstats import pipeline

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.pq, "write_table", boom)
    with pytest.raises(KeyboardInterrupt):
        build([SEEDS, DEV], out)
    assert {n: (out / f"{n}.parquet").read_bytes() for n in TABLES} == before


# ------------------------------------------------------------------ fuzzing
_VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vietnamese_like = st.text(alphabet=_VI + _VI.upper() + " ,.:;/-–()0123456789\n%", min_size=0, max_size=3000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".html"]))
def test_random_bytes_never_raise(data: bytes, suffix: str):
    res = process_bytes(data, "x" + suffix, suffix)
    assert res["ok"] or (res["reason"] and res["detail"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vietnamese_like, st.sampled_from(["utf-8", "nfd", "cp1258", "html"]))
def test_random_vietnamese_text_never_raises(text: str, form: str):
    if form == "nfd":
        data, suffix = unicodedata.normalize("NFD", text).encode("utf-8"), ".txt"
    elif form == "cp1258":
        data, suffix = unicodedata.normalize("NFD", text).encode("cp1258", errors="replace"), ".txt"
    elif form == "html":
        data, suffix = f"<html><body><h1>{text[:80]}</h1><p>{text}</p></body></html>".encode(), ".html"
    else:
        data, suffix = text.encode("utf-8"), ".txt"
    res = process_bytes(data, "x" + suffix, suffix)
    assert res["ok"] or res["reason"] != "extract_error", res.get("detail")


def test_build_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    precious = tmp_path / "Documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"keep me")
    with pytest.raises(BuildError, match="not a borderstats output"):
        build([SEEDS], precious)
    assert (precious / "thesis.docx").read_bytes() == b"keep me"


@pytest.mark.parametrize("module", ["dictionary.py", "tables.py"])
def test_the_code_that_types_rows_is_part_of_the_cache_key(monkeypatch, module):
    """Reused rows are the last build's typed tables: a changed field list must not meet old rows."""
    from borderstats import pipeline

    before = pipeline.code_version()
    real = pipeline.Path.read_bytes
    monkeypatch.setattr(pipeline.Path, "read_bytes", lambda p: real(p) + (b"# changed" if p.name == module else b""))
    pipeline.code_version.cache_clear()
    try:
        assert pipeline.code_version() != before
    finally:
        monkeypatch.undo()
        pipeline.code_version.cache_clear()
