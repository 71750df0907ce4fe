"""The build: folders of article files → tables (and, with ``out``, Parquet + CSV + datapackage).

Each file goes read → clean → extract on its own (in a process pool with ``jobs > 1``); results are
cached by file content, extractor version and reference-data digest, so a rebuild only extracts
what changed. Any failure becomes a row of ``rejected``; the build itself never fails on bad input.
Tables are written to a fresh folder that replaces the output in one atomic step.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from .clean import clean
from .dictionary import TABLES, datapackage
from .extract import EXTRACTOR_VERSION, article_id_of, extract_article
from .gazetteer import gazetteer, reference_version
from .read import ARTICLE_SUFFIXES, Rejected, document_from_bytes
from .tables import assign_events, events_table, finalize, to_frame, typed

__all__ = ["BuildError", "GazetteerWarning", "Tables", "build", "load", "process_bytes"]

CHUNK = 2000  # articles between compactions of the fact records
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

    frames: dict[str, pd.DataFrame]
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
    """Digest of the code that turns bytes into facts (read, clean, extract, gazetteer, text):
    any rule change invalidates the extraction cache, with or without a version bump."""
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(
        [*pkg.glob("extract/*.py"), *(pkg / f for f in ("read.py", "clean.py", "text.py", "gazetteer.py"))]
    ):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def _cache_key(data: bytes, repair_mojibake: bool) -> str:
    h = hashlib.sha256(data)
    h.update(f"|{code_version()}|{reference_version()}|{repair_mojibake}".encode())
    return h.hexdigest()


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


def _work(item: tuple[str, str, str | None, bool]) -> tuple[str, dict[str, Any], str | None]:
    path, source, cache_dir, repair = item
    from .read import MAX_BYTES

    p = Path(path)
    suffix = p.suffix.lower()
    try:
        st = p.stat()
        if st.st_size > MAX_BYTES:
            return (
                source,
                {
                    "ok": False,
                    "reason": "too_large",
                    "detail": f"The file has {st.st_size:,} bytes; an article page is under {MAX_BYTES // 2**20} MiB.",
                },
                None,
            )
        data = p.read_bytes()
        if len(data) != p.stat().st_size:
            return (
                source,
                {"ok": False, "reason": "changed", "detail": "The file changed while it was being read."},
                None,
            )
    except FileNotFoundError:
        return (
            source,
            {"ok": False, "reason": "vanished", "detail": "The file disappeared before it could be read."},
            None,
        )
    except OSError as e:
        return (
            source,
            {"ok": False, "reason": "unreadable", "detail": f"The file could not be read: {e.strerror or e}."},
            None,
        )
    key = _cache_key(data, repair)
    if cache_dir:
        cp = Path(cache_dir) / key[:2] / f"{key}.pkl"
        if cp.exists():
            try:
                res = pickle.loads(cp.read_bytes())
                return source, _with_source(res, source), "hit"
            except Exception:
                pass
    res = process_bytes(data, source, suffix, repair_mojibake=repair)
    if cache_dir:
        cp = Path(cache_dir) / key[:2] / f"{key}.pkl"
        cp.parent.mkdir(parents=True, exist_ok=True)
        tmp = cp.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cp)
    return source, res, "miss"


def _with_source(res: dict[str, Any], source: str) -> dict[str, Any]:
    if res.get("ok"):
        res["facts"]["articles"][0]["source"] = source
    return res


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
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if fn.startswith("."):
                    continue
                p = Path(dirpath) / fn
                rel = p.relative_to(root)
                source = str(Path(src) / rel)
                portal = rel.parts[0] if len(rel.parts) > 1 else root.name
                suffix = p.suffix.lower()
                if suffix in ARTICLE_SUFFIXES:
                    files.append((str(p), source, portal))
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
        ``None`` keeps the tables in memory only.
    jobs
        Worker processes for read/clean/extract (``0`` = all cores).
    cache
        Reuse extraction results from earlier builds into ``out`` (keyed by file content and
        extractor version); ignored without ``out``.
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
    if isinstance(sources, str | os.PathLike):
        sources = [sources]
    files, rejected = discover(list(sources))
    portal_of = {s: portal for _, s, portal in files}
    out_path = Path(out) if out is not None else None
    if out_path is not None and out_path.exists() and not out_path.is_symlink() and not _is_our_output(out_path):
        raise BuildError(f"{out_path} exists and is not a borderstats output folder; choose another --out.")
    cache_dir = None
    lock = _lock(out_path) if out_path is not None else _nullcontext()
    with lock:
        if out_path is not None and cache:
            cache_dir = str(out_path.parent / f".{out_path.name}.cache")
        items = [(p, s, cache_dir, repair_mojibake) for p, s, _ in files]
        records: dict[str, list[dict[str, Any]]] = {k: [] for k in FACT_TABLES}
        # records are compacted into typed frames every CHUNK articles, so memory holds the
        # output tables, not millions of small Python dicts
        chunks: dict[str, list[pd.DataFrame]] = {k: [] for k in FACT_TABLES}

        def compact() -> None:
            for k in FACT_TABLES:
                if records[k]:
                    chunks[k].append(typed(k, records[k]))
                    records[k] = []

        seen: dict[str, str] = {}
        hits = 0
        unmapped: Counter[str] = Counter()
        stage: Counter[str] = Counter()
        used_aliases: set[str] = set()
        runner = _run_dask(items, jobs, scheduler) if engine == "dask" else _run(items, jobs)
        for i, (source, res, cache_state) in enumerate(runner, 1):
            hits += cache_state == "hit"
            if cache_state != "hit":
                stage.update(res.get("timing", {}))
            if progress and (i % 200 == 0 or i == len(items)):
                print(f"\r  read/clean/extract {i:,}/{len(items):,} files", end="", file=sys.stderr, flush=True)
            if not res["ok"]:
                rejected.append({"source": source, "reason": res["reason"], "detail": res["detail"]})
                continue
            facts = res["facts"]
            aid = facts["articles"][0]["article_id"]
            if aid in seen:
                rejected.append(
                    {
                        "source": source,
                        "reason": "duplicate",
                        "detail": f"Same article text as {seen[aid]}; kept that one.",
                    }
                )
                continue
            seen[aid] = source
            facts["articles"][0]["portal"] = portal_of.get(source)
            unmapped.update(r["name"] for r in facts.get("_unmapped", []))
            used_aliases.update(r["alias"] for r in facts.get("_aliases", []))
            for k in FACT_TABLES:
                records[k].extend(facts[k])
            if len(seen) % CHUNK == 0:
                compact()
        compact()
        if progress and items:
            print(file=sys.stderr)
        t_extract = time.perf_counter() - t0
        t_tables = time.perf_counter()
        frames = _frames(chunks, rejected)
        stage["tables"] = time.perf_counter() - t_tables
        summary = _summary(
            frames, len(files) + sum(r["reason"] == "unsupported_type" for r in rejected), hits, t_extract, t0
        )
        summary["unmapped_names"] = dict(sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))[:50])
        unused = [a for a in gazetteer().all_aliases() if a not in used_aliases]
        summary["unused_aliases"] = len(unused)
        if unmapped:
            warnings.warn(
                f"gazetteer: {len(unmapped)} place names were not recognised (most frequent: "
                + ", ".join(f"{k} ×{v}" for k, v in list(summary["unmapped_names"].items())[:8])
                + "); add them to borderstats/reference/*.csv if they are border units",
                GazetteerWarning,
                stacklevel=2,
            )
        if unused and files:
            warnings.warn(
                f"gazetteer: {len(unused)} of {len(unused) + len(used_aliases)} aliases were never used by these "
                "articles (see Tables.summary['unused_aliases'])",
                GazetteerWarning,
                stacklevel=2,
            )
        tables = Tables(frames, summary)
        if out_path is not None:
            t_write = time.perf_counter()
            write(tables, out_path)
            stage["write"] = time.perf_counter() - t_write
            tables.summary["seconds"] = round(time.perf_counter() - t0, 2)
        # CPU seconds per stage, summed over workers (read/clean/extract) or wall (tables/write)
        tables.summary["seconds_by_stage"] = {k: round(v, 3) for k, v in stage.items()}
    return tables


def _run(items, jobs: int, chunk: int = 64) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """Results in input order; at most a few chunks per worker in flight, so results never pile
    up in memory faster than the tables consume them."""
    n = (os.cpu_count() or 1) if jobs == 0 else jobs
    if n <= 1 or len(items) < 50:
        for it in items:
            yield _work(it)
        return
    from collections import deque

    chunks = (items[i : i + chunk] for i in range(0, len(items), chunk))
    with ProcessPoolExecutor(max_workers=n) as ex:
        window: deque = deque()
        for c in chunks:
            window.append(ex.submit(_work_many, c))
            if len(window) >= 3 * n:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _work_many(chunk: list[tuple[str, str, str | None, bool]]) -> list[tuple[str, dict[str, Any], str | None]]:
    return [_work(it) for it in chunk]


def _run_dask(items, jobs: int, scheduler: str | None, chunk: int = 128):
    """Run the per-file work as Dask tasks (chunks of files), yielding results in input order.

    Workers must be able to import borderstats and read the source paths (a shared file system);
    the extraction cache, if any, must be on that file system too.
    """
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = (os.cpu_count() or 1) if jobs in (0, 1) else jobs
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        futures = client.map(_work_many, chunks, pure=False)
        for fut in futures:  # in order: the tables do not depend on which worker finished first
            yield from fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _frames(chunks: dict[str, list[pd.DataFrame]], rejected: list[dict[str, str]]) -> dict[str, pd.DataFrame]:
    def whole(k: str) -> pd.DataFrame:
        parts = [c for c in chunks.pop(k) if len(c)]  # released as soon as they are joined
        return pd.concat(parts, ignore_index=True) if parts else typed(k, [])

    frames = {k: finalize(k, whole(k)) for k in FACT_TABLES if k != "articles"}
    arts = whole("articles")
    arts["event_id"] = assign_events(arts, frames["parties"]).astype(arts["article_id"].dtype)
    arts = finalize("articles", arts)
    frames = {"articles": arts, "events": events_table(arts, frames["parties"]), **frames}
    frames["rejected"] = to_frame("rejected", rejected)
    return {k: frames[k] for k in TABLES}


def _summary(frames, n_files: int, hits: int, t_extract: float, t0: float) -> dict[str, Any]:
    arts, rej = frames["articles"], frames["rejected"]
    return {
        "files": n_files,
        "articles": len(arts),
        "relevant": int(arts["is_relevant"].sum()),
        "rejected": len(rej),
        "rejected_by_reason": dict(sorted(Counter(rej["reason"]).items())),
        "events": len(frames["events"]),
        "figures": len(frames["figures"]),
        "cache_hits": hits,
        "seconds_extract": round(t_extract, 2),
        "seconds": round(time.perf_counter() - t0, 2),
    }


# --------------------------------------------------------------------------- output
_OUR_FILES = {f"{n}.{ext}" for n in TABLES for ext in ("parquet", "csv")} | {"datapackage.json", "summary.json"}


def _is_our_output(folder: Path) -> bool:
    """An existing real folder may be replaced only if it holds nothing but tables we wrote."""
    if folder.is_file():
        return False
    names = {p.name for p in folder.iterdir()}
    return not names or (names <= _OUR_FILES and "datapackage.json" in names)


def _json_list(v: Any) -> str:
    return json.dumps(list(v), ensure_ascii=False)


def write(tables: Tables, out: Path) -> None:
    """Write Parquet + CSV + datapackage.json to a new folder, then swap it in atomically.

    ``out`` becomes a symlink to ``.{name}.v-<digest>`` beside it; the previous version stays
    complete until the link is replaced, so a killed build leaves the old tables readable.
    """
    out = Path(out)
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_symlink() and not _is_our_output(out):
        raise BuildError(
            f"{out} exists and is not a borderstats output folder; choose another --out (nothing was changed)."
        )
    tmp = parent / f".{out.name}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    digest = hashlib.sha256()
    for name, df in tables.frames.items():
        pq = tmp / f"{name}.parquet"
        df.to_parquet(pq, index=False, engine="pyarrow", compression="zstd")
        lists = {f.name: df[f.name].map(_json_list) for f in TABLES[name].fields if f.type == "list"}
        csv_df = df.assign(**lists) if lists else df  # shares the other columns: no copy
        for start in range(0, len(csv_df) or 1, 50_000):  # in slices: the text is never held whole
            csv_df.iloc[start : start + 50_000].to_csv(
                tmp / f"{name}.csv", index=False, lineterminator="\n", mode="a" if start else "w", header=not start
            )
        del csv_df, lists
        h = hashlib.sha256()
        with open(pq, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digest.update(h.digest())
    (tmp / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    summary = {k: v for k, v in tables.summary.items() if not k.startswith("seconds") and k != "cache_hits"}
    (tmp / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
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
    """Load tables written by :func:`build` (Parquet).

    Examples
    --------
    >>> t = load("build/dev")  # doctest: +SKIP
    >>> t.events.head()  # doctest: +SKIP
    """
    p = Path(path)
    frames = {name: pd.read_parquet(p / f"{name}.parquet") for name in TABLES if (p / f"{name}.parquet").exists()}
    summary = json.loads((p / "summary.json").read_text()) if (p / "summary.json").exists() else {}
    return Tables(frames, summary)
