"""Command line: ``borderstats build SRC [SRC ...] --out DIR`` and ``borderstats report``."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _print_summary(s: dict) -> None:
    print(f"files read        {s['files']:>8,}")
    print(f"articles          {s['articles']:>8,}  ({s['relevant']:,} relevant)")
    print(f"rejected          {s['rejected']:>8,}", end="")
    if s["rejected_by_reason"]:
        print("  (" + ", ".join(f"{k}: {v}" for k, v in s["rejected_by_reason"].items()) + ")", end="")
    print()
    print(f"events            {s['events']:>8,}")
    print(f"figures           {s['figures']:>8,}")
    print(f"cache hits        {s.get('cache_hits', 0):>8,}")
    print(f"time              {s['seconds']:>8.1f} s")
    if s.get("unmapped_names"):
        top = ", ".join(f"{k} ×{v}" for k, v in list(s["unmapped_names"].items())[:10])
        print(f"unmapped names    {len(s['unmapped_names']):>8,}  ({top})")
    print(f"unused aliases    {s.get('unused_aliases', 0):>8,}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``borderstats`` command."""
    ap = argparse.ArgumentParser(prog="borderstats", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the tables from folders of articles")
    b.add_argument("sources", nargs="+", help="folders (searched recursively) or files of .txt/.html articles")
    b.add_argument("--out", required=True, help="output folder for Parquet, CSV and datapackage.json")
    b.add_argument("--jobs", type=int, default=1, help="worker processes (0 = all cores)")
    b.add_argument("--no-cache", action="store_true", help="extract every file again")
    b.add_argument("--engine", choices=["local", "dask"], default="local", help="process pool here, or a Dask cluster")
    b.add_argument("--scheduler", help="Dask scheduler address (default: start a LocalCluster)")
    b.add_argument(
        "--repair-mojibake", action="store_true", help="repair UTF-8-read-as-Latin-1 files instead of rejecting them"
    )
    b.add_argument("--quiet", action="store_true")
    r = sub.add_parser("report", help="the main job: tables from data/, notebooks into reports/, every figure exported")
    r.add_argument("--data", default="data", help="data folder (its articles/ subfolder is read)")
    r.add_argument("--out", default="reports", help="report folder")
    r.add_argument("--notebooks", default="notebooks", help="folder of NN_*.ipynb notebooks to execute")
    r.add_argument("--jobs", type=int, default=1, help="worker processes for the build (0 = all cores)")
    r.add_argument("--html-only", action="store_true", help="skip PNG/SVG export (no Chromium needed)")
    args = ap.parse_args(argv)
    if args.cmd == "report":
        import warnings

        from .report import report

        warnings.simplefilter("ignore")
        s = report(args.data, args.out, notebooks=args.notebooks, jobs=args.jobs, export_static=not args.html_only)
        _print_summary(s)
        print(f"notebooks         {len(s['notebooks']):>8,}  ({', '.join(s['notebooks'])})")
        print(f"figures written   {s['figures_written']:>8,}  (in {args.out}/figures)")
        return 0
    if args.cmd == "build":
        import warnings

        from .pipeline import BuildError, build

        warnings.simplefilter("ignore")  # the summary below reports the gazetteer's warnings
        try:
            t = build(
                args.sources,
                args.out,
                jobs=args.jobs,
                cache=not args.no_cache,
                repair_mojibake=args.repair_mojibake,
                progress=not args.quiet,
                engine=args.engine,
                scheduler=args.scheduler,
            )
        except BuildError as e:
            print(f"borderstats: {e}", file=sys.stderr)
            return 2
        if not args.quiet:
            _print_summary(t.summary)
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
