"""The build: folders of article files → tables (and, with ``out``, Parquet + CSV + datapackage).

Each file goes read → clean → extract on its own (in chunks, in a process pool with ``jobs > 1`` or
on a Dask cluster); workers return each chunk's facts as typed Arrow tables. A rebuild into the same
output reuses the rows of every file that has not changed (by path and stat, else by content) as
long as the extraction code and reference data are the same, and extracts only the rest. Any
failure becomes a row of ``rejected``; the build itself never fails on bad input. Tables are sorted,
checked and written one at a time (Parquet + CSV) to a fresh folder that replaces the output in one
atomic step.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .clean import clean
from .dictionary import TABLES, datapackage
from .extract import EXTRACTOR_VERSION, article_id_of, extract_article
from .gazetteer import gazetteer, reference_version
from .read import ARTICLE_SUFFIXES, Rejected, document_from_bytes
from .tables import assign_events, check_arrow, event_records, finalize_arrow, frame_of, to_arrow

__all__ = ["BuildError", "GazetteerWarning", "Tables", "build", "load", "process_bytes"]

CHUNK = 2000  # files between spills of the fact rows to disk
FACT_TABLES = [
    "articles",
    "parties",
    "participants",
    "gate_mentions",
    "route_mentions",
    "topics",
    "commodities",
    "figures",
]
_SIDECARS = {".json", ".md", ".csv", ".yml", ".yaml", ".txt~", ".ds_store", ".gitkeep"}


class GazetteerWarning(UserWarning):
    """Place names the gazetteer could not map, or aliases no article used."""


class BuildError(RuntimeError):
    """The build could not run (output locked, no sources…); bad input files never raise this."""


@dataclass
class Tables:
    """The tables of one build, as DataFrames, with the build's summary.

    Attribute access by table name: ``tables.articles``, ``tables.figures``…
    """

    frames: Mapping[str, pd.DataFrame]
    summary: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("frames", {})
        if name in frames:
            return frames[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.frames.items())
        return f"Tables({sizes})"


# --------------------------------------------------------------------------- per file
@cache
def code_version() -> str:
    """Digest of the code that turns bytes into typed fact rows (read, clean, extract, gazetteer,
    text, and the dictionary and tables code that type them): any change invalidates the cache,
    whose reused rows are the last build's typed tables, with or without a version bump."""
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    pkg = Path(__file__).resolve().parent
    own = ("read.py", "clean.py", "text.py", "gazetteer.py", "dictionary.py", "tables.py")
    for p in sorted([*pkg.glob("extract/*.py"), *(pkg / f for f in own)]):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def process_bytes(data: bytes, source: str, suffix: str, *, repair_mojibake: bool = False) -> dict[str, Any]:
    """Read, clean and extract one file's bytes; never raises.

    Returns ``{"ok": True, "facts": {...}}`` or ``{"ok": False, "reason", "detail"}``, with
    ``"timing"``: seconds spent reading (decoding), cleaning and extracting.
    """
    timing = {"read": 0.0, "clean": 0.0, "extract": 0.0}
    t0 = time.perf_counter()
    try:
        try:
            doc = document_from_bytes(data, source, suffix, repair_mojibake=repair_mojibake)
        finally:
            t1 = time.perf_counter()
            timing["read"] = t1 - t0
        art = clean(doc)
        timing["clean"] = time.perf_counter() - t1
    except Rejected as r:
        return {"ok": False, "reason": r.reason, "detail": r.detail, "timing": timing}
    except Exception as e:  # a bug must reject one file, not the build
        return {
            "ok": False,
            "reason": "extract_error",
            "detail": f"{type(e).__name__} while reading: {e}",
            "timing": timing,
        }
    t2 = time.perf_counter()
    try:
        aid = article_id_of(art)
        facts = extract_article(art, gazetteer(), article_id=aid, encoding=doc.encoding)
    except Exception as e:
        return {
            "ok": False,
            "reason": "extract_error",
            "detail": f"{type(e).__name__} while extracting: {e}",
            "timing": timing,
        }
    timing["extract"] = time.perf_counter() - t2
    return {"ok": True, "facts": facts, "timing": timing}


_LIST = pa.list_(pa.large_string())
# one row per file: its stat, the SHA-256 of its bytes, its result, and timing (also the cache index)
META_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("source", pa.large_string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("ino", pa.uint64()),
        ("key", pa.large_string()),
        ("article_id", pa.large_string()),
        ("reason", pa.large_string()),
        ("detail", pa.large_string()),
        ("unmapped", _LIST),
        ("aliases", _LIST),
        ("read_s", pa.float64()),
        ("clean_s", pa.float64()),
        ("extract_s", pa.float64()),
        ("hit", pa.bool_()),
        ("in_output", pa.bool_()),
    ]
)


def _meta(seq: int, source: str) -> dict[str, Any]:
    """What the build keeps of one file besides its facts: a row of :data:`META_SCHEMA`."""
    return {
        "seq": seq,
        "source": source,
        "size": None,
        "mtime_ns": None,
        "ctime_ns": None,
        "ino": None,
        "key": None,
        "article_id": None,
        "reason": None,
        "detail": None,
        "unmapped": [],
        "aliases": [],
        "read_s": 0.0,
        "clean_s": 0.0,
        "extract_s": 0.0,
        "hit": False,
        "in_output": False,
    }


def _work(item: tuple[str, str, bool, int]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Read, clean and extract one file: ``(meta, facts)``; ``facts`` is None for a rejected file."""
    path, source, repair, seq = item
    from .read import MAX_BYTES

    m = _meta(seq, source)
    p = Path(path)
    try:
        st = p.stat()
        m.update(size=st.st_size, mtime_ns=st.st_mtime_ns, ctime_ns=st.st_ctime_ns, ino=st.st_ino)
        if st.st_size > MAX_BYTES:
            m["reason"] = "too_large"
            m["detail"] = f"The file has {st.st_size:,} bytes; an article page is under {MAX_BYTES // 2**20} MiB."
            return m, None
        data = p.read_bytes()
        if len(data) != p.stat().st_size:
            m.update(reason="changed", detail="The file changed while it was being read.")
            return m, None
    except FileNotFoundError:
        m.update(reason="vanished", detail="The file disappeared before it could be read.")
        return m, None
    except OSError as e:
        m.update(reason="unreadable", detail=f"The file could not be read: {e.strerror or e}.")
        return m, None
    m["key"] = hashlib.sha256(data).hexdigest()
    res = process_bytes(data, source, p.suffix.lower(), repair_mojibake=repair)
    for stage, seconds in res.get("timing", {}).items():
        m[f"{stage}_s"] = seconds
    if not res["ok"]:
        m.update(reason=res["reason"], detail=res["detail"])
        return m, None
    facts = res["facts"]
    facts["articles"][0]["source"] = source
    m["article_id"] = facts["articles"][0]["article_id"]
    m["unmapped"] = [r["name"] for r in facts.get("_unmapped", [])]
    m["aliases"] = [r["alias"] for r in facts.get("_aliases", [])]
    return m, facts


def _fact_tables(done: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, pa.Table]:
    out = {}
    for k in FACT_TABLES:
        recs: list[dict[str, Any]] = []
        seqs: list[int] = []
        for m, facts in done:
            rows = facts[k]
            recs.extend(rows)
            seqs.extend([m["seq"]] * len(rows))
        out[k] = to_arrow(k, recs).append_column("_seq", pa.array(seqs, pa.int64()))
    return out


def _work_many(chunk: list[tuple[str, str, bool, int]]) -> tuple[pa.Table, dict[str, pa.Table]]:
    """A chunk of files: their metas and their facts as typed Arrow tables (with a ``_seq`` column
    naming the file of each row), so that the main process only concatenates."""
    results = [_work(it) for it in chunk]
    done = [(m, f) for m, f in results if f is not None]
    try:
        tables = _fact_tables(done)
    except Exception:  # one file's facts do not fit the dictionary: reject that file, keep the rest
        good = []
        for m, f in done:
            try:
                _fact_tables([(m, f)])
                good.append((m, f))
            except Exception as e:
                m.update(reason="extract_error", detail=f"{type(e).__name__} while typing the facts: {e}")
                m["article_id"] = None
        tables = _fact_tables(good)
    return pa.Table.from_pylist([m for m, _ in results], schema=META_SCHEMA), tables


# --------------------------------------------------------------------------- discovery
def discover(sources: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, str, str]], list[dict[str, str]]]:
    """Article files under the sources, sorted: ``(path, source, portal)``; plus unsupported files."""
    files: list[tuple[str, str, str]] = []
    unsupported = []
    for src in sources:
        root = Path(src)
        if root.is_file():
            files.append((str(root), str(root), root.parent.name))
            continue
        if not root.is_dir():
            raise BuildError(f"Source folder not found: {src}")
        base = str(root)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = os.path.relpath(dirpath, base)
            portal = root.name if rel_dir == "." else rel_dir.split(os.sep)[0]
            src_dir = base if rel_dir == "." else os.path.join(base, rel_dir)
            for fn in sorted(filenames):
                if fn.startswith("."):
                    continue
                source = os.path.join(src_dir, fn)
                suffix = os.path.splitext(fn)[1].lower()
                if suffix in ARTICLE_SUFFIXES:
                    files.append((os.path.join(dirpath, fn), source, portal))
                elif suffix not in _SIDECARS:
                    unsupported.append(
                        {
                            "source": source,
                            "reason": "unsupported_type",
                            "detail": f"'{suffix or fn}' files are not articles (.txt, .html, .htm).",
                        }
                    )
    files.sort(key=lambda x: x[1])
    return files, unsupported


# --------------------------------------------------------------------------- build
def build(
    sources: Iterable[str | os.PathLike] | str | os.PathLike,
    out: str | os.PathLike | None = None,
    *,
    jobs: int = 1,
    cache: bool = True,
    repair_mojibake: bool = False,
    progress: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
) -> Tables:
    """Build the tables from folders (or files) of articles.

    Parameters
    ----------
    sources
        Folders (searched recursively) or files of ``.txt``/``.html``/``.htm`` articles.
    out
        Folder to write ``*.parquet``, ``*.csv`` and ``datapackage.json`` to (atomically);
        ``None`` keeps the tables in memory only. With ``out``, the returned tables are read from
        the written Parquet when first used, so a build of any size holds one table at a time.
    jobs
        Worker processes for read/clean/extract (``0`` = all cores).
    cache
        Reuse the facts of files unchanged since the last build into ``out`` (matched by path,
        size and modification time, else by content), if the extraction code and reference data
        are the same; ignored without ``out``.
    repair_mojibake
        Repair UTF-8-read-as-Latin-1 files with ftfy instead of rejecting them.
    progress
        Print progress to stderr.
    engine
        ``"local"`` (a process pool of ``jobs`` workers) or ``"dask"`` (the same work as tasks on a
        Dask cluster: ``scheduler`` is its address, e.g. ``tcp://10.0.0.5:8786``; without one a
        ``LocalCluster`` of ``jobs`` workers is started). Both give byte-identical tables.

    Returns
    -------
    Tables
        ``articles``, ``events``, ``parties``, ``participants``, ``gate_mentions``,
        ``route_mentions``, ``topics``, ``commodities``, ``figures``, ``rejected``.

    Examples
    --------
    >>> t = build("data/articles/seeds")  # doctest: +SKIP
    >>> t.articles[["title", "event_date"]].head()  # doctest: +SKIP
    """
    t0 = time.perf_counter()
    started_ns = time.time_ns()
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    files, unsupported = discover(list(sources))
    out_path = Path(out) if out is not None else None
    if out_path is not None and out_path.exists() and not out_path.is_symlink() and not _is_our_output(out_path):
        raise BuildError(f"{out_path} exists and is not a borderstats output folder; choose another --out.")
    lock = _lock(out_path) if out_path is not None else _nullcontext()
    with lock, _arrow_memory(), ExitStack() as stack:
        if out_path is not None:
            out_path.parent.mkdir(parents=True, exist_ok=True)
        cache_dir = out_path.parent / f".{out_path.name}.cache" if out_path is not None else None
        prev = _Previous.open(out_path, cache_dir, repair_mojibake) if cache and cache_dir else None
        parts: list[pa.Table] = []  # metas, a table per chunk
        reused: set[int] = set()
        if prev is not None:
            hits = prev.reuse(files)
            reused = hits.seqs
            parts.append(hits.table)

        def items(seqs: Iterable[int]) -> list[tuple[str, str, bool, int]]:
            return [(files[i][0], files[i][1], repair_mojibake, i) for i in seqs]

        todo = items(i for i in range(len(files)) if i not in reused)
        spill_dir = tempfile.TemporaryDirectory(
            prefix=".borderstats-spill-", dir=out_path.parent if out_path is not None else None
        )
        stack.callback(spill_dir.cleanup)
        new = _Spill(Path(spill_dir.name))
        stack.callback(new.close)

        def run(work: list) -> None:
            runner = _run_dask(work, jobs, scheduler) if engine == "dask" else _run(work, jobs)
            pending: dict[str, list[pa.Table]] = {k: [] for k in FACT_TABLES}
            done = 0
            for chunk_metas, tables in runner:
                parts.append(chunk_metas)
                for k, t in tables.items():
                    if t.num_rows:
                        pending[k].append(t)
                done += chunk_metas.num_rows
                if done % CHUNK < chunk_metas.num_rows:  # compact small chunk tables into one per CHUNK files
                    _compact(pending, new)
                if progress:
                    print(f"\r  read/clean/extract {done:,}/{len(work):,} files", end="", file=sys.stderr, flush=True)
            _compact(pending, new)
            if progress and work:
                print(file=sys.stderr)

        run(todo)
        del todo
        metas = pa.concat_tables(parts).combine_chunks()
        parts.clear()
        _release_memory()  # what extraction freed, before the tables are assembled
        kept = _dedup(metas)
        if kept.need:  # unchanged files whose facts the last build dropped as duplicates
            run(items(kept.need))
            metas = metas.filter(pc.invert(pc.is_in(metas["seq"], value_set=pa.array(kept.need, pa.int64()))))
            metas = pa.concat_tables([metas, *parts]).combine_chunks()
            parts.clear()
            kept = _dedup(metas)
        metas = metas.set_column(
            metas.schema.get_field_index("in_output"),
            "in_output",
            pc.is_in(metas["seq"], value_set=pa.array(sorted(kept.seqs), pa.int64())),
        )
        stage: Counter[str] = Counter({k: pc.sum(metas[f"{k}_s"]).as_py() or 0.0 for k in ("read", "clean", "extract")})
        t_extract = time.perf_counter() - t0
        portal_of = {s: portal for _, s, portal in files}
        sink = _Output(out_path) if out_path is not None else _Memory()
        try:
            counts = _assemble(new, prev, kept, portal_of, unsupported, sink, stage)
            summary = _summary(counts, len(files) + len(unsupported), metas, t_extract, t0)
            summary.update(_gazetteer_report(metas))
            t_write = time.perf_counter()
            frames = sink.commit(summary)
            stage["write"] = sink.seconds + time.perf_counter() - t_write
        except BaseException:
            sink.abort()
            raise
        if cache_dir is not None and out_path is not None:
            _Previous.save(cache_dir, out_path, metas, repair_mojibake, started_ns)
        summary["seconds"] = round(time.perf_counter() - t0, 2)
        # CPU seconds per stage, summed over workers (read/clean/extract) or wall (tables/write)
        summary["seconds_by_stage"] = {k: round(v, 3) for k, v in stage.items()}
    return Tables(frames, summary)


def _compact(pending: dict[str, list[pa.Table]], into: _Spill) -> None:
    for k, parts in pending.items():
        if parts:
            into.write(k, pa.concat_tables(parts).combine_chunks())
            parts.clear()


class _Spill:
    """Fact rows written to one Arrow IPC file per table as they arrive (a record batch per
    :data:`CHUNK` files), so memory does not grow with the corpus while extracting; each table is
    read back memory-mapped (no copy) when it is assembled, and its pages released after."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.writers: dict[str, pa.ipc.RecordBatchFileWriter] = {}

    def write(self, name: str, table: pa.Table) -> None:
        if name not in self.writers:
            self.writers[name] = pa.ipc.new_file(str(self.folder / f"{name}.arrow"), table.schema)
        self.writers[name].write_table(table)

    def pop(self, name: str) -> pa.Table | None:
        writer = self.writers.pop(name, None)
        if writer is None:
            return None
        writer.close()
        return pa.ipc.open_file(pa.memory_map(str(self.folder / f"{name}.arrow"))).read_all()

    def close(self) -> None:
        for w in self.writers.values():
            w.close()
        self.writers.clear()


@dataclass
class _Kept:
    """Which files' facts go into the tables (the first file of each article, in path order)."""

    source_of: dict[str, str]  # article_id → source
    seqs: set[int]  # files whose facts are kept
    new_seqs: list[int]  # … among those extracted in this build
    old_ids: list[str]  # articles whose rows come from the last build's tables
    need: list[int]  # unchanged files whose rows the last build did not keep
    rejected: list[dict[str, str]]


def _dedup(metas: pa.Table) -> _Kept:
    k = _Kept({}, set(), [], [], [], [])
    cols = ("seq", "source", "article_id", "reason", "detail", "hit", "in_output")
    rows = zip(*(metas[c].to_pylist() for c in cols), strict=True)
    for seq, source, aid, reason, detail, hit, in_output in sorted(rows, key=lambda r: r[0]):
        if reason:
            k.rejected.append({"source": source, "reason": reason, "detail": detail})
            continue
        if aid in k.source_of:
            k.rejected.append(
                {
                    "source": source,
                    "reason": "duplicate",
                    "detail": f"Same article text as {k.source_of[aid]}; kept that one.",
                }
            )
            continue
        k.source_of[aid] = source
        k.seqs.add(seq)
        if not hit:
            k.new_seqs.append(seq)
        elif in_output:
            k.old_ids.append(aid)
        else:
            k.need.append(seq)
    return k


@cache
def _malloc_trim() -> Any:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc
    except (OSError, AttributeError):
        return None


def _release_memory() -> None:
    """Give freed heap memory back to the operating system (glibc keeps it in its arenas, so
    without this the peak is the sum of all tables' transient buffers, not the largest one)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@contextmanager
def _arrow_memory():
    """Arrow allocations of the build go to the system allocator, which gives freed memory back to
    the operating system (mimalloc keeps it), so peak memory is one table at a time, not the sum."""
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def _assemble(new, prev, kept: _Kept, portal_of, unsupported, sink, stage) -> dict[str, Any]:
    """Each table from the new chunks and the reused rows, sorted, checked and handed to ``sink``
    one at a time (parties first: articles and events need them). Returns row counts."""
    new_seqs = pa.array(sorted(kept.new_seqs), pa.int64())
    old_ids = pa.array(sorted(kept.old_ids), pa.large_string())
    counts: dict[str, Any] = {}
    order = ["parties", "articles", *(k for k in FACT_TABLES if k not in ("articles", "parties"))]
    reader = ThreadPoolExecutor(max_workers=1)  # reads the next table's old rows while this one is built
    ahead: dict[str, Future] = {}

    def old_rows(k: str) -> pa.Table | None:
        if prev is None or not len(old_ids):
            return None
        for name in order[order.index(k) : order.index(k) + 2]:
            if name not in ahead:
                ahead[name] = reader.submit(prev.rows, name, old_ids)
        return ahead.pop(k).result()

    def table(k: str) -> pa.Table:
        t_start = time.perf_counter()
        t = new.pop(k)
        if t is None:
            t = to_arrow(k, []).append_column("_seq", pa.array([], pa.int64()))
        keep = pc.is_in(t["_seq"], value_set=new_seqs)
        t = t.drop_columns(["_seq"])
        old = old_rows(k)
        if old is not None and old.num_rows:
            t = pa.concat_tables([t, old.select(t.column_names).cast(t.schema)])
            keep = pa.chunked_array([*keep.chunks, pa.array(np.ones(old.num_rows, dtype=bool))])
        out = finalize_arrow(k, t, keep)
        stage["tables"] += time.perf_counter() - t_start
        return out

    def emit(k: str, t: pa.Table) -> None:
        counts[k] = t.num_rows
        sink.add(k, t)

    try:
        return _assemble_in_order(table, emit, kept, portal_of, unsupported, counts, stage)
    finally:
        reader.shutdown(cancel_futures=True)


def _assemble_in_order(table, emit, kept, portal_of, unsupported, counts, stage) -> dict[str, Any]:
    parties = table("parties")
    party_cols = parties.select(["article_id", "side", "unit_id", "unit_name_en"]).to_pandas()
    emit("parties", parties)
    del parties
    t_start = time.perf_counter()
    arts = table("articles")
    aids = arts["article_id"].to_pylist()
    sources = [kept.source_of[a] for a in aids]
    arts = _replace(arts, "source", sources)
    arts = _replace(arts, "portal", [portal_of.get(s) for s in sources])
    cols = ["article_id", "event_date", "event_type", "location_en", "is_online", "level", "is_relevant"]
    art_cols = arts.select(cols).to_pandas()
    art_cols["event_id"] = assign_events(art_cols, party_cols)
    arts = _replace(arts, "event_id", art_cols["event_id"])
    check_arrow("articles", arts)
    counts["relevant"] = int(pc.sum(arts["is_relevant"]).as_py() or 0)
    events = finalize_arrow("events", to_arrow("events", event_records(art_cols, party_cols)))
    stage["tables"] += time.perf_counter() - t_start
    emit("articles", arts)
    emit("events", events)
    del arts, events, art_cols, party_cols
    for k in FACT_TABLES:
        if k not in ("articles", "parties"):
            emit(k, table(k))
    rejected = [*unsupported, *kept.rejected]
    counts["rejected_by_reason"] = dict(sorted(Counter(r["reason"] for r in rejected).items()))
    emit("rejected", finalize_arrow("rejected", to_arrow("rejected", rejected)))
    return counts


def _replace(table: pa.Table, name: str, values: Iterable[str | None]) -> pa.Table:
    """``table`` with string column ``name`` replaced by ``values``."""
    return table.set_column(table.schema.get_field_index(name), name, pa.array(values, pa.large_string()))


def _chunks(items: list, size: int) -> Iterator[list]:
    return (items[i : i + size] for i in range(0, len(items), size))


def _run(items, jobs: int, chunk: int = 64) -> Iterator[tuple[pa.Table, dict[str, pa.Table]]]:
    """Chunks of results in input order; at most a few chunks per worker in flight, so results
    never pile up in memory faster than the tables consume them."""
    n = (os.cpu_count() or 1) if jobs == 0 else jobs
    chunks = _chunks(items, chunk)
    if n <= 1 or len(items) < 50:
        for c in chunks:
            yield _work_many(c)
        return
    from collections import deque

    with ProcessPoolExecutor(max_workers=n) as ex:
        window: deque = deque()
        for c in chunks:
            window.append(ex.submit(_work_many, c))
            if len(window) >= 3 * n:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _run_dask(items, jobs: int, scheduler: str | None, chunk: int = 128):
    """Run the per-file work as Dask tasks (chunks of files), yielding results in input order.

    Workers must be able to import borderstats and read the source paths (a shared file system).
    """
    if not items:
        return
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = (os.cpu_count() or 1) if jobs in (0, 1) else jobs
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(_work_many, list(_chunks(items, chunk)), pure=False)
        for fut in futures:  # in order: the tables do not depend on which worker finished first
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _summary(counts, n_files: int, metas, t_extract: float, t0: float) -> dict[str, Any]:
    rej = counts["rejected_by_reason"]
    return {
        "files": n_files,
        "articles": counts["articles"],
        "relevant": counts["relevant"],
        "rejected": sum(rej.values()),
        "rejected_by_reason": rej,
        "events": counts["events"],
        "figures": counts["figures"],
        "cache_hits": int(pc.sum(metas["hit"]).as_py() or 0),
        "seconds_extract": round(t_extract, 2),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def _gazetteer_report(metas: pa.Table) -> dict[str, Any]:
    """Place names no reference row maps (with counts) and how many aliases no article used, over
    the articles kept; both also raised as :class:`GazetteerWarning`."""
    kept = metas.filter(metas["in_output"])
    unmapped = Counter(pc.list_flatten(kept["unmapped"]).to_pylist())
    used = set(pc.unique(pc.list_flatten(kept["aliases"])).to_pylist())
    top = dict(sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:50])
    unused = [a for a in gazetteer().all_aliases() if a not in used]
    if unmapped:
        warnings.warn(
            f"gazetteer: {len(unmapped)} place names were not recognised (most frequent: "
            + ", ".join(f"{k} ×{v}" for k, v in list(top.items())[:8])
            + "); add them to borderstats/reference/*.csv if they are border units",
            GazetteerWarning,
            stacklevel=3,
        )
    if unused and metas.num_rows:
        warnings.warn(
            f"gazetteer: {len(unused)} of {len(unused) + len(used)} aliases were never used by these "
            "articles (see Tables.summary['unused_aliases'])",
            GazetteerWarning,
            stacklevel=3,
        )
    return {"unmapped_names": top, "unused_aliases": len(unused)}


# --------------------------------------------------------------------------- output
_OUR_FILES = {f"{n}.{ext}" for n in TABLES for ext in ("parquet", "csv")} | {"datapackage.json", "summary.json"}
_TRANSIENT = {"vanished", "changed", "unreadable"}  # never remembered: the next build tries again


def _is_our_output(folder: Path) -> bool:
    """An existing real folder may be replaced only if it holds nothing but tables we wrote."""
    if folder.is_file():
        return False
    names = {p.name for p in folder.iterdir()}
    return not names or (names <= _OUR_FILES and "datapackage.json" in names)


def _csv_view(name: str, table: pa.Table) -> pa.Table:
    """The table as its CSV shows it: lists as JSON arrays, dates ``YYYY-MM-DD``, timestamps ISO 8601."""
    cols = []
    for f in TABLES[name].fields:
        col = table.column(f.name)
        if f.type == "list":
            col = pa.array(
                [None if v is None else json.dumps(v, ensure_ascii=False) for v in col.to_pylist()], pa.large_string()
            )
        elif f.type in ("date", "datetime"):
            fmt = "%Y-%m-%d" if f.type == "date" else "%Y-%m-%dT%H:%M:%S"
            col = pc.strftime(col.cast(pa.timestamp("s"), safe=False), format=fmt)
        cols.append(col)
    return pa.table(cols, names=[f.name for f in TABLES[name].fields])


class _Memory:
    """Where a build without ``out`` puts its tables: DataFrames in memory."""

    def __init__(self) -> None:
        self.frames: dict[str, pd.DataFrame] = {}
        self.seconds = 0.0

    def add(self, name: str, table: pa.Table) -> None:
        t0 = time.perf_counter()
        self.frames[name] = frame_of(name, table)
        self.seconds += time.perf_counter() - t0

    def commit(self, summary: dict[str, Any]) -> dict[str, pd.DataFrame]:
        return {k: self.frames[k] for k in TABLES}

    def abort(self) -> None:
        self.frames.clear()


class _Output:
    """Where a build with ``out`` puts its tables: Parquet + CSV per table in a new folder, swapped
    in atomically by :meth:`commit`.

    ``out`` becomes a symlink to ``.{name}.v-<digest>`` beside it; the previous version stays
    complete until the link is replaced, so a killed build leaves the old tables readable.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.parent = out.parent
        self.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and not out.is_symlink() and not _is_our_output(out):
            raise BuildError(
                f"{out} exists and is not a borderstats output folder; choose another --out (nothing was changed)."
            )
        self.tmp = self.parent / f".{out.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self.digests: dict[str, bytes] = {}
        self.seconds = 0.0
        # one table is written in the background while the next one is built (Arrow releases the GIL)
        self._writer = ThreadPoolExecutor(max_workers=1)
        self._pending: Future | None = None

    def add(self, name: str, table: pa.Table) -> None:
        self._wait()
        self._pending = self._writer.submit(self._write, name, table)

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def _write(self, name: str, table: pa.Table) -> None:
        t0 = time.perf_counter()
        path = self.tmp / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        pacsv.write_csv(
            _csv_view(name, table), self.tmp / f"{name}.csv", write_options=pacsv.WriteOptions(quoting_style="needed")
        )
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self.digests[name] = h.digest()
        del table
        _release_memory()
        self.seconds += time.perf_counter() - t0

    def commit(self, summary: dict[str, Any]) -> Mapping[str, pd.DataFrame]:
        self._wait()
        self._writer.shutdown()
        tmp, parent, out = self.tmp, self.parent, self.out
        (tmp / "datapackage.json").write_text(
            json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        kept = {k: v for k, v in summary.items() if not k.startswith("seconds") and k != "cache_hits"}
        (tmp / "summary.json").write_text(
            json.dumps(kept, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        digest = hashlib.sha256(b"".join(self.digests[k] for k in TABLES))
        final = parent / f".{out.name}.v-{digest.hexdigest()[:12]}"
        if final.exists():
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, final)
        if out.exists() and not out.is_symlink():
            legacy = parent / f".{out.name}.legacy-{os.getpid()}"
            os.replace(out, legacy)
            shutil.rmtree(legacy, ignore_errors=True)
        link_tmp = parent / f".{out.name}.link-{os.getpid()}"
        if link_tmp.is_symlink() or link_tmp.exists():
            link_tmp.unlink()
        os.symlink(final.name, link_tmp)
        os.replace(link_tmp, out)
        for old in parent.glob(f".{out.name}.v-*"):
            if old != final:
                shutil.rmtree(old, ignore_errors=True)
        return LazyFrames(final)

    def abort(self) -> None:
        self._writer.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


class LazyFrames(Mapping[str, pd.DataFrame]):
    """The tables of a written build, each read from its Parquet file when first used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        if name not in self._loaded:
            path = self.folder / f"{name}.parquet"
            if not path.exists():
                raise BuildError(f"{self.folder} was replaced by a newer build; load() the output folder again.")
            self._loaded[name] = frame_of(name, pq.read_table(path))
        return self._loaded[name]

    def __contains__(self, name: object) -> bool:
        return name in TABLES

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


@dataclass
class _Hits:
    seqs: set[int]
    table: pa.Table  # their metas (rows of META_SCHEMA)


class _Previous:
    """The last build into ``out``: its cache index (a row per file: size, times, inode, SHA-256 of
    the bytes, and the result: article id or rejection, unmapped names, aliases used) and its
    tables, whose rows are reused for the files that have not changed.

    A file is unchanged if its path, size, mtime, ctime and inode are those of the index (and its
    mtime is older than that build, so a write within the same clock tick is not missed), or else
    if its bytes hash to a digest in the index (a moved or touched file). The index is valid only
    for the same extraction code, reference data and ``repair_mojibake``, and the same output.
    """

    INDEX = "index.parquet"
    RACY_NS = 2_000_000_000
    COLUMNS = (
        "source",
        "size",
        "mtime_ns",
        "ctime_ns",
        "ino",
        "key",
        "article_id",
        "reason",
        "detail",
        "unmapped",
        "aliases",
        "in_output",
    )
    _STAT = ("size", "mtime_ns", "ctime_ns", "ino")

    def __init__(self, folder: Path, index: pa.Table, started_ns: int) -> None:
        self.folder = folder
        self.index = index
        self.started_ns = started_ns
        self.row_of = {s: i for i, s in enumerate(index["source"].to_pylist())}
        self.stats = list(zip(*(index[c].to_pylist() for c in self._STAT), strict=True))
        self.by_key: dict[str, int] = {}
        keys, in_output = index["key"].to_pylist(), index["in_output"].to_pylist()
        for i, (key, kept) in enumerate(zip(keys, in_output, strict=True)):
            if key and (key not in self.by_key or kept):
                self.by_key[key] = i

    @staticmethod
    def _stamp(repair: bool) -> dict[str, str]:
        return {"code": code_version(), "reference": reference_version(), "repair": str(repair)}

    @classmethod
    def open(cls, out: Path, cache_dir: Path, repair: bool) -> _Previous | None:
        index = cache_dir / cls.INDEX
        try:
            if not index.exists() or not out.is_symlink():
                return None
            t = pq.read_table(index)
            meta = {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items()}
            target = os.readlink(out)
            if any(meta.get(k) != v for k, v in cls._stamp(repair).items()) or meta.get("output") != target:
                return None
            folder = out.parent / target
            return cls(folder, t.select(list(cls.COLUMNS)), int(meta["started_ns"])) if folder.is_dir() else None
        except Exception:  # an unreadable index only costs a full build
            return None

    def _row(self, path: str, source: str) -> tuple[int, tuple] | None:
        """The index row of an unchanged file and its current stat, or None."""
        from .read import MAX_BYTES

        try:
            st = os.stat(path)
        except OSError:
            return None
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        row = self.row_of.get(source)
        if row is not None and self.stats[row] == stat and stat[1] < self.started_ns - self.RACY_NS:
            return row, stat
        if st.st_size > MAX_BYTES:
            return None
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        i = self.by_key.get(hashlib.sha256(data).hexdigest())
        return (i, stat) if i is not None and len(data) == st.st_size else None

    def reuse(self, files: list[tuple[str, str, str]]) -> _Hits:
        """The files (by position in ``files``) that need no extraction, with their metas."""
        seqs, rows, sources, stats = [], [], [], []
        for seq, (path, source, _) in enumerate(files):
            found = self._row(path, source)
            if found is not None:
                seqs.append(seq)
                rows.append(found[0])
                sources.append(source)
                stats.append(found[1])
        t = self.index.take(pa.array(rows, pa.int64()))
        n = len(seqs)
        cols = {
            "seq": pa.array(seqs, pa.int64()),
            "source": pa.array(sources, pa.large_string()),
            **{c: pa.array([s[j] for s in stats], META_SCHEMA.field(c).type) for j, c in enumerate(self._STAT)},
            **{c: t[c] for c in ("key", "article_id", "reason", "detail", "unmapped", "aliases")},
            **{c: pa.array(np.zeros(n), pa.float64()) for c in ("read_s", "clean_s", "extract_s")},
            "hit": pa.array(np.ones(n, dtype=bool)),
            "in_output": t["in_output"],
        }
        return _Hits(set(seqs), pa.table({c: cols[c] for c in META_SCHEMA.names}, schema=META_SCHEMA))

    def rows(self, name: str, article_ids: pa.Array) -> pa.Table:
        """The last build's rows of table ``name`` for these articles (``event_id`` is recomputed)."""
        t = pq.read_table(self.folder / f"{name}.parquet")
        return t.filter(pc.is_in(t["article_id"], value_set=article_ids))

    @classmethod
    def save(cls, cache_dir: Path, out: Path, metas: pa.Table, repair: bool, started_ns: int) -> None:
        """Write the index of this build (atomically) next to its output."""
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.iterdir():  # per-file caches of earlier versions
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        lasting = pc.invert(pc.is_in(metas["reason"], value_set=pa.array(sorted(_TRANSIENT), pa.large_string())))
        table = metas.filter(pc.fill_null(lasting, True)).sort_by("seq").select(list(cls.COLUMNS))
        stamp = {**cls._stamp(repair), "output": os.readlink(out), "started_ns": str(started_ns)}
        tmp = cache_dir / f".{cls.INDEX}.{os.getpid()}"
        pq.write_table(table.replace_schema_metadata(stamp), tmp, compression="zstd")
        os.replace(tmp, cache_dir / cls.INDEX)


@contextmanager
def _lock(out: Path):
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    lp = out.parent / f".{out.name}.lock"
    fh = open(lp, "w")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            raise BuildError(f"Another build is writing to {out} (lock {lp}); wait for it to finish.") from e
        yield
    finally:
        fh.close()


@contextmanager
def _nullcontext():
    yield


def load(path: str | os.PathLike) -> Tables:
    """Load tables written by :func:`build` (Parquet), with the dictionary's dtypes.

    Examples
    --------
    >>> t = load("build/dev")  # doctest: +SKIP
    >>> t.events.head()  # doctest: +SKIP
    """
    p = Path(path)
    frames = {
        name: frame_of(name, pq.read_table(p / f"{name}.parquet"))
        for name in TABLES
        if (p / f"{name}.parquet").exists()
    }
    summary = json.loads((p / "summary.json").read_text()) if (p / "summary.json").exists() else {}
    return Tables(frames, summary)
