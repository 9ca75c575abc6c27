"""The maps: units coloured by a value (a country, a province, its counties) and an alliance's
places, on the frame of frame.py with the marks of marks.py on top."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard import colours as meaning
from dashboard import geo, i18n
from dashboard.charts.common import (
    colon,
    figure,
    gap_phrase,
    number_format,
    safe_text,
    with_unit,
)
from dashboard.charts.frame import (
    CHINA_GEO,
    NATIONAL_COLORBAR,
    TAIWAN,
    THEMES,
    Shapes,
    _caption,
    _context,
    _dash_on_main,
    _map_layout,
    _plain_units,
    bounds,
    national_boundary,
    no_data_note,
    sea_inset,
    sea_inset_title,
    south_sea_inset,
)
from dashboard.charts.marks import lines_between, points


def choropleth(
    frame: pd.DataFrame,
    shapes: Shapes,
    value_label: str,
    hover_name: str = "name",
    target: float | None = None,
    higher_is_better: bool = True,
    uirevision: str = "map",
    height: int = 560,
    colorbar_title: str = "",
    national: bool = False,
    percent: bool = False,
    unit_label: str = "",
    lang: str = i18n.DEFAULT_LANG,
    theme: str = "light",
    context: Shapes | None = None,
    integer: bool = False,
    caption: bool = True,
    colorbar: dict | None = None,
    on_top: Sequence[dict] = (),
) -> go.Figure:
    """Areas coloured by value; with a target, the scale diverges at the target (and a
    percentage scale stops at 0 and 100). The boundaries come from shapes.url, so the figure
    carries only ids and values.

    national: all of China with the 南海诸岛 inset; context: land drawn plain underneath (the
    provinces around a part of China); integer: a colour bar of whole numbers (counts);
    on_top: more traces drawn over it (points(), links())."""
    colours = THEMES[theme]
    frame = frame[frame["adcode"].astype(str).isin(set(shapes.ids))]
    z = frame["value"]
    unit = "%" if percent else ""
    line = {"width": 0.4, "color": colours["edge"]}
    hover = "%{text}<br>" + value_label + colon(value_label) + "%{z:" + number_format(unit) + "}"
    hover += with_unit(unit_label or unit)
    customdata = None
    if target is not None and "gap" in frame:
        customdata = [[gap_phrase(g, unit, lang, unit_label)] for g in frame["gap"]]
        hover += "<br>%{customdata[0]}"
    trace = {
        "geojson": shapes.url,
        "locations": frame["adcode"].astype(str),
        "featureidkey": "id",
        "z": z,
        "text": safe_text(frame[hover_name]),
        "customdata": customdata,
        "hovertemplate": hover + "<extra></extra>",
        "marker": {"line": line},
        "colorbar": {
            "title": {"text": colorbar_title, "side": "top" if national else None},
            "thickness": 12,
            "len": 0.8,
            "y": 0.5,
            "yanchor": "middle",
            "tickformat": ",d" if integer else None,
            "dtick": 1 if integer and len(z) and float(z.max()) - float(z.min()) <= 8 else None,
        }
        # National: a horizontal bar in the empty lower left, so the map gets the whole width
        # (on a phone, too) and the inset keeps the lower right.
        | (NATIONAL_COLORBAR if national else {})
        | (colorbar or {}),
    }
    if target is not None and len(z):
        # red worse than the target, blue better, written out (dashboard/colours.py)
        low, high, scale = meaning.target_range(
            z, target, "higher" if higher_is_better else "lower", percent
        )
        trace.update(colorscale=scale, zmin=low, zmax=high, reversescale=False)
    else:
        trace.update(colorscale=meaning.sequential_scale(), reversescale=False)
    annotations = [_caption(lang, theme)] if caption else []
    geo_ = CHINA_GEO if national else bounds(shapes.box)
    data = [_context(context, theme)] if context is not None else []
    # Regions without a value still show, in grey, underneath, so the map never has holes.
    missing = sorted(set(shapes.ids) - set(trace["locations"]))
    if missing:
        data.append(
            dict(
                type="choropleth",
                geojson=shapes.url,
                locations=missing,
                featureidkey="id",
                z=[0] * len(missing),
                colorscale=[[0, colours["missing"]], [1, colours["missing"]]],
                showscale=False,
                hoverinfo="skip",
                marker={"line": line},
            ),
        )
    data.append(dict(type="choropleth", **trace))
    layout = _map_layout(height, uirevision, geo_) | {"annotations": annotations}
    if shapes.sea and not national:  # Hainan: the main island fills the frame, 三沙 the inset
        inset, layout["geo2"] = sea_inset(lang, theme, context)
        layout["annotations"] = [*annotations, sea_inset_title(lang, theme)]
        # the main map keeps the whole figure (plotly.js would halve it beside a second map)
        layout["geo"] = layout["geo"] | {"domain": {"x": [0, 1], "y": [0, 1]}}
        data += inset
    if national:
        data += [national_boundary(theme), _dash_on_main(theme), *south_sea_inset(lang, theme)]
        # a map of values where Taiwan has none (an outline without values needs no note)
        if len(frame) and TAIWAN in shapes.ids and TAIWAN not in set(trace["locations"]):
            layout["annotations"] = [
                *layout["annotations"],
                no_data_note("maps.taiwan_no_data", lang, theme),
            ]
    data += on_top
    return figure(data, layout)


def alliance_map(
    areas: pd.DataFrame,
    shapes: Shapes,
    china: Shapes,
    members: pd.DataFrame,
    labels: dict[str, str],
    highlight: Sequence[int | str] = (),
    lang: str = i18n.DEFAULT_LANG,
    theme: str = "light",
    height: int = 480,
    uirevision: str = "alliance",
) -> go.Figure:
    """One alliance on the outline of China (members in several provinces) or of its province
    (members in one): the areas with members shaded by how many, the counties it covers
    (highlight: county adcodes, e.g. Quzhou's six) outlined strongly, lines from each member to
    the lead, leads as large dark points.

    areas: adcode, label, members (0 where none), as queries/alliance_areas.sql gives them;
    shapes: the areas' boundaries (data.map_shapes); china: the provinces' boundaries;
    members: current members with lon, lat, lead_lon, lead_lat, is_lead, hover (and
    is_government: a 卫健委 or 政府, drawn as a square of its own colour, legend labels["government"]);
    labels: texts "value", "members", "lead", "links" in the page's language, and optionally
    "area" (the highlighted places' legend and hover, e.g. 覆盖地区);
    highlight: county or province adcodes the alliance covers, outlined and tinted."""
    colours = THEMES[theme]
    national = len(shapes.ids) and all(int(i) % 10000 == 0 for i in shapes.ids)
    shaded = areas[areas["members"] > 0].rename(columns={"members": "value"})
    # China's provinces underneath: a cross-province alliance sits on the country's outline.
    data = [
        _context(china, theme),
        _plain_units(shapes, colours["plain"], colours["context_edge"], 0.4),
    ]
    if len(shaded):
        many = shaded["value"].nunique() > 1
        data.append(
            dict(
                type="choropleth",
                geojson=shapes.url,
                locations=shaded["adcode"].astype(str),
                featureidkey="id",
                z=shaded["value"],
                zmin=0,
                # no target: the one hue of "more", darker = more members
                colorscale=meaning.sequential_scale()
                if many
                else meaning.flat(meaning.NO_TARGET[1]),
                showscale=bool(many),
                colorbar={
                    "title": {"text": labels["value"]},
                    "thickness": 12,
                    "len": 0.6,
                    "tickformat": ",d",
                    "dtick": 1 if float(shaded["value"].max()) <= 8 else None,
                },
                text=safe_text(shaded["label"]),
                hovertemplate="%{text}<br>"
                + labels["value"]
                + colon(labels["value"])
                + "%{z:,d}<extra></extra>",
                marker={"line": {"width": 0.6, "color": colours["edge"]}},
            ),
        )
    wanted = {str(c) for c in highlight}
    names = dict(zip(areas["adcode"].astype(str), areas["label"], strict=True))
    by_file: dict[str, list[str]] = {}
    for code in sorted(wanted):
        province = int(code) // 10000 * 10000
        url = geo.url("province") if int(code) == province else geo.url("county", province)
        by_file.setdefault(url, []).append(code)
    for i, (url, codes) in enumerate(by_file.items()):
        area = labels.get("area", "")
        data.append(
            dict(
                type="choropleth",
                geojson=url,
                locations=codes,
                featureidkey="id",
                z=[1] * len(codes),
                colorscale=meaning.flat(meaning.HIGHLIGHT["fill"]),
                showscale=False,
                text=safe_text(pd.Series([names.get(c, c) for c in codes])),
                hovertemplate="%{text}" + (f" · {area}" if area else "") + "<extra></extra>",
                marker={"line": {"width": 2, "color": meaning.HIGHLIGHT["line"]}},
                name=area,
                showlegend=bool(area) and i == 0,
            ),
        )
    # Lines to the lead: from every member but the main lead (co-leads too, where there are)
    main_lead = "is_main_lead" if "is_main_lead" in members else "is_lead"
    # A party that is no hospital (蚌埠市卫健委) is drawn as such, lead or not.
    government = (
        members["is_government"].astype(bool)
        if "is_government" in members
        else pd.Series(False, index=members.index)
    )
    others = members[~members["is_lead"].astype(bool) & ~government]
    links = (
        members[~members[main_lead].astype(bool)]
        .rename(
            columns={
                "lead_lon": "from_lon",
                "lead_lat": "from_lat",
                "lon": "to_lon",
                "lat": "to_lat",
            }
        )
        .assign(alliances=1)
    )
    data += lines_between(links, name=labels["links"], color=colours["link"], max_width=1.5)
    if len(others):
        data.append(points(others, text="hover", color=colours["member"], name=labels["members"]))
    leads = members[members["is_lead"].astype(bool) & ~government]
    if government.any():
        data.append(
            points(
                members[government].assign(size=14),
                text="hover",
                size="size",
                color=meaning.GOVERNMENT,
                name=labels.get("government", ""),
                symbol="square",
            )
        )
    if len(leads):
        data.append(
            points(
                leads.assign(size=14),
                text="hover",
                size="size",
                color=colours["lead"],
                name=labels["lead"],
            )
        )
    if national:
        data += [_dash_on_main(theme), *south_sea_inset(lang, theme)]
    layout = _map_layout(height, uirevision, CHINA_GEO if national else bounds(shapes.box))
    legend = {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}
    return figure(data, layout | {"legend": legend, "annotations": [_caption(lang, theme)]})
