# Vendored copy of ../shared/score.py (the project's scoring contract), so tests run without ../shared.
"""Score borderstats output tables against gold annotations (format: corpus-dev/README.md).

usage: python score.py OUT_DIR GOLD_DIR [GOLD_DIR ...] [--json]

OUT_DIR holds the Parquet tables written by `borderstats build`. Each GOLD_DIR holds NAME.json
gold files whose "file" field names the article file. Prints one row per field and, last, the
macro mean of all field scores. Exits 0 always; the caller decides what is enough.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd


def norm(s) -> str:
    if s is None or (isinstance(s, float) and pd.isna(s)):
        return ""
    s = unicodedata.normalize("NFC", str(s)).lower()
    return re.sub(r"[^0-9a-zà-ỹđ]", "", s)


def ascii_norm(s) -> str:
    s = unicodedata.normalize("NFKD", norm(s).replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c))


# spelling variants of Chinese unit names that are the same unit
CN_ALIASES = {
    "puer": "puer",
    "puercity": "puer",
    "yunnanprovince": "yunnan",
    "guangxizhuangautonomousregion": "guangxi",
    "honghehaniyiautonomousprefecture": "honghe",
    "honghe": "honghe",
    "hongha": "honghe",
    "wenshanzhuangmiaoautonomousprefecture": "wenshan",
    "xishuangbannadaiautonomousprefecture": "xishuangbanna",
    "hekouyaoautonomouscounty": "hekou",
    "jinpingmiaoyaodaiautonomouscounty": "jinping",
}


def cn_key(s) -> str:
    k = ascii_norm(s)
    return CN_ALIASES.get(k, k)


def table(out: Path, name: str) -> pd.DataFrame:
    p = out / f"{name}.parquet"
    if not p.exists():
        return pd.DataFrame()
    return pd.read_parquet(p)


def prf(tp: int, fp: int, fn: int) -> float:
    if tp + fp + fn == 0:
        return 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


class SetScore:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.misses: list[str] = []

    def add(self, gold: set, pred: set, label: str):
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)
        if gold != pred:
            self.misses.append(f"{label}: missing {sorted(gold - pred)} extra {sorted(pred - gold)}")

    @property
    def f1(self):
        return prf(self.tp, self.fp, self.fn)


class Acc:
    def __init__(self):
        self.ok = self.n = 0
        self.misses: list[str] = []

    def add(self, good: bool, label: str):
        self.n += 1
        self.ok += bool(good)
        if not good:
            self.misses.append(label)

    @property
    def score(self):
        return self.ok / self.n if self.n else 1.0


def as_date(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return str(pd.Timestamp(v).date())


def blank(v):
    """None for None, NaN and empty strings; the value otherwise."""
    if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "":
        return None
    return v


def figure_match(g: dict, p: dict) -> bool:
    if g["measure"] != p["measure"] or norm(g["unit"]) != norm(p["unit"]):
        return False
    if blank(g.get("period")) != blank(p.get("period")):
        return False
    gv, pv = float(g["value"]), float(p["value"])
    return abs(gv - pv) <= 0.005 * max(abs(gv), 1e-9)


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    out, gold_dirs = Path(argv[0]), [Path(a) for a in argv[1:]]
    arts = table(out, "articles")
    rejected = table(out, "rejected")
    parties, people = table(out, "parties"), table(out, "participants")
    gates, routes = table(out, "gate_mentions"), table(out, "route_mentions")
    topics, comms, figs = table(out, "topics"), table(out, "commodities"), table(out, "figures")

    def rows(df, aid):
        return df[df["article_id"] == aid] if len(df) and "article_id" in df else pd.DataFrame()

    S = {
        k: SetScore()
        for k in ["vn_provinces", "cn_units", "people", "gates", "routes", "topics", "commodities", "figures"]
    }
    A = {k: Acc() for k in ["found", "relevant", "published", "event_date", "event_type", "person_side", "person_role"]}
    golds = []
    for d in gold_dirs:
        golds += [json.loads(p.read_text()) for p in sorted(d.glob("*.json"))]
    src_name = arts["source"].map(lambda s: Path(str(s).split("#")[0]).name) if len(arts) else pd.Series([], dtype=str)
    rej_names = (
        set(rejected["source"].map(lambda s: Path(str(s)).name)) if len(rejected) and "source" in rejected else set()
    )
    event_of = {}
    for g in golds:
        f = g["file"]
        match = arts[src_name == f] if len(arts) else arts
        if len(match) == 0:
            ok = (not g["relevant"]) and f in rej_names
            A["found"].add(ok, f"{f}: no article row" + (" (rejected)" if f in rej_names else ""))
            if not ok:
                # count every gold item as missed
                for k in S:
                    items = g.get(k) or []
                    S[k].fn += len(items)
            continue
        A["found"].add(True, f)
        a = match.iloc[0]
        aid = a["article_id"]
        A["relevant"].add(
            bool(a.get("is_relevant")) == bool(g["relevant"]),
            f"{f}: relevant {a.get('is_relevant')} != {g['relevant']}",
        )
        gp = g["published"][:10] if g.get("published") else None
        pp = as_date(a.get("published_at"))
        A["published"].add(gp == pp, f"{f}: published {pp} != {gp}")
        if not g["relevant"]:
            continue
        ge, pe = g.get("event_date"), as_date(a.get("event_date"))
        A["event_date"].add(ge == pe, f"{f}: event_date {pe} != {ge}")
        pt = a.get("event_type")
        pt = None if pt is None or (not isinstance(pt, str) and pd.isna(pt)) else pt
        A["event_type"].add(pt == g.get("event_type"), f"{f}: event_type {pt} != {g.get('event_type')}")
        event_of[f] = a.get("event_id")
        pr = rows(parties, aid)
        S["vn_provinces"].add(set(g["vn_provinces"]), set(pr[pr["side"] == "VN"]["unit_id"]) if len(pr) else set(), f)
        S["cn_units"].add(
            {cn_key(x) for x in g["cn_units"]},
            {cn_key(x) for x in pr[pr["side"] == "CN"]["unit_name_en"]} if len(pr) else set(),
            f,
        )
        pe_rows = rows(people, aid)
        pred_people = {norm(r["person_name"]): r for _, r in pe_rows.iterrows()} if len(pe_rows) else {}
        gold_people = {norm(p["name"]): p for p in g["people"]}
        S["people"].add(set(gold_people), set(pred_people), f)
        for k in set(gold_people) & set(pred_people):
            gpp, ppp = gold_people[k], pred_people[k]
            A["person_side"].add(ppp.get("side") == gpp["side"], f"{f}: {gpp['name']} side {ppp.get('side')}")
            A["person_role"].add(
                ppp.get("role") == gpp["role"], f"{f}: {gpp['name']} role {ppp.get('role')} != {gpp['role']}"
            )
        gr = rows(gates, aid)
        S["gates"].add(set(g["gates"]), set(gr["gate_id"]) if len(gr) else set(), f)
        rr = rows(routes, aid)
        pred_routes = [frozenset(ascii_norm(w) for w in r) for r in rr["waypoints_en"]] if len(rr) else []
        gold_routes = [frozenset(ascii_norm(w) for w in r) for r in g["routes"]]
        used = set()
        for gr_ in gold_routes:
            hit = next(
                (i for i, p in enumerate(pred_routes) if i not in used and len(gr_ & p) / max(1, len(gr_ | p)) >= 0.6),
                None,
            )
            if hit is None:
                S["routes"].fn += 1
                S["routes"].misses.append(f"{f}: route {sorted(gr_)} missing")
            else:
                used.add(hit)
                S["routes"].tp += 1
        S["routes"].fp += len(pred_routes) - len(used)
        tr = rows(topics, aid)
        S["topics"].add(set(g["topics"]), set(tr["topic"]) if len(tr) else set(), f)
        cr = rows(comms, aid)
        S["commodities"].add(set(g["commodities"]), set(cr["commodity"]) if len(cr) else set(), f)
        fr = rows(figs, aid)
        pred_f = [dict(r) for _, r in fr.iterrows()] if len(fr) else []
        used = set()
        for gf in g["figures"]:
            hit = next((i for i, p in enumerate(pred_f) if i not in used and figure_match(gf, p)), None)
            if hit is None:
                S["figures"].fn += 1
                S["figures"].misses.append(
                    f"{f}: figure {gf['measure']} {gf['value']} {gf['unit']} {gf.get('period')} missing"
                )
            else:
                used.add(hit)
                S["figures"].tp += 1
        S["figures"].fp += len(pred_f) - len(used)
        for i, p in enumerate(pred_f):
            if i not in used:
                S["figures"].misses.append(
                    f"{f}: extra figure {p.get('measure')} {p.get('value')} {p.get('unit')} {p.get('period')}"
                )

    # dedup: articles whose gold event matches must share event_id; others must not
    key = {}
    for g in golds:
        if g["relevant"] and g.get("event_type") and g.get("event_date"):
            key[g["file"]] = (
                g["event_date"],
                tuple(sorted(g["vn_provinces"])),
                tuple(sorted(cn_key(x) for x in g["cn_units"])),
            )
    files = sorted(f for f in key if f in event_of)
    dtp = dfp = dfn = 0
    dmiss = []
    for i, f1 in enumerate(files):
        for f2 in files[i + 1 :]:
            same_gold = key[f1] == key[f2]
            e1, e2 = event_of[f1], event_of[f2]
            same_pred = e1 is not None and not pd.isna(e1) and e1 == e2
            dtp += same_gold and same_pred
            dfp += same_pred and not same_gold
            dfn += same_gold and not same_pred
            if same_gold != same_pred:
                dmiss.append(f"{f1}~{f2}: gold same={same_gold} pred same={same_pred}")

    result = {k: round(v.f1, 3) for k, v in S.items()}
    result.update({k: round(v.score, 3) for k, v in A.items()})
    result["event_dedup"] = round(prf(dtp, dfp, dfn), 3)
    macro = round(sum(result.values()) / len(result), 3)
    if as_json:
        print(json.dumps({"fields": result, "macro": macro}))
        return
    for k, v in result.items():
        print(f"{k:14s} {v:.3f}")
    print("\n# misses")
    for k, v in list(S.items()) + list(A.items()):
        for m in v.misses[:40]:
            print(f"[{k}] {m}")
    for m in dmiss:
        print(f"[event_dedup] {m}")
    print(f"\nmacro {macro:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
