"""The main job: tables from ``data/``, notebooks executed into ``reports/``, every figure exported.

``borderstats report [--data data] [--out reports]``:

1. builds the tables from ``DATA/articles`` into ``OUT/tables`` (the extraction cache in
   ``OUT/.tables.cache`` means an unchanged ``data/`` costs no extraction the second time);
2. executes every ``notebooks/NN_*.ipynb`` against those tables into ``OUT/NN_*.ipynb`` and a
   standalone ``OUT/NN_*.html``;
3. exports every chart and map to ``OUT/figures/`` as PNG (print resolution), SVG and HTML.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["all_figures", "open_tables", "report", "setup_notebook"]

TABLES_ENV = "BORDERSTATS_TABLES"


def setup_notebook() -> None:
    """Notebook display settings: plotly figures embed plotly.js (offline HTML), wide tables."""
    import pandas as pd
    import plotly.io as pio

    pio.renderers.default = "notebook"  # plotly.js embedded once per notebook: no CDN
    pd.set_option("display.max_colwidth", 120)
    pd.set_option("display.max_rows", 60)


def open_tables(path: str | os.PathLike | None = None):
    """Tables for a notebook: ``path``, else ``$BORDERSTATS_TABLES``, else ``reports/tables``.

    When no tables have been built there yet, they are built from ``data/articles``.
    """
    from .pipeline import build, load

    p = Path(path or os.environ.get(TABLES_ENV) or _repo_root() / "reports" / "tables")
    if not (p / "articles.parquet").exists():
        build([_repo_root() / "data" / "articles"], p)
    return load(p)


def _repo_root() -> Path:
    here = Path.cwd()
    for d in [here, *here.parents]:
        if (d / "data" / "articles").is_dir():
            return d
    return here


def all_figures(t) -> dict[str, Any]:
    """Every chart and map of the report, by file name."""
    from . import charts as C
    from . import maps as M

    figs = {
        "meetings_per_quarter_by_province": C.meetings_per_period(t, "Q", "vn_province"),
        "meetings_per_year_by_province_2025_boundaries": C.meetings_per_period(t, "Y", "vn_province", "2025"),
        "meetings_per_year_by_chinese_unit": C.meetings_per_period(t, "Y", "cn_province"),
        "events_by_level": C.events_by_level(t),
        "events_by_type": C.meetings_per_period(t, "Y", "event_type"),
        "province_topic_heatmap": C.province_topic_heatmap(t),
        "topic_shares_by_year": C.topic_shares(t, "Y"),
        "gates_ranked": C.ranked_bar(t, "gates"),
        "commodities_ranked": C.ranked_bar(t, "commodities"),
        "trade_figures_usd": C.trade_figures(t, "USD"),
        "who_met_whom": C.network(t),
        "map_gates": M.gates_map(t),
        "map_routes": M.routes_map(t),
        "map_cooperation": M.cooperation_map(t),
    }
    return figs


def _stage(name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)


def report(
    data: str | os.PathLike = "data",
    out: str | os.PathLike = "reports",
    *,
    notebooks: str | os.PathLike = "notebooks",
    jobs: int = 1,
    export_static: bool = True,
) -> dict[str, Any]:
    """Run the main job; return a summary dict (also printed by the CLI)."""
    from .export import ExportError, export_many
    from .pipeline import build

    t0 = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    src = Path(data) / "articles" if (Path(data) / "articles").is_dir() else Path(data)
    _stage(f"1/3 build tables from {src}")
    t = build([src], out / "tables", jobs=jobs, progress=True)
    summary: dict[str, Any] = dict(t.summary)

    _stage("2/3 execute notebooks")
    nbs = sorted(Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    summary["notebooks"] = []
    for nb in nbs:
        _stage(f"    {nb.name}")
        execute_notebook(nb, out, out / "tables")
        summary["notebooks"].append(nb.stem)

    _stage("3/3 export charts and maps")
    figs = all_figures(t)
    formats = ["html", "png", "svg"] if export_static else ["html"]
    try:
        written = export_many(figs, out / "figures", formats)
    except ExportError as e:
        print(f"borderstats: {e}", file=sys.stderr)
        written = sorted((out / "figures").glob("*.html"))
    summary["figures_written"] = len(written)
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    return summary


_REMOTE_SCRIPT = re.compile(r"<script[^>]*\ssrc=[\"']https?://[^\"']*[\"'][^>]*>\s*</script>", re.I)


def offline_html(page: str) -> str:
    """Drop ``<script src="http…">`` tags (require.js, MathJax from a CDN): the notebooks need
    neither, and plotly.js is embedded, so the page works with no network.

    Examples
    --------
    >>> offline_html('<script src="https://cdn.x/require.js"></script><p>ok</p>')
    '<p>ok</p>'
    """
    return _REMOTE_SCRIPT.sub("", page)


def execute_notebook(path: Path, out: Path, tables: Path, timeout: int = 600) -> Path:
    """Execute one notebook with ``$BORDERSTATS_TABLES`` set; write ``.ipynb`` and ``.html`` to ``out``."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    env_before = os.environ.get(TABLES_ENV)
    os.environ[TABLES_ENV] = str(tables.resolve())
    try:
        NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    finally:
        if env_before is None:
            os.environ.pop(TABLES_ENV, None)
        else:
            os.environ[TABLES_ENV] = env_before
    target = out / path.name
    nbformat.write(nb, target)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (out / f"{path.stem}.html").write_text(offline_html(body), encoding="utf-8")
    return target
