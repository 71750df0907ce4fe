"""End to end on the seeds and the dev corpus: bad files, encodings, determinism, score."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from borderstats import build
from borderstats.dictionary import TABLES
from borderstats.tables import check
from borderstats.text import to_cp1258

from .conftest import DEV, ROOT, SEEDS

SEED = SEEDS / "000_ddd0d501225f9b48.txt"


def test_every_bad_file_is_rejected_with_a_reason(dev_build):
    t, _ = dev_build
    rej = t.rejected.assign(name=t.rejected["source"].map(lambda s: Path(s).name))
    bad = sorted(p.name for p in DEV.glob("bad-*"))
    assert sorted(rej["name"]) == bad
    assert rej["detail"].str.len().min() > 20
    names = set(t.articles["source"].map(lambda s: Path(s).name))
    expected = {
        p.name
        for d in (SEEDS, DEV)
        for p in d.iterdir()
        if p.suffix in (".txt", ".html") and not p.name.startswith("bad-")
    }
    assert names == expected


def test_tables_follow_the_dictionary(dev_build):
    _, out = dev_build
    for name in TABLES:
        df = pd.read_parquet(out / f"{name}.parquet")
        assert list(df.columns) == TABLES[name].columns
        check(name, df)
        assert (out / f"{name}.csv").exists()
    dp = json.loads((out / "datapackage.json").read_text())
    assert {r["name"] for r in dp["resources"]} == set(TABLES)


def test_sidebar_dates_and_site_clock_never_reach_the_tables(dev_build):
    t, _ = dev_build
    a = t.articles.set_index(t.articles["source"].map(lambda s: Path(s).name))
    # seed 000: site clock 03/05/2024, own date line 28/07/2023
    assert str(a.loc["000_ddd0d501225f9b48.txt", "published_at"]) == "2023-07-28 23:13:00"
    assert str(a.loc["000_ddd0d501225f9b48.txt", "event_date"].date()) == "2023-07-28"
    # d106: aside items dated 22/11/2017, 24/10/2019
    assert str(a.loc["d106.html", "event_date"].date()) == "2023-11-13"
    figs = t.figures.merge(t.articles[["article_id", "source"]])
    d106 = figs[figs["source"].str.endswith("d106.html")]
    assert 2.08e9 not in set(d106["value"])  # Lào Cai figure in the related-news aside


def test_yearless_event_date_from_date_line(dev_build):
    t, _ = dev_build
    a = t.articles.set_index(t.articles["source"].map(lambda s: Path(s).name))
    assert str(a.loc["d109.txt", "event_date"].date()) == "2024-11-29"  # "Ngày 29/11", date line 2024
    assert pd.isna(a.loc["d108.txt", "event_date"])  # "Sáng 3/11", no date line


def test_merged_province_after_july_2025(tmp_path):
    text = (
        "Hà Giang hội đàm với châu Văn Sơn\n\n15/09/2025 10:00\n\n"
        "Sáng 15/9, tại tỉnh Hà Giang, đoàn đại biểu tỉnh Hà Giang đã hội đàm với đoàn đại biểu châu Văn Sơn, "
        "tỉnh Vân Nam (Trung Quốc) về hợp tác thương mại qua cửa khẩu Thanh Thủy và phát triển du lịch.\n\n"
        "Hai bên thống nhất tăng cường trao đổi đoàn các cấp, tạo điều kiện thuận lợi cho hàng hóa thông quan "
        "và thúc đẩy hợp tác trong lĩnh vực nông nghiệp, du lịch, văn hóa giữa hai địa phương.\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    t = build(tmp_path)
    vn = set(t.parties.loc[t.parties["side"] == "VN", "unit_id"])
    assert vn == {"VN-07"}
    (tmp_path / "a.txt").write_text(text.replace("2025", "2024"), encoding="utf-8")
    t = build(tmp_path)
    assert set(t.parties.loc[t.parties["side"] == "VN", "unit_id"]) == {"VN-03"}


def _tables_without_provenance(t):
    out = {}
    for name, df in t.frames.items():
        out[name] = df.drop(columns=[c for c in ("source", "encoding", "portal") if c in df.columns])
    return out


@pytest.mark.parametrize("variant", ["nfd", "cp1258", "crlf_bom"])
def test_encodings_give_the_same_tables(tmp_path, variant):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "nfc").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "nfc" / "a.txt").write_text(text, encoding="utf-8")
    if variant == "nfd":
        data = unicodedata.normalize("NFD", text).encode("utf-8")
    elif variant == "cp1258":
        data = to_cp1258(text)
    else:
        data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    (tmp_path / "other" / "a.txt").write_bytes(data)
    a = _tables_without_provenance(build(tmp_path / "nfc"))
    b = _tables_without_provenance(build(tmp_path / "other"))
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=True)
    assert len(a["figures"]) == 8


def test_two_builds_give_identical_bytes(tmp_path):
    build([SEEDS, DEV], tmp_path / "one", cache=False)
    build([SEEDS, DEV], tmp_path / "two", cache=False)
    for name in TABLES:
        assert (tmp_path / "one" / f"{name}.parquet").read_bytes() == (
            tmp_path / "two" / f"{name}.parquet"
        ).read_bytes()


def test_score_on_annotated_articles(dev_build):
    _, out = dev_build
    res = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "score_reference.py"), str(out), str(SEEDS), str(DEV), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    score = json.loads(res.stdout)
    print(score)
    # the acceptance bar of issue 3 (dev-corpus score; unseen articles are scored separately)
    assert score["macro"] >= 0.92, score
    low = {k: v for k, v in score["fields"].items() if v < 0.85}
    assert not low, low


def test_gazetteer_warns_about_names_it_cannot_map(tmp_path):
    from borderstats.pipeline import GazetteerWarning

    text = (
        "Huyện Mường Xén hội đàm với huyện Hà Khẩu\n\n12/03/2024 09:00\n\n"
        "Sáng 12/3, tại huyện Mường Xén, tỉnh Nghệ An, đoàn đại biểu huyện Mường Xén đã hội đàm với đoàn "
        "đại biểu huyện Hà Khẩu, châu Hồng Hà, tỉnh Vân Nam (Trung Quốc) về hợp tác thương mại và du lịch "
        "giữa hai địa phương trong thời gian tới.\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    with pytest.warns(GazetteerWarning, match="Mường Xén"):
        t = build(tmp_path)
    assert "Mường Xén" in t.summary["unmapped_names"]
    # names the gazetteer knows are never reported, even where a person or gate masked them as a party
    assert not {"Hà Khẩu", "Hồng Hà", "Vân Nam"} & set(t.summary["unmapped_names"])


def test_known_names_behind_people_and_gates_are_not_unmapped(tmp_path):
    text = (
        "Lào Cai xuất khẩu nông sản qua cửa khẩu Kim Thành\n\n01/04/2024 20:16\n\n"
        "Trong quý I/2024, giá trị xuất khẩu qua Cửa khẩu Quốc tế đường bộ số II Kim Thành (Lào Cai) – "
        "cửa khẩu Bắc Sơn (huyện Hà Khẩu, tỉnh Vân Nam, Trung Quốc) đạt trên 145 triệu USD, xuất sang châu Âu.\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    t = build(tmp_path)
    assert t.summary["unmapped_names"] == {}
    # the gate's parenthesis names the Chinese side when nobody else does
    assert set(t.parties.unit_id) >= {"VN-02", "hekou", "yunnan"}


def test_score_on_the_holdout_batches(tmp_path):
    """The batches written blind to the code (then used to fix general rules) stay above the bar."""
    dirs = sorted(p for p in (ROOT / "data" / "articles").glob("holdout-*") if p.is_dir())
    assert dirs
    build(dirs, tmp_path / "t", cache=False)
    res = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "score_reference.py"), str(tmp_path / "t"), *map(str, dirs), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    score = json.loads(res.stdout)
    assert score["macro"] >= 0.92, score


def test_docs_data_dictionary_is_generated_from_the_dictionary():
    from borderstats.dictionary import markdown

    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == markdown(), (
        'regenerate: python -c "from borderstats.dictionary import markdown; '
        "open('docs/data-dictionary.md','w').write(markdown())\""
    )


def test_a_breakdown_is_not_a_dispute_but_two_articles_disagreeing_is(tmp_path):
    from borderstats.analysis import money_figures

    def article(name: str, date_line: str, total: str) -> None:
        (tmp_path / name).write_text(
            f"Xuất khẩu qua cửa khẩu Kim Thành tăng mạnh\n\n{date_line}\n\n"
            f"Trong quý I/2024, giá trị xuất khẩu qua Cửa khẩu Quốc tế đường bộ số II Kim Thành (Lào Cai) – "
            f"cửa khẩu Bắc Sơn (huyện Hà Khẩu, tỉnh Vân Nam, Trung Quốc) đạt trên {total} triệu USD.\n\n"
            "Thanh long và sầu riêng là hai mặt hàng xuất khẩu lớn nhất qua cửa khẩu này, với giá trị đạt "
            "trên 80 triệu USD.\n",
            encoding="utf-8",
        )

    article("a.txt", "01/04/2024 20:16", "145")
    f = money_figures(build(tmp_path))
    assert sorted(f["value_usd"]) == [80e6, 145e6] and not f["is_disputed"].any()
    article("b.txt", "02/04/2024 08:00", "160")
    f = money_figures(build(tmp_path))
    assert f["is_disputed"].all()


def test_arrow_tables_refuse_duplicate_keys_sorted_or_not():
    from borderstats.tables import SchemaError, check_arrow, finalize_arrow, to_arrow

    def row(aid, topic):
        return {"article_id": aid, "topic": topic, "keyword": "chè", "n_hits": 1, "evidence": "Chè."}

    ok = finalize_arrow("topics", to_arrow("topics", [row("b", "trade"), row("a", "trade"), row("a", "agriculture")]))
    assert ok.column("article_id").to_pylist() == ["a", "a", "b"]
    dup = [row("b", "trade"), row("a", "trade"), row("b", "trade")]
    with pytest.raises(SchemaError, match="not unique"):
        finalize_arrow("topics", to_arrow("topics", dup))  # sorted: adjacent rows compared
    with pytest.raises(SchemaError, match="not unique"):
        check_arrow("topics", to_arrow("topics", dup))  # unsorted: hash aggregation
    with pytest.raises(SchemaError, match="outside the vocabulary"):
        finalize_arrow("topics", to_arrow("topics", [row("a", "astrology")]))
