"""Stage 2: the briefing's Plotly figures drawn to PNG in headless Chromium, offline: plotly.js
from the plotly package (no CDN), the empty base-map topology from static/ handed to Plotly
in the page (no fetch), the boundaries already inline in the figures (see gather)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import plotly.io as pio
from plotly.offline import get_plotlyjs

from dashboard import charts
from dashboard.db import ROOT
from dashboard.report.chromium import Chromium
from dashboard.report.content import Briefing, Figure

Inspect = Callable[[str, object], None]
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
FONT_SIZE_PX = 16  # at 760 px across a 16 cm column: about 9.5 pt on paper
STATIC = ROOT / "static"
PLOT = """async ([figure, width, height]) => {
    const div = document.getElementById('figure');
    div.style.width = width + 'px';
    div.style.height = height + 'px';
    Plotly.purge(div);
    await Plotly.newPlot(div, figure.data, figure.layout, {staticPlot: true});
}"""


def _assets() -> str:
    """Plotly's geo base maps, from the empty topologies in static/, so none is fetched."""
    topo = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in STATIC.glob("world_*.json")}
    return "window.PlotlyGeoAssets = " + json.dumps({"topojson": topo}) + ";"


def _styled(figure: Figure) -> dict:
    fig = figure.fig
    fig.update_layout(
        font={"family": FONT, "size": FONT_SIZE_PX, "color": "#222"},
        width=figure.width_px,
        height=figure.height_px,
        paper_bgcolor="white",
        template="plotly_white",  # no grey plot area on paper
    )
    fig.update_layout(margin={**fig.layout.margin.to_plotly_json(), "t": 16, "r": 16})
    # margins that hold the labels at the printed size (a map is left as it is)
    charts.fit(fig, FONT_SIZE_PX, base={"t": 16, "r": 16})
    return json.loads(pio.to_json(fig, validate=False))


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="plotly.min.js"></script><script src="geo_assets.js"></script></head>
<body style="margin:0;background:white"><div id="figure"></div></body></html>"""


def render(
    briefing: Briefing, chromium: Chromium, inspect: Inspect | None = None
) -> dict[str, bytes]:
    """Figure name -> PNG bytes, for every figure of the briefing. inspect(name, page): called
    once each figure is drawn, before its picture is taken (the tests read what it drew)."""
    styled = [(f.name, _styled(f), f.width_px, f.height_px) for f in briefing.figures()]
    return chromium.run(lambda: _draw(styled, chromium, inspect))


def _draw(styled: list, chromium: Chromium, inspect: Inspect | None = None) -> dict[str, bytes]:
    page = chromium.kept_page(
        "figures",
        {"plotly.min.js": get_plotlyjs(), "geo_assets.js": _assets(), "figures.html": PAGE},
        "figures.html",
    )
    out = {}
    for name, figure, width, height in styled:
        page.set_viewport_size({"width": width + 20, "height": height + 20})
        page.evaluate(PLOT, [figure, width, height])
        if inspect is not None:
            inspect(name, page)
        out[name] = page.locator("#figure").screenshot(type="png")
    return out


def write(pngs: dict[str, bytes], folder: Path) -> None:
    """The PNGs as files (for looking at them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in pngs.items():
        (folder / f"{name}.png").write_bytes(data)
