"""Every chart and map renders from the dev-corpus tables: not blank, border drawn, gates present,
and the HTML export fetches nothing from a CDN."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

import borderstats as bs
from borderstats.export import chromium_path, export_many


@pytest.fixture(scope="module")
def figures(dev_build):
    t, _ = dev_build
    return t, bs.all_figures(t)


@pytest.fixture(scope="module")
def rendered(figures, tmp_path_factory):
    if chromium_path() is None:
        pytest.skip("no Chromium for static export (install chromium: scripts/install-system-deps.sh)")
    _, figs = figures
    out = tmp_path_factory.mktemp("figs")
    export_many(figs, out, ["png", "html"])
    return out


def test_every_figure_renders_to_a_png_that_is_not_blank(figures, rendered):
    _, figs = figures
    for name in figs:
        img = np.asarray(Image.open(io.BytesIO((rendered / f"{name}.png").read_bytes())).convert("L"), dtype=float)
        assert img.shape[1] >= 2000, f"{name}: not print resolution"
        assert img.std() > 12, f"{name}: looks blank (pixel std {img.std():.1f})"
        non_bg = (np.abs(img - 255) > 8).mean()
        assert non_bg > 0.02, f"{name}: only {non_bg:.1%} of pixels differ from the background"


def test_no_chart_is_empty(figures):
    _, figs = figures
    for name, fig in figs.items():
        texts = [a.text for a in fig.layout.annotations if a.text]
        assert not any("no data" in t for t in texts), f"{name} has no data"
        sizes = [len(v) for tr in fig.data for v in (getattr(tr, "x", None), getattr(tr, "z", None)) if v is not None]
        assert sum(sizes) > 0, name


def test_maps_draw_the_border_and_every_gate_in_the_data(figures):
    t, figs = figures
    for name in ("map_gates", "map_routes", "map_cooperation"):
        names = [tr.name for tr in figs[name].data]
        assert "Biên giới Việt Nam – Trung Quốc" in names, f"{name}: border missing"
        border = next(tr for tr in figs[name].data if tr.name == "Biên giới Việt Nam – Trung Quốc")
        assert sum(x is not None for x in border.x) > 100
    hover = " ".join(
        " ".join(tr.text) for tr in figs["map_gates"].data if tr.text is not None and not isinstance(tr.text, str)
    )
    gates = bs.gates_gdf(t).query("n_articles > 0")
    assert len(gates) >= 5
    for name in gates["name_vi"]:
        assert name in hover, f"gate {name} missing from the map"


def test_map_labels_stay_in_frame_and_apart(figures):
    _, figs = figures
    fig = figs["map_gates"]
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    labels = [a for a in fig.layout.annotations if a.showarrow and a.x is not None]
    assert labels
    for a in labels:
        assert x0 <= a.x <= x1 and y0 <= a.y <= y1


def test_html_export_needs_no_network(figures, rendered):
    _, figs = figures
    for name in figs:
        page = (rendered / f"{name}.html").read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=[\"']https?://", page), name
        assert not re.search(r"<link[^>]+href=[\"']https?://", page), name
        assert "Plotly.newPlot" in page or "Plotly.react" in page


def test_gdfs_have_a_crs(dev_build):
    t, _ = dev_build
    for gdf in (bs.gates_gdf(t), bs.routes_gdf(t), bs.links_gdf(t)):
        assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
        assert len(gdf)


def test_map_labels_do_not_overlap(figures):
    from borderstats.maps import WIDTH, _text_px

    _, figs = figures
    for name in ("map_gates", "map_routes", "map_cooperation"):
        fig = figs[name]
        x0, x1 = fig.layout.xaxis.range
        mpp = (x1 - x0) / (WIDTH - 40)
        boxes = []
        for a in fig.layout.annotations:
            if not a.showarrow or a.x is None or a.ax is None:
                continue
            cx, cy = a.x / mpp + a.ax, -a.y / mpp + a.ay  # label centre in pixels (y down)
            w, h = _text_px(a.text, a.font.size) + 4, a.font.size * 1.25
            boxes.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, a.text))
        assert boxes, name
        for i, b in enumerate(boxes):
            for c in boxes[i + 1 :]:
                overlap = not (b[2] <= c[0] + 0.5 or c[2] <= b[0] + 0.5 or b[3] <= c[1] + 0.5 or c[3] <= b[1] + 0.5)
                assert not overlap, f"{name}: labels {b[4]!r} and {c[4]!r} overlap"
