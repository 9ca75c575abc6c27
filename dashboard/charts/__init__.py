"""Figure builders: DataFrame in, Plotly figure out. No Streamlit, no SQL.

In the order a figure is made:

- common.py: the figure made from plain dicts, colours, number formats, the target line, names
  made safe for Plotly;
- frame.py: a map's projection, extent, theme, caption and the 南海诸岛 inset;
- marks.py: markers and links on a map, a metric's colour scale;
- maps.py: the choropleth and the alliance map;
- plots.py: bars, lines, histograms;
- fitting.py: labels that fit: margins from the longest label, long names shortened;
- localised.py: numbers, dates and Plotly's own words the reader's way, last.
"""

from dashboard.charts.common import (
    PALETTE,
    colon,
    figure,
    gap_axis,
    gap_phrase,
    number_format,
    safe_text,
    target_label,
    target_line,
    with_unit,
)
from dashboard.charts.fitting import fit, shorten, text_px
from dashboard.charts.frame import (
    CHINA_GEO,
    GEO,
    NATIONAL_COLORBAR,
    THEMES,
    Shapes,
    bounds,
    extent,
    map_caption,
    south_sea_inset,
)
from dashboard.charts.localised import DATE_TICKS, LOCALE_ZH, localise, plotly_config
from dashboard.charts.maps import alliance_map, choropleth
from dashboard.charts.marks import (
    HOVER_MAX_CHARS,
    add_links,
    add_points,
    lines_between,
    metric_scale,
    points,
)
from dashboard.charts.plots import bars, histogram, lines, reference_points

__all__ = [
    "CHINA_GEO",
    "DATE_TICKS",
    "GEO",
    "HOVER_MAX_CHARS",
    "LOCALE_ZH",
    "NATIONAL_COLORBAR",
    "PALETTE",
    "THEMES",
    "Shapes",
    "add_links",
    "add_points",
    "alliance_map",
    "bars",
    "bounds",
    "colon",
    "fit",
    "shorten",
    "text_px",
    "choropleth",
    "extent",
    "figure",
    "gap_axis",
    "gap_phrase",
    "histogram",
    "lines",
    "lines_between",
    "localise",
    "map_caption",
    "metric_scale",
    "number_format",
    "plotly_config",
    "points",
    "reference_points",
    "safe_text",
    "south_sea_inset",
    "target_label",
    "target_line",
    "with_unit",
]
