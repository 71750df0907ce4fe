"""Tables stage: fact records → typed, sorted tables checked against the data dictionary.

Records become Arrow tables with the dictionary's schema (:func:`to_arrow`, in the workers);
:func:`finalize_arrow` sorts one by its key and :func:`check_arrow` asserts the key is unique and the
values allowed; :func:`frame_of` gives the pandas view (the same dtypes whether the table was just
built or read back from Parquet). :func:`to_frame`, :func:`finalize` and :func:`check` do the same
for frames (through the Arrow functions);
:func:`assign_events` gives articles about the same meeting one ``event_id`` and
:func:`events_table` makes one row per event.
"""

from __future__ import annotations

import datetime as _dt
from functools import cache
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .dictionary import TABLES
from .text import short_hash

__all__ = [
    "SchemaError",
    "arrow_schema",
    "assign_events",
    "check",
    "check_arrow",
    "event_records",
    "events_table",
    "finalize",
    "finalize_arrow",
    "frame_of",
    "to_arrow",
    "to_frame",
    "typed",
]

_DTYPES = {
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
}


def _missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str | list | tuple) and bool(pd.isna(v)))


class SchemaError(ValueError):
    """A table broke its data-dictionary contract."""


# pandas ≥ 3 stores strings in Arrow (compact; missing = NaN); older pandas: Python str or None
_STR: Any = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


def typed(name: str, records: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Table ``name`` from records (or a frame): the dictionary's columns, in order, with its types."""
    t = TABLES[name]
    if isinstance(records, pd.DataFrame):
        df = records.reindex(columns=t.columns)
    else:
        df = pd.DataFrame.from_records(records, columns=t.columns) if records else pd.DataFrame(columns=t.columns)
    for f in t.fields:
        col = df[f.name]
        if f.type == "string":
            obj = col.astype(object)
            obj = obj.where(obj.notna(), None)
            df[f.name] = obj if _STR is object else obj.astype(_STR)
        elif f.type in _DTYPES:
            df[f.name] = col.astype(_DTYPES[f.type])
        elif f.type == "date" or f.type == "datetime":
            df[f.name] = pd.to_datetime(col, errors="coerce").astype("datetime64[ms]")
        elif f.type == "list":
            df[f.name] = col.map(lambda v: list(v) if isinstance(v, list | tuple) else [])
    return df


def finalize(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Sort a typed table by its key and check it against the dictionary (:func:`finalize_arrow`
    does the work, so frames and Arrow tables follow one implementation)."""
    return frame_of(name, finalize_arrow(name, _arrow_of(name, df)))


def to_frame(name: str, records: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Build table ``name`` from records: dictionary columns in order, typed, sorted by key, checked.

    Examples
    --------
    >>> to_frame("topics", [{"article_id": "a", "topic": "trade", "evidence": "…"}]).columns[:2].tolist()
    ['article_id', 'topic']
    """
    return finalize(name, typed(name, records))


def check(name: str, df: pd.DataFrame) -> None:
    """Assert the dictionary contract on a frame: columns, unique key, required fields, allowed
    values (checked by :func:`check_arrow`)."""
    t = TABLES[name]
    if list(df.columns) != t.columns:
        raise SchemaError(f"{name}: columns {list(df.columns)} != dictionary {t.columns}")
    check_arrow(name, _arrow_of(name, df))


def _arrow_of(name: str, df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, schema=arrow_schema(name), preserve_index=False)


_ARROW = {
    "string": pa.large_string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.timestamp("ms"),
    "datetime": pa.timestamp("ms"),
    "list": pa.list_(pa.large_string()),
}


@cache
def arrow_schema(name: str) -> pa.Schema:
    """Arrow schema of table ``name`` from the dictionary, with pandas metadata so that pandas reads
    the Parquet back with the dictionary's dtypes (``Int64``, ``boolean``, ``str``…).

    Examples
    --------
    >>> arrow_schema("topics").field("n_hits").type
    DataType(int64)
    """
    meta = pa.Schema.from_pandas(typed(name, []), preserve_index=False).metadata
    return pa.schema([pa.field(f.name, _ARROW[f.type]) for f in TABLES[name].fields], metadata=meta)


def _timestamp(v: Any) -> Any:
    if isinstance(v, _dt.datetime) or v is None:
        return v
    if isinstance(v, _dt.date):
        return _dt.datetime(v.year, v.month, v.day)
    if isinstance(v, str):
        try:
            return _dt.datetime.fromisoformat(v)
        except ValueError:
            return None
    return None if pd.isna(v) else v


def _string(v: Any) -> Any:
    if v is None or isinstance(v, str):
        return v
    return None if isinstance(v, float) and v != v else str(v)


def to_arrow(name: str, records: list[dict[str, Any]]) -> pa.Table:
    """Table ``name`` from records as an Arrow table with the dictionary's columns and types
    (missing keys are nulls; dates become midnight timestamps; lists of strings).

    Examples
    --------
    >>> to_arrow("topics", [{"article_id": "a", "topic": "trade", "n_hits": 2}]).column("n_hits").to_pylist()
    [2]
    """
    schema = arrow_schema(name)
    cols = []
    for f in TABLES[name].fields:
        vals = [r.get(f.name) for r in records]
        if f.type == "string":
            vals = [_string(v) for v in vals]
        elif f.type in ("date", "datetime"):
            vals = [_timestamp(v) for v in vals]
        elif f.type == "list":
            vals = [[str(x) for x in v] if isinstance(v, list | tuple) else [] for v in vals]
        cols.append(pa.array(vals, type=_ARROW[f.type], from_pandas=True))
    return pa.Table.from_arrays(cols, schema=schema)


def finalize_arrow(name: str, table: pa.Table, keep: pa.Array | None = None) -> pa.Table:
    """Sort an Arrow table by its key (stable), keeping only the rows where ``keep`` is true, and
    check it against the dictionary. Rows are gathered a column at a time, so the transient memory
    is one column's, not the table's, whatever the number of chunks."""
    t = TABLES[name]
    idx = pc.sort_indices(table.select(t.key), sort_keys=[(k, "ascending") for k in t.key])
    if keep is not None:
        idx = pc.filter(idx, pc.take(keep, idx))
    schema = arrow_schema(name)
    out = pa.Table.from_arrays([table.column(f.name).take(idx).cast(f.type) for f in schema], schema=schema)
    check_arrow(name, out)
    return out


def check_arrow(name: str, table: pa.Table) -> None:
    """Assert the dictionary contract on an Arrow table: columns, unique key, required fields,
    allowed values."""
    t = TABLES[name]
    if table.column_names != t.columns:
        raise SchemaError(f"{name}: columns {table.column_names} != dictionary {t.columns}")
    if _has_duplicate_keys(table, t.key):
        counts = table.select(t.key).group_by(t.key).aggregate([([], "count_all")])
        dup = counts.filter(pc.greater(counts["count_all"], 1)).select(t.key).slice(0, 5).to_pylist()
        raise SchemaError(f"{name}: key {t.key} is not unique: {dup}")
    for f in t.fields:
        col = table.column(f.name)
        if f.required and col.null_count:
            raise SchemaError(f"{name}.{f.name} is required but has nulls")
        if f.allowed:
            bad = {v for v in pc.unique(col).to_pylist() if v is not None} - set(f.allowed)
            if bad:
                raise SchemaError(f"{name}.{f.name} has values outside the vocabulary: {sorted(bad)}")


def _has_duplicate_keys(table: pa.Table, key: list[str]) -> bool:
    """Whether two rows share a key: adjacent rows are compared if the table is sorted by the key
    (as :func:`finalize_arrow` leaves it; a bit per row), else a hash aggregation decides."""
    n = table.num_rows
    if n < 2:
        return False
    cols = [table.column(k) for k in key]
    if all(c.null_count == 0 for c in cols) and _is_sorted(cols):
        same = None
        for c in cols:
            eq = pc.equal(c.slice(0, n - 1), c.slice(1))
            same = eq if same is None else pc.and_(same, eq)
        return bool(pc.any(same).as_py())
    return table.select(key).group_by(key).aggregate([]).num_rows != n


def _is_sorted(cols: list[pa.ChunkedArray]) -> bool:
    """Whether rows are in ascending order of ``cols`` (lexicographically)."""
    n = len(cols[0])
    ahead = None  # rows already strictly before their successor on an earlier column
    for c in cols:
        a, b = c.slice(0, n - 1), c.slice(1)
        less, equal = pc.less(a, b), pc.equal(a, b)
        ok = pc.or_(less, equal) if ahead is None else pc.or_(ahead, pc.or_(less, equal))
        if not pc.all(ok).as_py():
            return False
        ahead = less if ahead is None else pc.or_(ahead, less)
    return True


def frame_of(name: str, table: pa.Table) -> pd.DataFrame:
    """The pandas view of an Arrow table of ``name``: the dictionary's dtypes, lists as Python lists
    (the same frame whether the table was just built or read back from Parquet)."""
    df = table.cast(arrow_schema(name)).to_pandas()
    for f in TABLES[name].fields:
        if f.type == "list":
            df[f.name] = df[f.name].map(lambda v: [] if v is None else list(v)).astype(object)
    return df


def assign_events(articles: pd.DataFrame, parties: pd.DataFrame) -> pd.Series:
    """``event_id`` per article: same date, same Vietnamese provinces and Chinese provinces → same id.

    Chinese units are compared at province level (Yunnan, Guangxi…), since portals differ in how many
    prefectures they name. Articles without an event type get no id; an event whose date is
    unknown gets an id of its own.
    """
    from .gazetteer import gazetteer

    gaz = gazetteer()
    vn: dict[str, set[str]] = {}
    cn: dict[str, set[str]] = {}
    province: dict[str, str] = {}
    for aid, side, uid in zip(*(parties[c].tolist() for c in ("article_id", "side", "unit_id")), strict=True):
        if side == "VN":
            vn.setdefault(aid, set()).add(uid)
        elif side == "CN":
            if uid not in province:
                province[uid] = gaz.cn_province(uid) or uid
            cn.setdefault(aid, set()).add(province[uid])
    days = articles["event_date"].dt.strftime("%Y-%m-%d")
    relevant = articles["is_relevant"].fillna(False).astype(bool).tolist()
    ids = []
    for aid, rel, etype, day in zip(
        articles["article_id"].tolist(), relevant, articles["event_type"].tolist(), days.tolist(), strict=True
    ):
        if not rel or not isinstance(etype, str):
            ids.append(None)
        elif not isinstance(day, str):
            ids.append("ev-" + short_hash("article", aid, n=12))
        else:
            ids.append(
                "ev-" + short_hash(day, ",".join(sorted(vn.get(aid, ()))), ",".join(sorted(cn.get(aid, ()))), n=12)
            )
    return pd.Series(ids, index=articles.index, dtype=object)


def events_table(articles: pd.DataFrame, parties: pd.DataFrame) -> pd.DataFrame:
    """One row per event: date, type, venue, level, parties and the articles that report it."""
    return to_frame("events", event_records(articles, parties))


def event_records(articles: pd.DataFrame, parties: pd.DataFrame) -> list[dict[str, Any]]:
    """The records of :func:`events_table` (one per ``event_id`` of ``articles``, sorted)."""
    from .extract.people import ROLE_ORDER

    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    vn: dict[str, set[str]] = {}
    cn: dict[str, set[str]] = {}
    for aid, side, uid, name_en in zip(
        *(parties[c].tolist() for c in ("article_id", "side", "unit_id", "unit_name_en")), strict=True
    ):
        if side == "VN":
            vn.setdefault(aid, set()).add(uid)
        elif isinstance(name_en, str):
            cn.setdefault(aid, set()).add(name_en)
    groups: dict[str, list[tuple]] = {}
    cols = ["article_id", "event_date", "event_type", "location_en", "is_online", "level"]
    with_event = articles[articles["event_id"].map(lambda v: isinstance(v, str))]
    with_event = with_event.assign(is_online=with_event["is_online"].fillna(False).astype(bool))
    for row in zip(with_event["event_id"].tolist(), *(with_event[c].tolist() for c in cols), strict=True):
        if isinstance(row[0], str):
            groups.setdefault(row[0], []).append(row[1:])
    recs = []
    for eid in sorted(groups):
        rows = sorted(groups[eid], key=lambda r: r[0])
        aids = [r[0] for r in rows]
        dates = [r[1] for r in rows if r[1] is not None and r[1] is not pd.NaT]
        types = sorted(r[2] for r in rows if isinstance(r[2], str))
        locs = sorted(r[3] for r in rows if isinstance(r[3], str))
        levels = [r[5] for r in rows if isinstance(r[5], str) and r[5] in rank]
        recs.append(
            {
                "event_id": eid,
                "event_date": min(dates) if dates else None,
                "event_type": max(types, key=types.count) if types else None,  # most common, then first by name
                "location_en": locs[0] if locs else None,
                "is_online": any(r[4] for r in rows),
                "level": min(levels, key=rank.__getitem__) if levels else None,
                "vn_units": sorted(set().union(*(vn.get(x, set()) for x in aids))),
                "cn_units": sorted(set().union(*(cn.get(x, set()) for x in aids))),
                "n_articles": len(aids),
                "article_ids": aids,
            }
        )
    return recs
