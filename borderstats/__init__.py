"""borderstats: tidy tables, maps and charts of Vietnam–China border-province cooperation.

Read → clean → extract → tables → maps/charts. The public API:

- :func:`build` turns folders of articles into :class:`Tables` (and writes them with ``out=``);
- :func:`load` reads tables written earlier;
- :mod:`borderstats.analysis`, :mod:`borderstats.charts`, :mod:`borderstats.maps` make the views,
  charts and maps; :func:`export` writes them as PNG, SVG and offline HTML;
- :func:`explain` shows an article with every extracted fact at its evidence span;
- :func:`report` runs the main job (tables, notebooks, figures).
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import analysis, charts, maps
from .explain import explain
from .export import export, export_many
from .maps import gates_gdf, links_gdf, routes_gdf
from .pipeline import Tables, build, load
from .report import all_figures, open_tables, report, setup_notebook

__all__ = [
    "Tables",
    "__version__",
    "all_figures",
    "analysis",
    "build",
    "charts",
    "explain",
    "export",
    "export_many",
    "gates_gdf",
    "links_gdf",
    "load",
    "maps",
    "open_tables",
    "report",
    "routes_gdf",
    "setup_notebook",
]
