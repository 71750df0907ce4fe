"""Tables stage: fact records → typed, sorted DataFrames checked against the data dictionary.

:func:`to_frame` types one table by its dictionary entry and asserts its key is unique and its
values allowed; :func:`assign_events` gives articles about the same meeting one ``event_id`` and
:func:`events_table` makes one row per event.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .dictionary import TABLES
from .text import short_hash

__all__ = ["SchemaError", "assign_events", "check", "events_table", "finalize", "to_frame", "typed"]

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
    """Sort a typed table by its key and check it against the dictionary."""
    df = df.sort_values(TABLES[name].key, kind="mergesort").reset_index(drop=True)
    check(name, df)
    return df


def to_frame(name: str, records: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Build table ``name`` from records: dictionary columns in order, typed, sorted by key, checked.

    Examples
    --------
    >>> to_frame("topics", [{"article_id": "a", "topic": "trade", "evidence": "…"}]).columns[:2].tolist()
    ['article_id', 'topic']
    """
    return finalize(name, typed(name, records))


def check(name: str, df: pd.DataFrame) -> None:
    """Assert the dictionary contract: columns, unique key, required fields, allowed values."""
    t = TABLES[name]
    if list(df.columns) != t.columns:
        raise SchemaError(f"{name}: columns {list(df.columns)} != dictionary {t.columns}")
    dup = df.duplicated(t.key, keep=False)
    if dup.any():
        raise SchemaError(f"{name}: key {t.key} is not unique: {df.loc[dup, t.key].head().to_dict('records')}")
    for f in t.fields:
        if f.required and df[f.name].isna().any():
            raise SchemaError(f"{name}.{f.name} is required but has nulls")
        if f.allowed:
            bad = set(df[f.name].dropna()) - set(f.allowed)
            if bad:
                raise SchemaError(f"{name}.{f.name} has values outside the vocabulary: {sorted(bad)}")


def assign_events(articles: pd.DataFrame, parties: pd.DataFrame) -> pd.Series:
    """``event_id`` per article: same date, same Vietnamese provinces and Chinese provinces → same id.

    Chinese units are compared at province level (Yunnan, Guangxi…), since portals differ in how many
    prefectures they name. Articles without an event type get no id; an event whose date is
    unknown gets an id of its own.
    """
    from .gazetteer import gazetteer

    gaz = gazetteer()
    vn = parties[parties["side"] == "VN"].groupby("article_id")["unit_id"].apply(lambda s: ",".join(sorted(set(s))))
    cn = (
        parties[parties["side"] == "CN"]
        .groupby("article_id")["unit_id"]
        .apply(lambda s: ",".join(sorted({gaz.cn_province(u) or u for u in s})))
    )
    ids = []
    for row in articles.itertuples():
        if not row.is_relevant or pd.isna(row.event_type):
            ids.append(None)
        elif pd.isna(row.event_date):
            ids.append("ev-" + short_hash("article", row.article_id, n=12))
        else:
            d = pd.Timestamp(row.event_date).date().isoformat()
            ids.append("ev-" + short_hash(d, vn.get(row.article_id, ""), cn.get(row.article_id, ""), n=12))
    return pd.Series(ids, index=articles.index, dtype=object)


def events_table(articles: pd.DataFrame, parties: pd.DataFrame) -> pd.DataFrame:
    """One row per event: date, type, venue, level, parties and the articles that report it."""
    from .extract.people import ROLE_ORDER

    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    vn: dict[str, set[str]] = {}
    cn: dict[str, set[str]] = {}
    for aid, side, uid, name_en in zip(
        parties["article_id"], parties["side"], parties["unit_id"], parties["unit_name_en"], strict=True
    ):
        if side == "VN":
            vn.setdefault(aid, set()).add(uid)
        elif name_en is not None and not pd.isna(name_en):
            cn.setdefault(aid, set()).add(name_en)
    groups: dict[str, list[tuple]] = {}
    cols = ["article_id", "event_date", "event_type", "location_en", "is_online", "level"]
    for row in zip(articles["event_id"], *(articles[c] for c in cols), strict=True):
        if isinstance(row[0], str):
            groups.setdefault(row[0], []).append(row[1:])
    recs = []
    for eid in sorted(groups):
        rows = sorted(groups[eid], key=lambda r: r[0])
        aids = [r[0] for r in rows]
        dates = [r[1] for r in rows if not pd.isna(r[1])]
        types = sorted(r[2] for r in rows if isinstance(r[2], str))
        locs = sorted(r[3] for r in rows if isinstance(r[3], str))
        levels = [r[5] for r in rows if isinstance(r[5], str) and r[5] in rank]
        recs.append(
            {
                "event_id": eid,
                "event_date": min(dates) if dates else None,
                "event_type": max(types, key=types.count) if types else None,  # most common, then first by name
                "location_en": locs[0] if locs else None,
                "is_online": any(bool(r[4]) for r in rows if not pd.isna(r[4])),
                "level": min(levels, key=rank.__getitem__) if levels else None,
                "vn_units": sorted(set().union(*(vn.get(x, set()) for x in aids))),
                "cn_units": sorted(set().union(*(cn.get(x, set()) for x in aids))),
                "n_articles": len(aids),
                "article_ids": aids,
            }
        )
    return to_frame("events", recs)
