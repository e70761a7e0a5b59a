"""A bare map page for the benchmark: one layer (the real district or a synthetic coverage), three
indicators, drawn the atlas way (``mutte_geo.webmap.map_parts``), with ablations, or with ``GeoDataFrame.explore()``.

Run by bench/run.py as ``streamlit run bench/map_app.py -- --data synth-1000 --mode atlas``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from bench import layers  # noqa: E402
from mutte_geo.maps import webmap  # noqa: E402
from mutte_geo.maps.webmap import map_parts  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="district")
parser.add_argument("--mode", choices=["atlas", "atlas-svg", "inline", "explore"], default="atlas")
args = parser.parse_args(sys.argv[1:])


@st.cache_resource
def dataset(name: str) -> layers.Dataset:
    return layers.load(name)


data = dataset(args.data)
indicator = st.selectbox("Chỉ tiêu", data.indicators, key="indicator")
joined, classification, legend = data.view(indicator)
if args.mode == "atlas-svg":  # what canvas rendering buys: force SVG paths at any size
    webmap.CANVAS_FROM = 10**9
if args.mode in ("atlas", "atlas-svg"):
    parts = map_parts(joined, classification, legend=legend, attribution=["bench"],
                      lang="vi", serve_geometry=True)
    st_folium(parts.base, height=600, use_container_width=True, feature_group_to_add=parts.styles,
              returned_objects=["last_active_drawing"], key="atlas_map")
elif args.mode == "inline":  # what style-only updates buy: one self-contained map, remounted on change
    fmap = webmap.choropleth_map(joined, classification, legend=legend, attribution=["bench"], lang="vi")
    st_folium(fmap, height=600, use_container_width=True, returned_objects=["last_active_drawing"], key="atlas_map")
else:
    fmap = layers.explore(joined)
    st_folium(fmap, height=600, use_container_width=True, returned_objects=["last_active_drawing"])
