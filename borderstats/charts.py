"""The chart kit: one house template and the charts the notebooks and reports are made of.

Every function takes :class:`~borderstats.pipeline.Tables` and returns a ``plotly`` figure (it
never calls ``.show()``). The template uses Noto Sans (Vietnamese) with Noto Sans CJK (汉字), a
palette whose colours differ in lightness so that charts stay readable in greyscale, and a source
line under each chart naming the articles behind it.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from . import analysis as A
from .extract.people import ROLE_ORDER
from .pipeline import Tables

__all__ = [
    "COLORS",
    "TEMPLATE",
    "events_by_level",
    "meetings_per_period",
    "network",
    "province_topic_heatmap",
    "ranked_bar",
    "source_line",
    "topic_shares",
    "trade_figures",
]

FONT = "Noto Sans, Noto Sans CJK SC, Noto Sans CJK JP, DejaVu Sans, sans-serif"
# dark → light alternation keeps neighbours apart in greyscale
COLORS = ["#08306b", "#f16913", "#6baed6", "#3f3f3f", "#fdd0a2", "#2171b5", "#a63603", "#bdbdbd", "#54278f", "#74c476"]
WIDTH, HEIGHT = 1000, 560
# one colour per unit in every chart, so a province keeps its colour across figures
_FIXED = {
    "Lào Cai": COLORS[0],
    "Quảng Ninh": COLORS[1],
    "Điện Biên": COLORS[2],
    "Hà Giang": COLORS[3],
    "Lai Châu": COLORS[4],
    "Lạng Sơn": COLORS[5],
    "Cao Bằng": COLORS[6],
    "Hải Phòng": COLORS[7],
    "Hà Nội": COLORS[8],
    "Tuyên Quang": COLORS[9],
    "Yunnan": COLORS[0],
    "Guangxi": COLORS[1],
}


def color_for(name: str, i: int) -> str:
    """The fixed colour of a province or Chinese province, else the ``i``-th palette colour."""
    return _FIXED.get(name, COLORS[i % len(COLORS)])


TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#222"},
        title={"font": {"size": 20}, "x": 0.015, "xanchor": "left", "xref": "container"},
        colorway=COLORS,
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"gridcolor": "#e5e5e5", "linecolor": "#777", "ticks": "outside", "automargin": True},
        yaxis={"gridcolor": "#e5e5e5", "linecolor": "#777", "zerolinecolor": "#999", "automargin": True},
        legend={"bgcolor": "rgba(255,255,255,0.8)", "font": {"size": 12}},
        margin={"l": 70, "r": 30, "t": 80, "b": 120},
        width=WIDTH,
        height=HEIGHT,
    )
)
pio.templates["borderstats"] = TEMPLATE

LEVEL_VI = {
    "party_secretary": "Bí thư (party secretary)",
    "chairman": "Chủ tịch / Tỉnh trưởng (chairman)",
    "council_chairman": "Chủ tịch HĐND / Nhân đại (council chair)",
    "minister": "Bộ trưởng (minister)",
    "ambassador": "Đại sứ (ambassador)",
    "deputy_minister": "Thứ trưởng (deputy minister)",
    "consul_general": "Tổng Lãnh sự (consul general)",
    "vice_chairman": "Phó Chủ tịch (vice chairman)",
    "department_director": "Giám đốc Sở (department director)",
    "deputy_department_director": "Phó Giám đốc Sở (deputy director)",
    "deputy_party_secretary": "Phó Bí thư (deputy secretary)",
    "other": "Khác (other)",
}


def source_line(t: Tables) -> str:
    """ "Source: …" text: how many articles, from which folders, over which dates.

    Examples
    --------
    >>> source_line(Tables({"articles": pd.DataFrame({"is_relevant": [True], "portal": ["x"],
    ...     "published_at": [pd.Timestamp("2024-01-02")], "event_date": [pd.NaT]})}))
    'Nguồn / Source: borderstats, 1 bài báo liên quan / relevant article (x), 2024-01 – 2024-01'
    """
    a = t.articles[t.articles["is_relevant"].fillna(False)]
    when = pd.to_datetime(a["event_date"]).fillna(pd.to_datetime(a["published_at"])).dropna()
    span = f"{when.min():%Y-%m} – {when.max():%Y-%m}" if len(when) else "no dates"
    names = sorted(a["portal"].dropna().unique())
    portals = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
    noun = "bài báo liên quan / relevant article" + ("s" if len(a) != 1 else "")
    return f"Nguồn / Source: borderstats, {len(a)} {noun} ({portals}), {span}"


def add_caption(fig: go.Figure, text: str, yshift: float, size: float = 11) -> go.Figure:
    """The grey caption (source line and notes) under the plot area."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=yshift,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
        font={"size": size, "color": "#555"},
    )
    return fig


def _finish(fig: go.Figure, t: Tables, title: str, note: str | None = None) -> go.Figure:
    fig.update_layout(template=TEMPLATE, title={"text": title})
    bottom = fig.layout.margin.b if fig.layout.margin.b is not None else TEMPLATE.layout.margin.b
    fig.update_layout(margin={"b": bottom + (22 if note else 0)})
    return add_caption(fig, source_line(t) + (f"<br>{note}" if note else ""), yshift=-92)


def _empty(fig: go.Figure, msg: str = "Không có dữ liệu / no data") -> go.Figure:
    fig.add_annotation(text=msg, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 18})
    return fig


def meetings_per_period(
    t: Tables, freq: str = "Q", by: str = "vn_province", boundaries: str = "as_reported"
) -> go.Figure:
    """Stacked bars of events per period by Vietnamese province (or Chinese unit, level, type)."""
    d = A.event_counts(t, freq, by, boundaries)
    fig = go.Figure()
    periods = sorted(d["period"].unique())
    if periods:  # every period between the first and the last, so gaps show as gaps
        rng = pd.period_range(periods[0], periods[-1], freq=freq)
        periods = [str(p) for p in rng]
    groups = d.groupby("group")["n_events"].sum().sort_values(ascending=False).index
    for i, g in enumerate(groups):
        s = d[d["group"] == g].set_index("period")["n_events"].reindex(periods, fill_value=0)
        fig.add_bar(
            x=periods,
            y=s.to_numpy(),
            name=str(g),
            marker_color=color_for(str(g), i),
            marker_line={"color": "white", "width": 0.5},
        )
    if not len(d):
        _empty(fig)
    what = {
        "vn_province": "Vietnamese province",
        "cn_unit": "Chinese unit",
        "cn_province": "Chinese province",
        "level": "level",
        "event_type": "type",
        "all": "",
    }[by]
    unit = {"Q": "quarter", "Y": "year", "M": "month"}[freq]
    fig.update_layout(
        barmode="stack",
        xaxis={"type": "category", "title": None},
        yaxis={"title": "events (one event may count for several provinces)", "dtick": 1},
    )
    note = f"{d.attrs.get('undated', 0)} undated events not shown." if d.attrs.get("undated") else None
    if boundaries == "2025":
        note = (
            note + " " if note else ""
        ) + "Provinces harmonised to 2025 boundaries (Hà Giang → Tuyên Quang, Yên Bái → Lào Cai)."
    return _finish(fig, t, f"Meetings per {unit} by {what}".strip(), note)


def events_by_level(t: Tables) -> go.Figure:
    """Horizontal bars: events by the highest role taking part."""
    ev = t.events
    c = ev["level"].fillna("unknown").value_counts()
    order = [lv for lv in [*ROLE_ORDER, "unknown"] if lv in c.index][::-1]
    labels = [LEVEL_VI.get(lv, "không rõ (no named official)") for lv in order]
    fig = go.Figure(
        go.Bar(
            x=[int(c[lv]) for lv in order],
            y=labels,
            orientation="h",
            marker_color=COLORS[0],
            text=[int(c[lv]) for lv in order],
            textposition="outside",
        )
    )
    fig.update_layout(xaxis={"title": "events", "dtick": 1}, yaxis={"title": None}, margin={"l": 290})
    if not len(ev):
        _empty(fig)
    return _finish(fig, t, "Events by level of the highest official taking part")


def province_topic_heatmap(t: Tables, boundaries: str = "as_reported") -> go.Figure:
    """Heat map: relevant articles per Vietnamese province and topic, counts written in the cells."""
    m = A.topic_matrix(t, boundaries)
    fig = go.Figure()
    if m.size:
        cols = m.sum().sort_values(ascending=False).index
        m = m[cols]
        fig.add_heatmap(
            z=m.to_numpy(),
            x=[c.replace("_", " ") for c in m.columns],
            y=list(m.index),
            colorscale="Blues",
            text=m.to_numpy(),
            texttemplate="%{text}",
            colorbar={"title": "articles"},
            hovertemplate="%{y} · %{x}: %{z} articles<extra></extra>",
            xgap=1,
            ygap=1,
        )
        fig.update_layout(
            xaxis={"tickangle": -35, "showgrid": False},
            yaxis={"showgrid": False, "autorange": "reversed"},
            margin={"b": 175},
        )
    else:
        _empty(fig)
    fig.add_annotation(text="", xref="paper", yref="paper", x=0, y=0, showarrow=False)
    fig = _finish(fig, t, "Which themes each province's articles discuss")
    fig.layout.annotations[-1].yshift = -150
    return fig


def topic_shares(t: Tables, freq: str = "Y", top: int = 6) -> go.Figure:
    """Lines: share of relevant articles discussing each of the ``top`` commonest topics per period."""
    s = A.topic_shares(t, freq)
    fig = go.Figure()
    tops = s.groupby("topic")["n"].sum().sort_values(ascending=False).index[:top]
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    for i, tp in enumerate(tops):
        d = s[s["topic"] == tp]
        fig.add_scatter(
            x=d["period"],
            y=d["share"],
            mode="lines+markers",
            name=tp.replace("_", " "),
            line={"color": COLORS[i % len(COLORS)], "dash": dashes[i % len(dashes)], "width": 2.5},
            customdata=d[["n", "n_articles"]].to_numpy(),
            hovertemplate="%{x}: %{y:.0%} (%{customdata[0]} of %{customdata[1]} articles)<extra></extra>",
        )
    if not len(s):
        _empty(fig)
    fig.update_layout(
        xaxis={"type": "category", "title": None},
        yaxis={"title": "share of articles", "tickformat": ".0%", "range": [0, 1.05]},
    )
    n = s.groupby("period")["n_articles"].first()
    note = f"Periods with few articles swing widely (smallest: {int(n.min())} article(s))." if len(n) else None
    return _finish(fig, t, "Topic shares over time", note)


def ranked_bar(t: Tables, what: str = "gates", top: int = 15) -> go.Figure:
    """Horizontal bars: gates, commodities or routes ranked by the articles that name them."""
    r = A.ranked(t, what).head(top)
    label_col = {"gates": "gate_name", "commodities": "commodity", "routes": "route_id", "topics": "topic"}[what]
    labels = r[label_col].astype(str).str.replace("_", " ")
    if what == "gates":
        from .gazetteer import gazetteer

        gz = gazetteer().gates
        labels = [
            f"{n} – {gz.get(g, {}).get('cn_name_vi', '')}".rstrip(" –")
            for g, n in zip(r["gate_id"], r["gate_name"], strict=True)
        ]
    fig = go.Figure(
        go.Bar(
            x=r["n_articles"][::-1],
            y=list(labels)[::-1],
            orientation="h",
            marker_color=COLORS[5],
            text=r["n_articles"][::-1],
            textposition="outside",
        )
    )
    if not len(r):
        _empty(fig)
    title = {
        "gates": "Border gates most discussed",
        "commodities": "Commodities most named",
        "routes": "Corridors and routes most named",
        "topics": "Topics",
    }[what]
    fig.update_layout(
        xaxis={"title": "articles", "dtick": 1},
        yaxis={"title": None},
        margin={"l": 230},
        height=max(HEIGHT, 140 + 28 * len(r)),
    )
    return _finish(fig, t, title)


def trade_figures(
    t: Tables, currency: str = "USD", measures: tuple[str, ...] = ("trade_total", "export", "import")
) -> go.Figure:
    """Grouped bars of reported trade figures by subject and period, converted to ``currency``.

    Disputed figures (same subject, measure and period, different values) are drawn hatched.
    """
    f = A.money_figures(t, currency)
    f = f[f["measure"].isin(measures) & f["period"].notna()]
    col = f"value_{currency.lower()}"
    from .gazetteer import gazetteer

    gz = gazetteer()

    def subject(of: str) -> str:
        if of in gz.provinces:
            return gz.provinces[of]["name_vi"]
        if of in gz.cn_units:
            return gz.cn_units[of]["name_vi"]
        return "Việt Nam – Trung Quốc" if of == "VN-CN" else str(of)

    f = f.assign(subject=f["of"].map(subject), label=lambda d: d["subject"] + " · " + d["period"].astype(str))
    # one bar per subject, period and measure: the headline (largest) figure; breakdowns stay in the table
    f = f.sort_values(col, ascending=False, kind="stable").drop_duplicates(["label", "measure"])
    f = f.sort_values(["subject", "period", "measure"])
    fig = go.Figure()
    names = {"trade_total": "total trade", "export": "exports", "import": "imports"}
    for i, m in enumerate(measures):
        d = f[f["measure"] == m]
        if not len(d):
            continue
        fig.add_bar(
            x=d[col] / 1e6,
            y=d["label"],
            orientation="h",
            name=names.get(m, m),
            marker={"color": COLORS[i], "pattern": {"shape": ["/" if x else "" for x in d["is_disputed"]]}},
            customdata=d[["value", "unit", "evidence"]].to_numpy(),
            hovertemplate="%{x:,.1f} million "
            + currency
            + " (reported %{customdata[0]:,.0f} %{customdata[1]})<br>%{customdata[2]}<extra></extra>",
        )
    if not len(f):
        _empty(fig)
    fig.update_layout(
        barmode="group",
        xaxis={
            "title": f"million {currency} (yearly average exchange rate)",
            "type": "log" if len(f) and f[col].max() / max(f[col].min(), 1) > 200 else "linear",
        },
        yaxis={
            "title": None,
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": list(dict.fromkeys(f["label"])),
        },
        margin={"l": 260},
        height=max(HEIGHT, 160 + 26 * f["label"].nunique()),
    )
    return _finish(
        fig,
        t,
        f"Reported trade figures by subject and period ({currency})",
        "Values as reported in the articles, converted at the shipped yearly rates; hatched bars: sources disagree.",
    )


def network(t: Tables, boundaries: str = "as_reported", cn_level: str = "named") -> go.Figure:
    """Who met whom: Vietnamese provinces (left) linked to Chinese units (right), width ∝ events."""
    w = A.who_met_whom(t, boundaries, cn_level)
    fig = go.Figure()
    if not len(w):
        return _finish(_empty(fig), t, "Who met whom")
    vn = w.groupby("vn_name")["n_events"].sum().sort_values(ascending=False).index.tolist()
    cn = w.groupby("cn_name_en")["n_events"].sum().sort_values(ascending=False).index.tolist()
    yv = {n: 1 - i / max(len(vn) - 1, 1) for i, n in enumerate(vn)}
    yc = {n: 1 - i / max(len(cn) - 1, 1) for i, n in enumerate(cn)}
    mx = w["n_events"].max()
    for r in w.itertuples():
        fig.add_scatter(
            x=[0, 1],
            y=[yv[r.vn_name], yc[r.cn_name_en]],
            mode="lines",
            showlegend=False,
            line={"width": 1 + 9 * r.n_events / mx, "color": "rgba(8,48,107,0.45)"},
            hovertext=f"{r.vn_name} – {r.cn_name_en}: {r.n_events} events",
            hoverinfo="text",
        )
    # the two columns of nodes: Vietnamese provinces (left, circles), Chinese units (right, squares)
    for x, names, ys, side, marker in (
        (0, vn, yv, "left", {"color": COLORS[0]}),
        (1, cn, yc, "right", {"color": COLORS[1], "symbol": "square"}),
    ):
        fig.add_scatter(
            x=[x] * len(names),
            y=[ys[n] for n in names],
            mode="markers+text",
            text=names,
            textposition=f"middle {side}",
            marker={"size": 12, **marker},
            showlegend=False,
            hoverinfo="text",
        )
    fig.update_layout(
        xaxis={"visible": False, "range": [-0.45, 1.45]},
        yaxis={"visible": False, "range": [-0.08, 1.08]},
        height=max(HEIGHT, 120 + 34 * max(len(vn), len(cn))),
    )
    return _finish(
        fig, t, "Who met whom: Vietnamese provinces and Chinese units", "Line width: number of events together."
    )
