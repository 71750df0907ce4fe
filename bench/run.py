"""Benchmark: build corpora of 1k, 10k, 100k varied articles and measure speed, memory and output.

    python bench/run.py --sizes 1000 10000 100000 [--jobs 2]

Each corpus is made from the relevant articles of data/articles (seeds + dev corpus): names,
dates, numbers, file formats (.txt/.html) and encodings (UTF-8, UTF-8 with BOM and CRLF, NFD,
Windows-1258) are varied so that no two files are identical. For each size the script builds the
tables in a child process (so peak RSS is that build's own) and prints articles per second, peak
RSS, output size and the time of each stage (read, clean, extract, tables, write). In the same run
it times trafilatura's main-text extraction (one core) on the corpus's .html pages against
borderstats's read+clean of the same pages, and an incremental rebuild after changing one file.
Results go to bench/out/results.json; bench/README.md records them with the command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from borderstats.text import to_cp1258

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


GIVEN = ["Minh", "Quang", "Tuấn", "Hùng", "Lan", "Hải", "Sơn", "Thành", "Dũng", "Hòa", "Phong", "Ngọc", "Bình", "Khải"]
MIDDLE = ["Văn", "Thị", "Đức", "Xuân", "Hồng", "Quốc", "Minh", "Thanh"]
SURN = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lưu", "Vương", "Dương"]


def _templates() -> list[tuple[str, str]]:
    """(text, kind) of every relevant annotated article shipped in data/articles."""
    from borderstats.read import decode

    out = []
    for gold in sorted((ROOT / "data" / "articles").glob("*/*.json")):
        g = json.loads(gold.read_text(encoding="utf-8"))
        if "file" not in g or not g.get("relevant"):
            continue
        f = gold.with_name(g["file"])
        if f.exists():
            text, _ = decode(f.read_bytes())
            out.append((text, "html" if f.suffix.startswith(".htm") else "txt"))
    return out


def _vary(text: str, rnd: random.Random, serial: int) -> str:
    """Shift dates, scale numbers, swap people's names; add a serial so every file differs."""
    year_shift = rnd.randint(-3, 2)
    text = re.sub(r"\b(19|20)(\d{2})\b", lambda m: str(int(m.group(0)) + year_shift), text)
    day = rnd.randint(1, 27)
    text = re.sub(
        r"\b(Sáng|Chiều|Ngày|Tối|Trưa) (\d{1,2})/(\d{1,2})", lambda m: f"{m.group(1)} {day}/{m.group(3)}", text
    )
    factor = rnd.choice([0.5, 0.8, 1.3, 2, 3])
    text = re.sub(
        r"\b(\d{1,3}),(\d{1,2})( triệu| tỷ)", lambda m: f"{int(m.group(1)) * factor:.0f},{m.group(2)}{m.group(3)}", text
    )
    for old in set(re.findall(r"(?:đồng chí|ông|bà) ((?:[A-ZĐ]\w+ ){1,2}[A-ZĐ]\w+)", text)):
        text = text.replace(old, f"{rnd.choice(SURN)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}")
    # a serial inside the first paragraph makes every article's cleaned text unique
    if "</p>" in text:
        return text.replace("</p>", f" (Tin số {serial:06d}.)</p>", 1)
    paras = text.split("\n")
    k = next((i for i, ln in enumerate(paras) if len(ln) > 200), len(paras) - 1)
    paras[k] = paras[k] + f" (Tin số {serial:06d}.)"
    return "\n".join(paras)


def _as_html(text: str) -> str:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    title = lines[0] if lines else ""
    body = "\n".join(f"<p>{ln}</p>" for ln in lines[1:])
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<nav><a href="/">Trang chủ</a> | <a href="/kt">Kinh tế</a></nav><article><h1>{title}</h1>{body}</article>'
        '<aside class="related"><h3>Tin liên quan</h3>'
        "<p>Hội nghị ngày 1/1/2019 tại Hà Nội, kim ngạch 9,9 tỷ USD.</p></aside>"
        f"<footer>© Báo điện tử</footer></body></html>"
    )


def make_corpus(n: int, seed: int = 7) -> Path:
    """Write (or reuse) a corpus of ``n`` varied article files; return its folder."""
    d = OUT / f"corpus-{n}"
    stamp = d / ".complete"
    if stamp.exists() and stamp.read_text() == f"{n} {seed}":
        return d
    shutil.rmtree(d, ignore_errors=True)
    rnd = random.Random(seed)
    temps = _templates()
    for i in range(n):
        text, kind = temps[i % len(temps)]
        text = _vary(text, rnd, i)
        enc = rnd.choice(["utf-8", "utf-8", "utf-8-sig-crlf", "nfd", "cp1258"])
        fmt = "html" if kind == "html" or rnd.random() < 0.3 else "txt"
        if fmt == "html" and kind == "txt":
            text = _as_html(text)
        if enc == "nfd":
            data = unicodedata.normalize("NFD", text).encode("utf-8")
        elif enc == "cp1258" and fmt == "txt":
            data = to_cp1258(text, errors="replace")
        elif enc == "utf-8-sig-crlf":
            data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
        else:
            data = text.encode("utf-8")
        sub = d / f"portal{i % 12:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"a{i:07d}.{fmt}").write_bytes(data)
    stamp.write_text(f"{n} {seed}")
    return d


def _child_build(src: str, out: str, jobs: int, cache: bool) -> dict:
    code = (
        "import json,sys,time,resource,warnings;warnings.simplefilter('ignore');import borderstats as bs;"
        f"t0=time.perf_counter();t=bs.build([{src!r}],{out!r},jobs={jobs},cache={cache});"
        "s=t.summary;s['wall']=time.perf_counter()-t0;"
        "s['rss_self_kib']=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "s['rss_children_kib']=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;print(json.dumps(s))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.resolve().rglob("*") if f.is_file())


def trafilatura_vs_clean(corpus: Path, limit: int = 2000) -> dict:
    """Seconds per page for trafilatura.extract and for borderstats read+clean, one core."""
    from borderstats.clean import clean
    from borderstats.read import Document, decode

    pages = sorted(corpus.rglob("*.html"))[:limit]
    blobs = [p.read_bytes() for p in pages]
    try:
        import trafilatura
    except ImportError:
        return {"pages": len(blobs), "trafilatura": None, "note": "pip install trafilatura to compare"}
    t0 = time.perf_counter()
    for b in blobs:
        trafilatura.extract(b.decode("utf-8", errors="replace"), include_comments=False, favor_precision=True)
    t_traf = time.perf_counter() - t0
    t0 = time.perf_counter()
    for b in blobs:
        text, enc = decode(b)
        with contextlib.suppress(Exception):  # a page with no article still costs its cleaning time
            clean(Document("x.html", "html", enc, text, len(b)))
    t_ours = time.perf_counter() - t0
    return {
        "pages": len(blobs),
        "trafilatura_pages_per_s": round(len(blobs) / t_traf, 1),
        "borderstats_pages_per_s": round(len(blobs) / t_ours, 1),
        "ratio": round(t_traf / t_ours, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora and outputs")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        t0 = time.perf_counter()
        corpus = make_corpus(n)
        t_make = time.perf_counter() - t0
        out = OUT / f"tables-{n}"
        shutil.rmtree(out, ignore_errors=True)
        s = _child_build(str(corpus), str(out), args.jobs, cache=False)
        rss_mib = max(s["rss_self_kib"], s["rss_children_kib"]) / 1024
        row = {
            "articles": n,
            "jobs": args.jobs,
            "seconds": round(s["wall"], 2),
            "articles_per_s": round(n / s["wall"], 1),
            "ms_per_article": round(1000 * s["wall"] / n, 3),
            "peak_rss_mib": round(rss_mib, 1),
            "output_mib": round(_dir_size(out) / 2**20, 2),
            "stage_cpu_s": s.get("seconds_by_stage", {}),
            "rejected": s["rejected"],
            "events": s["events"],
            "corpus_seconds": round(t_make, 1),
        }
        if n == max(args.sizes) or n == 10000:
            row["cleaning_vs_trafilatura"] = trafilatura_vs_clean(corpus)
        if n in (10000, max(args.sizes)):
            # incremental: change one article, add one; rebuild with the cache
            s_full = _child_build(str(corpus), str(out), args.jobs, cache=True)  # warm the cache
            victim = sorted(corpus.rglob("*.txt"))[0]
            original = victim.read_bytes()
            victim.write_bytes(original + b"\nThem mot dong.\n")
            extra = corpus / "portal00" / "zz-new.txt"
            extra.write_bytes(original.replace(b"PV", b"PV moi"))
            s_inc = _child_build(str(corpus), str(out), args.jobs, cache=True)
            victim.write_bytes(original)
            extra.unlink()
            row["incremental_seconds"] = round(s_inc["wall"], 2)
            row["incremental_ratio"] = round(s_inc["wall"] / s["wall"], 4)
            row["warm_cache_seconds"] = round(s_full["wall"], 2)
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("\n| articles | jobs | s | articles/s | ms/article | peak RSS MiB | output MiB |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['articles']:,} | {r['jobs']} | {r['seconds']} | {r['articles_per_s']} | {r['ms_per_article']} | "
            f"{r['peak_rss_mib']} | {r['output_mib']} |"
        )


if __name__ == "__main__":
    _ = resource  # peak RSS is read in the child build
    main()
