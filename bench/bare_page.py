"""The framework's floor: a bare Streamlit page with one chart of a given kind, nothing else.

streamlit run bench/bare_page.py -- (the kind comes from ?kind=map|county_map|bars|table)
"""

import json
import os

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

# An empty base-map topology as a data: URL (the "#" turns Plotly's appended file name into
# a fragment), so this page needs no static folder and no CDN.
EMPTY = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "objects": {
            k: {"type": "GeometryCollection", "geometries": []}
            for k in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
        },
    }
)
TOPOJSON_URL = "data:application/json," + EMPTY + "#"
GEO = {
    "visible": False,
    "fitbounds": "locations",
    "projection": {"type": "conic equal area", "rotation": {"lon": 105}},
}


@st.cache_resource
def shapes(level: str, prefix: int) -> dict:
    con = duckdb.connect(os.environ["DASHBOARD_DB"], read_only=True)
    rows = con.execute(
        "select adcode, boundary from regions where level = $level and "
        "($prefix = 0 or province_adcode = $prefix) and boundary is not null",
        {"level": level, "prefix": prefix},
    ).fetchall()
    con.close()
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": str(a), "geometry": json.loads(b)} for a, b in rows],
    }


kind = st.query_params.get("kind", "map")
if kind in ("map", "county_map"):
    fc = shapes("province", 0) if kind == "map" else shapes("county", 510000)
    ids = [f["id"] for f in fc["features"]]
    fig = go.Figure(
        go.Choropleth(geojson=fc, locations=ids, z=list(range(len(ids))), featureidkey="id")
    )
    fig.update_layout(geo=GEO, height=600)
    st.plotly_chart(fig, config={"topojsonURL": TOPOJSON_URL})
elif kind == "bars":
    st.plotly_chart(go.Figure(go.Bar(x=list(range(30)), y=list(range(30)))))
else:
    st.dataframe(pd.DataFrame({"a": range(500), "b": ["名称"] * 500}))
