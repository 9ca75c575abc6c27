"""Tests that look: what plotly.js resolved and drew in the page (gd._fullData, gd._fullLayout,
the SVG and its bounding boxes), never the figure dict we sent.

`read(page)` describes every Plotly figure on a page; `colour_problems` and `layout_problems`
say, in words a reviewer can read, which unit is drawn in the wrong colour family and which label
runs off its figure or over another. The same checks run on the briefings' figures before they
are rendered (tests/test_browser_looks.py)."""

from __future__ import annotations

import re

# One description per Plotly figure: its box, every text it drew with its box, its bars and its
# coloured areas with the colour each one was drawn in.
DESCRIBE = """(root) => {
  const scope = root || document;
  const rect = (e) => { const b = e.getBoundingClientRect();
    return {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom}; };
  const texts = (gd, selector, kind) => [...gd.querySelectorAll(selector)]
    .filter(e => (e.textContent || '').trim() !== '' && e.getBBox && e.getBBox().width > 0)
    .filter(e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden')
    .map(e => ({kind, text: e.textContent.trim(), box: rect(e),
                axis: (e.closest('[class*="tick"]') || {}).getAttribute
                  ? e.closest('[class*="tick"]').getAttribute('class') : ''}));
  return [...scope.querySelectorAll('.js-plotly-plot')].map((gd, index) => {
    const svg = gd.querySelector('.main-svg');
    const full = gd._fullData || [];
    const layout = gd._fullLayout || {};
    const heading = (() => {  // the Streamlit heading above the chart, to name it in messages
      let e = gd.closest('[data-testid="stElementContainer"], [data-testid="element-container"]');
      while (e && e.previousElementSibling) {
        e = e.previousElementSibling;
        const h = e.querySelector && e.querySelector('h1, h2, h3, h4, h5, .kiosk-panel');
        if (h) return h.textContent.trim();
      }
      return '';
    })();
    const areas = [...gd.querySelectorAll('.choroplethlayer .trace')].map(g => {
      const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
      if (!trace) return null;
      return {
        name: trace.name || '', hover: trace.hoverinfo !== 'skip',
        colorscale: trace.colorscale, zmin: trace.zmin, zmax: trace.zmax,
        reversescale: !!trace.reversescale, showscale: !!trace.showscale,
        units: [...g.querySelectorAll('path.choroplethlocation')].map(p => ({
          loc: String(p.__data__ && p.__data__.loc), z: p.__data__ && p.__data__.z,
          fill: getComputedStyle(p).fill, pixels: (() => { const b = p.getBoundingClientRect();
            return b.width * b.height; })(),
        })),
      };
    }).filter(Boolean);
    const bars = full.filter(t => t.type === 'bar' && t.visible !== false).map(t => ({
      name: t.name || '', orientation: t.orientation,
      categories: [...(t.orientation === 'h' ? t.y : t.x)].map(String),
      values: [...(t.orientation === 'h' ? t.x : t.y)].map(Number),
      color: typeof t.marker.color === 'string' ? t.marker.color : null,
      showlegend: !!t.showlegend,
      axis: (t.orientation === 'h' ? layout.yaxis : layout.xaxis) || {},
    })).map(b => ({...b, axis: {type: b.axis.type, title: (b.axis.title || {}).text || ''}}));
    const lines = full.filter(t => t.type === 'scatter' && t.visible !== false).map(t => ({
      name: t.name || '', color: (t.line || {}).color || null, showlegend: !!t.showlegend}));
    // the island dots of a 南海诸岛 inset: small markers nobody hovers
    const islands = [...gd.querySelectorAll('g.trace.scattergeo')].filter(g => {
      const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
      return t && t.mode === 'markers' && t.hoverinfo === 'skip' && t.marker.size <= 4;
    }).flatMap(g => [...g.querySelectorAll('path.point')].map(rect));
    return {
      index, heading, box: rect(svg), width: layout.width, height: layout.height, islands,
      ticks: texts(gd, '.xtick text, .ytick text, .x2tick text, .y2tick text', 'tick'),
      titles: texts(gd, '.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text', 'axis title'),
      annotations: texts(gd, '.annotation .annotation-text', 'annotation'),
      legend: texts(gd, '.legend .legendtext', 'legend'),
      geotext: texts(gd, '.scattergeo text', 'map label'),
      colorbar: texts(gd, '.colorbar text, .cbaxis text, .cbtitle text', 'colour bar'),
      yticks: texts(gd, '.ytick text', 'tick').map(t => t.text),
      xticks: texts(gd, '.xtick text', 'tick').map(t => t.text),
      ytickboxes: texts(gd, '.ytick text', 'tick'),
      xtickboxes: texts(gd, '.xtick text', 'tick'),
      areas, bars, lines,
    };
  });
}"""


def read(page, root=None) -> list[dict]:
    """Every Plotly figure on the page (or under root, an element handle), as drawn."""
    if root is None:
        return page.evaluate(DESCRIBE, None)
    return root.evaluate(DESCRIBE)


# ---- colours ---------------------------------------------------------------------------------

_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)")


def rgb(colour: str) -> tuple[float, float, float]:
    """(r, g, b) of a CSS colour as plotly.js writes it: rgb(), rgba() or #rrggbb."""
    colour = colour.strip()
    match = _RGB.match(colour)
    if match:
        return tuple(float(v) for v in match.groups())  # type: ignore[return-value]
    if colour.startswith("#") and len(colour) in (4, 7):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    raise ValueError(f"not a colour plotly.js writes: {colour!r}")


def family(colour: str | tuple) -> str:
    """'red' (worse than the target), 'blue' (better) or 'neutral', by the colour's own hue: a
    reader tells red from blue, whatever shade."""
    r, _, b = rgb(colour) if isinstance(colour, str) else colour
    if r - b > 40:
        return "red"
    if b - r > 40:
        return "blue"
    return "neutral"


def scale_colour(colorscale, zmin: float, zmax: float, reverse: bool, z: float) -> tuple:
    """The colour plotly.js gives z on a resolved colour scale (linear RGB between stops)."""
    stops = [(float(p), rgb(c)) for p, c in colorscale]
    if reverse:
        stops = [(1 - p, c) for p, c in reversed(stops)]
    t = 0.5 if zmax == zmin else min(1.0, max(0.0, (z - zmin) / (zmax - zmin)))
    for (p0, c0), (p1, c1) in zip(stops, stops[1:], strict=False):
        if p0 <= t <= p1:
            share = 0 if p1 == p0 else (t - p0) / (p1 - p0)
            return tuple(a + (b - a) * share for a, b in zip(c0, c1, strict=True))
    return stops[-1][1]


def expected_family(z: float, target: float, higher_is_better: bool) -> str | None:
    """The family a unit must be drawn in: red worse than the target, blue better; None at it."""
    if abs(z - target) < 0.05:
        return None
    better = z > target if higher_is_better else z < target
    return "blue" if better else "red"


def data_areas(figure: dict) -> list[dict]:
    """The choropleth traces that carry values (hover on, a scale of more than one colour)."""
    return [
        a
        for a in figure["areas"]
        if a["hover"] and len({str(c) for _, c in a["colorscale"] or []}) > 1
    ]


def colour_problems(
    figures: list[dict], target: float, higher_is_better: bool, where: str = ""
) -> list[str]:
    """Every unit of every map drawn in the wrong family, by its drawn fill and by the colour the
    resolved scale gives its value; [] when every map reads as its caption says."""
    problems: list[str] = []
    maps = [(f, a) for f in figures for a in data_areas(f)]
    if not maps:
        return [f"{where}: no coloured map found"]
    for figure, area in maps:
        for unit in area["units"]:
            z = unit["z"]
            if z is None:
                continue
            wanted = expected_family(float(z), target, higher_is_better)
            if wanted is None:
                continue
            drawn = family(unit["fill"])
            resolved = family(
                scale_colour(
                    area["colorscale"], area["zmin"], area["zmax"], area["reversescale"], float(z)
                )
            )
            if drawn != wanted or resolved != wanted:
                problems.append(
                    f"{where} map {figure['index']} ({figure['heading']}): unit {unit['loc']} "
                    f"value {float(z):.1f} against target {target:g} must be {wanted}, drawn "
                    f"{unit['fill']} ({drawn}), scale gives {resolved}"
                )
    return problems


# ---- layout ----------------------------------------------------------------------------------

TOLERANCE_PX = 1.5


def _inside(box: dict, outer: dict) -> bool:
    t = TOLERANCE_PX
    return (
        box["x0"] >= outer["x0"] - t
        and box["y0"] >= outer["y0"] - t
        and box["x1"] <= outer["x1"] + t
        and box["y1"] <= outer["y1"] + t
    )


def _overlap(a: dict, b: dict) -> bool:
    t = TOLERANCE_PX
    return (
        a["x0"] < b["x1"] - t
        and b["x0"] < a["x1"] - t
        and a["y0"] < b["y1"] - t
        and b["y0"] < a["y1"] - t
    )


def _ranking_labels_missing(figure: dict) -> list[str]:
    """Bars whose category has no label in the figure: every bar of a ranking is named (years
    under yearly bars too); month bars, which label every few months, are not counted."""
    problems = []
    for orientation, boxes in (("h", figure["ytickboxes"]), ("v", figure["xtickboxes"])):
        bars = [b for b in figure["bars"] if b["orientation"] == orientation]
        if not bars:
            continue
        categories = list(dict.fromkeys(c for b in bars for c in b["categories"]))
        yearly = all(re.fullmatch(r"\d{4}", c) for c in categories)
        if orientation == "v" and not (bars[0]["axis"]["type"] == "category" or yearly):
            continue
        shown = [t for t in boxes if _inside(t["box"], figure["box"])]
        if len(shown) < len(categories):
            problems.append(
                f"figure {figure['index']} ({figure['heading']}): {len(categories)} bars, "
                f"{len(shown)} labels visible ({[t['text'] for t in shown][:12]})"
            )
    return problems


def layout_problems(figures: list[dict], where: str = "") -> list[str]:
    """Every label outside its figure, every two tick labels over each other, every tick label
    under an axis title, and every bar of a ranking without its name; [] when all fit."""
    problems: list[str] = []
    for figure in figures:
        name = f"{where} figure {figure['index']} ({figure['heading']})"
        box = figure["box"]
        drawn = (
            figure["ticks"]
            + figure["titles"]
            + figure["annotations"]
            + figure["legend"]
            + figure["geotext"]
            + figure["colorbar"]
        )
        for item in drawn:
            if not _inside(item["box"], box):
                problems.append(f"{name}: {item['kind']} {item['text']!r} runs off the figure")
        for boxes in (figure["ytickboxes"], figure["xtickboxes"]):
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    if _overlap(a["box"], b["box"]):
                        problems.append(f"{name}: labels {a['text']!r} and {b['text']!r} overlap")
        for title in figure["titles"]:
            for tick in figure["ticks"]:
                if _overlap(title["box"], tick["box"]):
                    problems.append(
                        f"{name}: axis title {title['text']!r} over tick {tick['text']!r}"
                    )
        problems += [f"{where} {p}" for p in _ranking_labels_missing(figure)]
        for label in figure["geotext"]:
            covered = [i for i in figure["islands"] if _overlap(label["box"], i)]
            if covered:
                problems.append(f"{name}: {label['text']!r} covers {len(covered)} islands")
    return problems


# ---- categories ------------------------------------------------------------------------------


def category_colours(figures: list[dict]) -> dict[str, set[str]]:
    """Legend name -> the colours its bars and lines are drawn in, over every figure given."""
    seen: dict[str, set[str]] = {}
    for figure in figures:
        for trace in figure["bars"] + figure["lines"]:
            if trace["name"] and trace["showlegend"] and trace["color"]:
                seen.setdefault(trace["name"], set()).add(
                    "rgb({},{},{})".format(*(round(v) for v in rgb(trace["color"])))
                )
    return seen
