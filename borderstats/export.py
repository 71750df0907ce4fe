"""Export figures: PNG at print resolution, SVG, and self-contained HTML that works offline.

Static export uses kaleido v1, which drives a Chromium: the project installs Debian's
``chromium`` (``scripts/install-system-deps.sh``); set ``BROWSER_PATH`` to use another one.
MathJax is never loaded, and the HTML embeds plotly.js, so nothing is fetched from a CDN.
:func:`export_many` renders all figures through one browser session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import plotly.graph_objects as go

__all__ = ["ExportError", "chromium_path", "export", "export_many"]

PRINT_SCALE = 3  # 1000 px wide × 3 = 3000 px ≈ 10 inches at 300 dpi


class ExportError(RuntimeError):
    """Static export is impossible here (no Chromium); HTML export still works."""


def chromium_path() -> str | None:
    """The Chromium kaleido will use: ``$BROWSER_PATH``, else Debian's ``chromium`` on ``PATH``."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def _html(fig: go.Figure, path: Path) -> None:
    fig.write_html(
        path,
        include_plotlyjs=True,  # embedded: works with no network
        include_mathjax=False,
        full_html=True,
        config={"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": PRINT_SCALE}},
    )


def export_many(
    figs: Mapping[str, go.Figure], outdir: str | os.PathLike, formats: Iterable[str] = ("png", "svg", "html")
) -> list[Path]:
    """Write every figure as ``outdir/<name>.<format>``; static formats in one Chromium session.

    Raises :class:`ExportError` (after writing the HTML files) when PNG/SVG are asked for and no
    Chromium is available.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    formats = list(formats)
    written: list[Path] = []
    if "html" in formats:
        for name, fig in figs.items():
            p = outdir / f"{name}.html"
            _html(fig, p)
            written.append(p)
    static = [f for f in formats if f in ("png", "svg", "pdf")]
    if static and figs:
        browser = chromium_path()
        if browser is None:
            raise ExportError(
                "No Chromium found for PNG/SVG export: run scripts/install-system-deps.sh (Debian: apt-get install "
                "chromium fonts-noto-cjk) or set BROWSER_PATH; the HTML files were written."
            )
        os.environ.setdefault("BROWSER_PATH", browser)
        import kaleido

        jobs = []
        for name, fig in figs.items():
            for fmt in static:
                p = outdir / f"{name}.{fmt}"
                w = fig.layout.width or 1000
                h = fig.layout.height or 560
                jobs.append(
                    {
                        "fig": fig,
                        "path": str(p),
                        "opts": {"format": fmt, "width": w, "height": h, "scale": PRINT_SCALE if fmt == "png" else 1},
                    }
                )
                written.append(p)
        kaleido.write_fig_from_object_sync(jobs, kopts={"mathjax": False})
    return written


def export(fig: go.Figure, path: str | os.PathLike, formats: Iterable[str] | None = None) -> list[Path]:
    """Export one figure. ``path`` without a suffix writes PNG, SVG and HTML; with one, that format.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> export(go.Figure(go.Bar(y=[1, 2])), "/tmp/borderstats-doctest", formats=["html"])
    [PosixPath('/tmp/borderstats-doctest.html')]
    """
    p = Path(path)
    if formats is None:
        formats = [p.suffix.lstrip(".")] if p.suffix else ["png", "svg", "html"]
    name = p.stem if p.suffix else p.name
    return export_many({name: fig}, p.parent, formats)
