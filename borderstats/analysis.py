"""Analysis helpers shared by notebooks, charts and maps: tidy views over the built tables.

Every function takes :class:`~borderstats.pipeline.Tables` and returns a DataFrame; none draws.
Province series can be shown as reported (Hà Giang events before July 2025 under VN-03, after it
under Tuyên Quang VN-07) or harmonised to the 2025 boundaries (``boundaries="2025"``), which keeps
a province's series comparable across the merger.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from .gazetteer import reference_table
from .pipeline import Tables

__all__ = [
    "coverage",
    "event_counts",
    "event_parties",
    "fx_rates",
    "money_figures",
    "province_names",
    "ranked",
    "topic_matrix",
    "topic_shares",
    "who_met_whom",
]

MONEY_UNITS = ("USD", "VND", "CNY")


@cache
def _provinces() -> pd.DataFrame:
    return pd.DataFrame(reference_table("provinces")).set_index("unit_id")


def province_codes(codes: pd.Series, boundaries: str = "as_reported") -> pd.Series:
    """ISO codes as reported, or with ``boundaries="2025"`` the post-merger province's code.

    Examples
    --------
    >>> province_codes(pd.Series(["VN-03", "VN-01"]), "2025").tolist()
    ['VN-07', 'VN-01']
    """
    if boundaries != "2025":
        return codes
    to_2025 = _provinces()["code_2025"]
    return codes.map(lambda c: to_2025.get(c, c))


def province_names(codes: pd.Series, boundaries: str = "as_reported") -> pd.Series:
    """Vietnamese names for ISO codes; with ``boundaries="2025"`` codes are first mapped to the
    post-merger province (VN-03 Hà Giang → VN-07 Tuyên Quang).

    Examples
    --------
    >>> province_names(pd.Series(["VN-03", "VN-01"]), "2025").tolist()
    ['Tuyên Quang', 'Lai Châu']
    """
    names = _provinces()["name_vi"]
    return province_codes(codes, boundaries).map(lambda c: names.get(c, c))


def _relevant_events(t: Tables) -> pd.DataFrame:
    a = t.articles
    return a[a["is_relevant"].fillna(False) & a["event_id"].notna()]


def event_parties(t: Tables, boundaries: str = "as_reported") -> pd.DataFrame:
    """One row per (event, side, unit): the event's date, type, level and the unit's names.

    Chinese units are given at the level the articles name them (``unit_name_en``) and at
    province level (``cn_province``).
    """
    from .gazetteer import gazetteer

    gaz = gazetteer()
    ev = t.events[["event_id", "event_date", "event_type", "level", "is_online", "n_articles"]]
    art = _relevant_events(t)[["article_id", "event_id"]]
    p = t.parties.merge(art, on="article_id")[["event_id", "side", "unit_id", "unit_name", "unit_name_en"]]
    p = p.drop_duplicates(["event_id", "side", "unit_id"])
    out = p.merge(ev, on="event_id")
    vn = out["side"] == "VN"
    out.loc[vn, "unit_name"] = province_names(out.loc[vn, "unit_id"], boundaries).to_numpy()
    out.loc[vn, "unit_id"] = province_codes(out.loc[vn, "unit_id"], boundaries).to_numpy()
    out["cn_province"] = out["unit_id"].map(lambda u: gaz.cn_units.get(gaz.cn_province(u) or "", {}).get("name_en"))
    return out.drop_duplicates(["event_id", "side", "unit_id"]).reset_index(drop=True)


def event_counts(t: Tables, freq: str = "Q", by: str = "vn_province", boundaries: str = "as_reported") -> pd.DataFrame:
    """Events per period (``freq`` Y, Q or M) and group, long format: ``period, group, n_events``.

    ``by``: ``vn_province``, ``cn_unit``, ``cn_province``, ``level``, ``event_type`` or ``all``.
    Events without a date are left out (their count is in ``attrs["undated"]``).
    """
    if by in ("vn_province", "cn_unit", "cn_province"):
        ep = event_parties(t, boundaries)
        side = "VN" if by == "vn_province" else "CN"
        d = ep[ep["side"] == side]
        col = {"vn_province": "unit_name", "cn_unit": "unit_name_en", "cn_province": "cn_province"}[by]
        d = d.assign(group=d[col]).drop_duplicates(["event_id", "group"])
    else:
        d = t.events.copy()
        d["group"] = "all events" if by == "all" else d[by].fillna("unknown")
    undated = int(d["event_date"].isna().sum())
    d = d.dropna(subset=["event_date"])
    d = d.assign(period=pd.to_datetime(d["event_date"]).dt.to_period(freq).astype(str))
    out = d.groupby(["period", "group"]).size().rename("n_events").reset_index()
    out.attrs["undated"] = undated
    return out.sort_values(["period", "group"]).reset_index(drop=True)


def who_met_whom(t: Tables, boundaries: str = "as_reported", cn_level: str = "named") -> pd.DataFrame:
    """Pairs of Vietnamese province and Chinese unit with the number of events they shared.

    ``cn_level="province"`` folds prefectures and counties into Yunnan, Guangxi….
    """
    ep = event_parties(t, boundaries)
    vn = ep[ep["side"] == "VN"][["event_id", "unit_id", "unit_name"]]
    cn = ep[ep["side"] == "CN"][["event_id", "unit_id", "unit_name_en", "cn_province"]]
    if cn_level == "province":
        cn = cn.assign(unit_name_en=cn["cn_province"].fillna(cn["unit_name_en"])).drop_duplicates(
            ["event_id", "unit_name_en"]
        )
    pairs = vn.merge(cn, on="event_id", suffixes=("_vn", "_cn"))
    out = (
        pairs.groupby(["unit_id_vn", "unit_name", "unit_name_en"])["event_id"]
        .nunique()
        .rename("n_events")
        .reset_index()
        .rename(columns={"unit_id_vn": "vn_unit_id", "unit_name": "vn_name", "unit_name_en": "cn_name_en"})
    )
    return out.sort_values(["n_events", "vn_name", "cn_name_en"], ascending=[False, True, True]).reset_index(drop=True)


def _article_province(t: Tables, boundaries: str) -> pd.DataFrame:
    p = t.parties[t.parties["side"] == "VN"][["article_id", "unit_id"]]
    return p.assign(province=province_names(p["unit_id"], boundaries)).drop_duplicates(["article_id", "province"])


def topic_matrix(t: Tables, boundaries: str = "as_reported") -> pd.DataFrame:
    """Relevant articles per Vietnamese province (rows) and topic (columns)."""
    ap = _article_province(t, boundaries)
    m = ap.merge(t.topics[["article_id", "topic"]], on="article_id")
    return m.pivot_table(index="province", columns="topic", values="article_id", aggfunc="nunique", fill_value=0)


def topic_shares(t: Tables, freq: str = "Y") -> pd.DataFrame:
    """Share of relevant articles (by event date, else publication date) that discuss each topic."""
    a = t.articles[t.articles["is_relevant"].fillna(False)].copy()
    a["when"] = a["event_date"].fillna(a["published_at"])
    a = a.dropna(subset=["when"])
    a["period"] = pd.to_datetime(a["when"]).dt.to_period(freq).astype(str)
    n = a.groupby("period")["article_id"].nunique().rename("n_articles")
    m = a[["article_id", "period"]].merge(t.topics[["article_id", "topic"]], on="article_id")
    c = m.groupby(["period", "topic"])["article_id"].nunique().rename("n").reset_index()
    c = c.merge(n, on="period")
    c["share"] = c["n"] / c["n_articles"]
    return c.sort_values(["period", "topic"]).reset_index(drop=True)


def ranked(t: Tables, what: str = "gates") -> pd.DataFrame:
    """Gates, commodities, routes or topics ranked by the number of relevant articles naming them."""
    table, key, label = {
        "gates": ("gate_mentions", "gate_id", "gate_name"),
        "commodities": ("commodities", "commodity", "commodity"),
        "routes": ("route_mentions", "route_id", "route_id"),
        "topics": ("topics", "topic", "topic"),
    }[what]
    df = t[table]
    cols = [key] if key == label else [key, label]
    out = df.groupby(cols)["article_id"].nunique().rename("n_articles").reset_index()
    return out.sort_values(["n_articles", key], ascending=[False, True]).reset_index(drop=True)


@cache
def fx_rates() -> pd.DataFrame:
    """The shipped yearly exchange rates (local currency per USD), with their source."""
    df = pd.DataFrame(reference_table("fx_rates"))
    df["year"] = df["year"].astype(int)
    df["per_usd"] = df["per_usd"].astype(float)
    df["is_estimate"] = df["is_estimate"] == "True"
    return df


def _period_year(period: str | None) -> int | None:
    if period is None or pd.isna(period):
        return None
    return int(str(period)[:4])


def money_figures(t: Tables, currency: str = "USD", tolerance: float = 0.01) -> pd.DataFrame:
    """Money figures (USD, VND, CNY) with their value converted to ``currency`` at the yearly rate.

    Original ``value`` and ``unit`` are kept; ``value_<currency>`` is added with ``fx_year`` and
    ``fx_is_estimate``. Figures reported for the same subject, measure and period by several
    articles whose headline values (each article's largest) disagree by more than ``tolerance`` are
    flagged ``is_disputed`` (never averaged).
    Figures with no period use the article's publication year for the rate.
    """
    f = t.figures[t.figures["unit"].isin(MONEY_UNITS)].merge(
        t.articles[["article_id", "source", "published_at", "title"]], on="article_id"
    )
    fx = fx_rates().set_index(["year", "currency"])["per_usd"]
    est = fx_rates().set_index(["year", "currency"])["is_estimate"]
    years = f["period"].map(_period_year)
    years = years.fillna(pd.to_datetime(f["published_at"]).dt.year)
    f["fx_year"] = years.astype("Int64")

    def conv(row) -> float | None:
        y = row["fx_year"]
        if pd.isna(y):
            return None
        to_usd = 1.0 if row["unit"] == "USD" else 1.0 / fx.get((int(y), row["unit"]), float("nan"))
        from_usd = 1.0 if currency == "USD" else fx.get((int(y), currency), float("nan"))
        return row["value"] * to_usd * from_usd

    f[f"value_{currency.lower()}"] = f.apply(conv, axis=1) if len(f) else pd.Series(dtype=float)
    f["fx_is_estimate"] = [
        bool(est.get((int(y), u), False)) if pd.notna(y) else False
        for y, u in zip(f["fx_year"], f["unit"], strict=True)
    ]
    key = ["of", "measure", "period"]
    conv_col = f"value_{currency.lower()}"
    # one headline value per article (its largest: "… 145 triệu USD, of which fruit 80 triệu USD" is a
    # breakdown, not a disagreement), then compare the articles
    per_article = f.dropna(subset=["period"]).groupby([*key, "article_id"], dropna=False)[conv_col].max()
    spread = per_article.groupby(level=key, dropna=False).agg(["min", "max", "count"])
    disputed = spread[(spread["count"] > 1) & ((spread["max"] - spread["min"]).abs() > tolerance * spread["max"].abs())]
    idx = f.set_index(key).index
    f["is_disputed"] = idx.isin(disputed.index)
    return f.reset_index(drop=True)


def coverage(t: Tables) -> pd.DataFrame:
    """Articles per portal and publication year (``unknown`` when the article has no date line)."""
    a = t.articles.copy()
    a["year"] = pd.to_datetime(a["published_at"]).dt.year.astype("Int64").astype(str).replace("<NA>", "unknown")
    return (
        a.groupby(["portal", "year"])
        .agg(n_articles=("article_id", "size"), n_relevant=("is_relevant", "sum"))
        .reset_index()
        .sort_values(["portal", "year"])
    )
