"""Offline map layers shipped as package data.

The layers are GeoJSON files in ``borderstats/reference/geo/`` (EPSG:4326), built from pinned npm
packages by ``scripts/build_geo.py``; ``reference/geo/SOURCES.md`` lists package versions, files,
licences and resolution. Nothing is fetched from the network.

=====================  ==================================================================
``border``             the Vietnam–China land border, one line (``length_km``)
``countries``          Vietnam, China, Laos, Myanmar, Thailand, clipped to the map box
``vn_provinces``       Vietnamese provinces before the 2025 merger (ISO 3166-2:VN codes)
``vn_provinces_2025``  Vietnamese provinces from 1 July 2025 (``merged_from`` lists old codes)
``cn_provinces``       Chinese provinces (Yunnan and Guangxi whole, neighbours clipped)
=====================  ==================================================================

Every feature has ``source``, ``license`` and ``resolution``; unit layers also have ``unit_id``,
``name_vi``, ``name_en``, ``is_border`` and ``clipped`` (the map box cut the unit).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import geopandas as gpd

__all__ = ["LAYERS", "MAP_CRS", "load_layer"]

#: names accepted by :func:`load_layer`
LAYERS: tuple[str, ...] = ("border", "countries", "vn_provinces", "vn_provinces_2025", "cn_provinces")
#: WGS 84 / UTM zone 48N: conformal, north-up, covers 102–108 °E where the border runs
MAP_CRS = "EPSG:32648"


@cache
def _read(name: str) -> gpd.GeoDataFrame:
    ref = resources.files("borderstats").joinpath("reference", "geo", f"{name}.geojson")
    with resources.as_file(ref) as path:
        return gpd.read_file(path, engine="pyogrio").set_crs(4326, allow_override=True)


def load_layer(name: str, crs: str | int | None = None) -> gpd.GeoDataFrame:
    """Read one shipped map layer.

    Parameters
    ----------
    name : str
        One of :data:`LAYERS`.
    crs : str or int, optional
        Reproject to this CRS (for example :data:`MAP_CRS`); by default the layer stays in
        EPSG:4326 (longitude/latitude).

    Returns
    -------
    geopandas.GeoDataFrame
        A fresh copy: changing it does not change later calls.

    Raises
    ------
    ValueError
        If ``name`` is not a shipped layer.

    Examples
    --------
    >>> border = load_layer("border")
    >>> border.crs.to_epsg(), bool(1000 < border["length_km"].iloc[0] < 1500)
    (4326, True)
    >>> sorted(load_layer("vn_provinces").query("is_border")["unit_id"])
    ['VN-01', 'VN-02', 'VN-03', 'VN-04', 'VN-09', 'VN-13', 'VN-71']
    >>> load_layer("vn_provinces_2025").set_index("unit_id").loc["VN-07", "merged_from"]
    'VN-03 VN-07'
    >>> load_layer("cn_provinces").query("is_border")[["unit_id", "name_vi", "name_zh"]].to_numpy().tolist()
    [['guangxi', 'Quảng Tây', '广西'], ['yunnan', 'Vân Nam', '云南']]
    """
    if name not in LAYERS:
        raise ValueError(f"unknown layer {name!r}; layers: {', '.join(LAYERS)}")
    gdf = _read(name).copy()
    return gdf.to_crs(crs) if crs is not None else gdf
