"""Labels that fit wherever a figure is drawn (a page, a kiosk slide, a printed briefing): a
label's width in pixels, long names shortened, and margins computed from the longest label at
the font size the figure is drawn in, not fixed. Plotly's automargin is switched on as well, on
the figure itself: a template that would switch it on does not reach every renderer."""

from __future__ import annotations

import math
import re

import plotly.graph_objects as go

# Characters a CJK font draws a full em wide: 汉字, kana, full-width punctuation (，：（）).
_WIDE = re.compile(
    r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u3000-\u303f]"
)
NARROW_EM = 0.62  # a Latin letter or digit, generously (Noto Sans: 0.5-0.6 em)
ELLIPSIS = "…"
CARTESIAN = ("bar", "scatter", "histogram")


def text_px(text: object, font_px: float) -> float:
    """The width of a one-line label in pixels at font_px (tags like <br> not counted)."""
    plain = re.sub(r"<[^>]*>", "", str(text)).replace("&lt;", "<").replace("&gt;", ">")
    lines = plain.split("\n") or [""]
    return max(sum(1.0 if _WIDE.match(c) else NARROW_EM for c in line) for line in lines) * font_px


def shorten(text: object, max_em: float) -> str:
    """A label cut to about max_em ems, ending in … when cut (the full name goes in the hover)."""
    text = str(text)
    if text_px(text, 1) <= max_em:
        return text
    kept, width = "", 1.0  # room for the ellipsis
    for c in text:
        step = 1.0 if _WIDE.match(c) else NARROW_EM
        if width + step > max_em:
            break
        kept += c
        width += step
    return kept.rstrip() + ELLIPSIS


def shortened(labels, max_em: float) -> dict[str, str]:
    """Each distinct label -> itself shortened to max_em, the short ones kept distinct (a
    second 'X…' becomes 'X…2')."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for label in dict.fromkeys(str(v) for v in labels):
        short = shorten(label, max_em)
        n = 1
        while short in taken:
            n += 1
            short = f"{shorten(label, max_em - 1)}{n}"
        taken.add(short)
        out[label] = short
    return out


def _number(value: float, axis) -> str:
    """A tick value about as plotly.js writes it on this axis."""
    if axis.tickformat and "d" in axis.tickformat or float(value).is_integer():
        text = f"{value:,.0f}" if axis.separatethousands is not False else f"{value:.0f}"
    else:
        text = f"{value:,.1f}"
    return (axis.tickprefix or "") + text + (axis.ticksuffix or "")


def _tick_labels(fig: go.Figure, letter: str) -> list[str]:
    """The labels an axis will draw, or a fair guess at the widest of them."""
    axis = fig.layout[f"{letter}axis"]
    if axis.showticklabels is False:
        return []
    if axis.ticktext is not None:
        return [str(t) for t in axis.ticktext]
    values: list = []
    for trace in fig.data:
        if getattr(trace, "type", "") not in CARTESIAN:
            continue
        column = getattr(trace, letter, None)
        if column is not None:
            values += list(column)
    if not values:
        return []
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    numbers = [float(v) for v in numbers if not math.isnan(float(v))]
    if axis.type == "category" or len(numbers) < len(values):
        return [str(v) for v in dict.fromkeys(values) if v is not None]
    if axis.tickvals is not None:
        return [_number(float(v), axis) for v in axis.tickvals]
    high = max(abs(v) for v in numbers) if numbers else 0
    top = axis.range[1] if axis.range is not None else high
    # the widest tick is about the largest value, rounded up to its step, one decimal at most
    return [_number(float(top), axis), _number(round(float(top)) + 0.5, axis)]


def margins(fig: go.Figure, font_px: float, base: dict | None = None) -> dict:
    """Margins that hold the axes' tick labels and titles at font_px, at least base."""
    margin = {"l": 8, "r": 8, "t": 8, "b": 8} | (base or {})
    title_px = font_px * 1.5
    y_labels = _tick_labels(fig, "y")
    if y_labels:
        widest = max(text_px(label, font_px) for label in y_labels)
        margin["l"] = max(margin["l"], widest + font_px * 0.6)
        if fig.layout.yaxis.title.text:
            margin["l"] += title_px
    x_labels = _tick_labels(fig, "x")
    if x_labels:
        margin["b"] = max(margin["b"], font_px * 1.6)
        # the last label is centred on the plot's right edge: half of it hangs over
        margin["r"] = max(margin["r"], text_px(x_labels[-1], font_px) / 2 + 4)
        if fig.layout.xaxis.title.text:
            margin["b"] += title_px
    return {k: int(math.ceil(v)) for k, v in margin.items()}


def fit(fig: go.Figure, font_px: float, base: dict | None = None) -> go.Figure:
    """The figure's margins made to hold its labels at font_px, axis titles clear of the tick
    labels, and Plotly's automargin on for what is still wider (a map is left as it is)."""
    if not any(getattr(trace, "type", "") in CARTESIAN for trace in fig.data):
        return fig
    axis = {"automargin": True, "title": {"standoff": font_px * 0.4}}
    return fig.update_layout(
        margin=margins(fig, font_px, base), xaxis=axis, yaxis=axis, font={"size": font_px}
    )
