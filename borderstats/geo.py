"""Offline map layers shipped as package data (see ``reference/geo/SOURCES.md``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import geopandas as gpd

__all__ = ["LAYERS", "MAP_CRS", "load_layer"]

LAYERS = ("border", "countries", "vn_provinces", "vn_provinces_2025", "cn_provinces")
#: WGS 84 / UTM zone 48N: conformal, north-up, covers 102–108 °E where the border runs
MAP_CRS = "EPSG:32648"


@cache
def _read(name: str) -> gpd.GeoDataFrame:
    with resources.as_file(resources.files("borderstats").joinpath("reference", "geo", f"{name}.geojson")) as p:
        return gpd.read_file(p).set_crs(4326, allow_override=True)


def load_layer(name: str, crs: str | None = None) -> gpd.GeoDataFrame:
    """A shipped layer as a GeoDataFrame (EPSG:4326, or ``crs`` if given).

    Examples
    --------
    >>> bool(load_layer("border")["length_km"].iloc[0] > 1000)
    True
    >>> sorted(load_layer("vn_provinces").query("is_border")["unit_id"])
    ['VN-01', 'VN-02', 'VN-03', 'VN-04', 'VN-09', 'VN-13', 'VN-71']
    """
    if name not in LAYERS:
        raise ValueError(f"unknown layer {name!r}; layers: {', '.join(LAYERS)}")
    gdf = _read(name).copy()
    return gdf.to_crs(crs) if crs else gdf
