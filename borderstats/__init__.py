"""borderstats: tidy tables, maps and charts of Vietnam–China border-province cooperation.

Read → clean → extract → tables → maps/charts. The public API:

- :func:`build` turns folders of articles into :class:`Tables` (and writes them with ``out=``);
- :func:`load` reads tables written earlier;
"""

from __future__ import annotations

__version__ = "0.1.0"

from .pipeline import Tables, build, load

__all__ = ["Tables", "__version__", "build", "load"]
