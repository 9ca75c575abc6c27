"""Figure builders: names from the data never reach Plotly as markup."""

import pandas as pd
import pytest

from dashboard import charts, colours, geo


def test_names_are_escaped_for_plotly_and_blanks_stay_blank():
    names = pd.Series(['<a href="http://x">x</a>', None, "丽水"])
    assert list(charts.safe_text(names)) == ['&lt;a href="http://x"&gt;x&lt;/a&gt;', None, "丽水"]


def test_bar_labels_from_data_are_escaped():
    frame = pd.DataFrame({"name": ["<b>院</b>", "县"], "n": [1, 2]})
    fig = charts.bars(frame, x="n", y="name", orientation="h")
    assert list(fig.data[0].y) == ["&lt;b&gt;院&lt;/b&gt;", "县"]


# ---- maps drawn to the official convention, numbers and dates in the reader's language ----------

SHAPES = charts.Shapes("./app/static/geo/330000.json", ["330802", "330822"], (118, 28, 119, 29))


def counties(values=(88.0, 90.4), gaps=(2.0, -0.4)) -> pd.DataFrame:
    return pd.DataFrame(
        {"adcode": [330802, 330822], "name": ["柯城区", "常山县"], "value": values, "gap": gaps}
    )


def test_rate_hover_has_its_unit_and_the_gap_in_words():
    fig = charts.choropleth(
        counties(), SHAPES, "县域内就诊率", target=90, percent=True, unit_label="%"
    )
    data = fig.data[-1]
    assert "%{z:.1f}%" in data.hovertemplate  # 93.5%, no space
    assert [row[0] for row in data.customdata] == ["低于目标 2.0 个百分点", "高于目标 0.4 个百分点"]


@pytest.mark.parametrize(
    "gap, unit, lang, words",
    [
        (2.1, "%", "zh", "低于目标 2.1 个百分点"),
        (-0.4, "%", "zh", "高于目标 0.4 个百分点"),
        (0.0, "%", "zh", "恰好达到目标"),
        (3.0, "%", "en", "3.0 percentage points below the target"),
        (-1200, "visits", "zh", "高于目标 1,200 人次"),
    ],
)
def test_gap_reads_as_words(gap, unit, lang, words):
    assert charts.gap_phrase(gap, unit, lang, unit_label="人次") == words


def test_count_hover_and_axis_are_whole_numbers():
    frame = pd.DataFrame({"role": ["牵头单位", "成员单位"], "members": [4, 3]})
    fig = charts.bars(frame, x="members", y="role", orientation="h", integer=True)
    assert fig.layout.xaxis.tickformat == ",d" and fig.layout.xaxis.dtick == 1
    assert "%{x:,.0f}" in fig.data[0].hovertemplate


def test_rate_bars_hover_with_percent_and_target_line_above_bars():
    frame = pd.DataFrame({"name": ["甲", "乙"], "value": [95.0, 80.0]})
    fig = charts.bars(frame, x="value", y="name", orientation="h", target=90, unit="%")
    assert "%{x:.1f}%" in fig.data[0].hovertemplate
    line = fig.layout.shapes[0]
    assert line.layer == "above" and line.line.color != colours.STATUS["light"][colours.BELOW]


def test_colour_groups_follow_the_maps():
    frame = pd.DataFrame({"name": ["甲", "乙"], "value": [95.0, 80.0], "g": ["已达标", "未达标"]})
    fig = charts.bars(
        frame,
        x="value",
        y="name",
        color="g",
        orientation="h",
        colours={
            "未达标": colours.STATUS["light"]["below"],
            "已达标": colours.STATUS["light"]["above"],
        },
    )
    drawn = {t.name: t.marker.color for t in fig.data}
    assert drawn == {
        "已达标": colours.STATUS["light"]["above"],
        "未达标": colours.STATUS["light"]["below"],
    }


def test_years_are_whole_and_dates_chinese():
    years = pd.DataFrame({"year": [2019, 2020, 2021], "value": [1.0, 2.0, 3.0]})
    fig = charts.localise(charts.lines(years, x="year", y="value"), "zh")
    assert fig.layout.xaxis.tickformat == "d" and fig.layout.xaxis.dtick == 1
    dates = pd.DataFrame({"date": pd.to_datetime(["2017-06-04", "2025-12-31"]), "members": [4, 10]})
    fig = charts.localise(charts.lines(dates, x="date", y="members", integer=True), "zh")
    assert "%Y年" in str(fig.layout.xaxis.tickformatstops)
    assert list(fig.layout.xaxis.range) == list(dates["date"])  # ends at the data, not beyond


def test_large_counts_read_in_wan_not_k():
    frame = pd.DataFrame({"year": [2024, 2025], "n": [25_000, 48_000]})
    fig = charts.localise(charts.bars(frame, x="year", y="n", integer=True), "zh")
    assert fig.layout.yaxis.exponentformat == "none"
    assert "万" in "".join(fig.layout.yaxis.ticktext)


def test_plotly_speaks_chinese():
    config = charts.plotly_config({"displaylogo": False}, "zh")
    locale = config["locales"][config["locale"]]
    assert locale["dictionary"]["Pan"] == "平移"
    assert not any(c.isascii() and c.isalpha() for m in locale["format"]["shortMonths"] for c in m)
    assert charts.plotly_config({}, "en")["locale"] == "en"


def test_national_map_has_the_south_sea_inset():
    provinces = charts.Shapes("./app/static/geo/provinces.json", ["330000"], None)
    frame = pd.DataFrame({"adcode": [330000], "name": ["浙江省"], "value": [91.0]})
    fig = charts.choropleth(frame, provinces, "率", national=True, percent=True)
    texts = [t.text[0] for t in fig.data if t.type == "scattergeo" and t.mode == "text"]
    assert texts == ["南海诸岛"]
    islands = [t for t in fig.data if t.type == "scattergeo" and t.mode == "markers"]
    assert len(islands[0].lon) >= 100
    x0, y0, x1, y1 = geo.inset_box()
    lon, lat = islands[0].lon[0], islands[0].lat[0]
    x, y = geo.project(lon, lat)
    assert x0 <= x <= x1 and y0 <= y <= y1  # every island sits inside the inset's frame
    assert "示意图" in fig.layout.annotations[0].text


def test_hainan_is_framed_without_its_sea_areas():
    import json

    features = json.loads((geo.BOUNDARIES / "counties.geojson").read_text(encoding="utf-8"))
    boxes = {
        f["id"]: charts.extent(f["geometry"])
        for f in features["features"]
        if f["id"].startswith("46")
    }
    at_sea = sorted(code for code, box in boxes.items() if geo.in_south_china_sea(box))
    assert at_sea == ["460301", "460302"]  # 西沙区, 南沙区
    assert min(box[1] for code, box in boxes.items() if code not in at_sea) > 18


def two_members() -> pd.DataFrame:
    """A lead and one member in 衢州, as alliance_map takes them."""
    return pd.DataFrame(
        {
            "lon": [118.8, 118.5],
            "lat": [28.9, 28.9],
            "lead_lon": [118.8, 118.8],
            "lead_lat": [28.9, 28.9],
            "is_lead": [True, False],
            "hover": ["牵头", "成员"],
        }
    )


def test_alliance_map_shades_the_counties_it_covers():
    china = charts.Shapes("./app/static/geo/provinces.json", ["330000", "310000"], None)
    areas = pd.DataFrame(
        {"adcode": [330802, 330822], "label": ["柯城区", "常山县"], "members": [1, 0]}
    )
    members = two_members()
    labels = {"value": "成员数", "members": "成员单位", "lead": "牵头单位", "links": "连线"}
    fig = charts.alliance_map(areas, SHAPES, china, members, labels, highlight=[330802, 330822])
    choropleths = [t for t in fig.data if t.type == "choropleth"]
    assert list(choropleths[0].locations) == ["330000", "310000"]  # the outline underneath
    shaded = [t for t in choropleths if list(t.locations) == ["330802", "330822"]]
    assert shaded and shaded[-1].geojson.endswith("330000.json")


def test_every_kind_of_figure_is_valid_plotly():
    """Figures are made from plain dicts without Plotly's checks (they cost ten times the
    figure): a misspelt setting would be dropped silently by the browser, so each kind is
    checked here against Plotly's schema, which refuses any setting it does not know."""
    import plotly.graph_objects as go

    china = charts.Shapes("./app/static/geo/provinces.json", ["330000", "460000"], None)
    hainan = charts.Shapes(
        "./app/static/geo/460000.json", ["460105", "460301"], (108, 18, 111, 20), sea=True
    )
    frame = pd.DataFrame(
        {"adcode": [330000, 460000], "name": ["浙江省", None], "value": [91.0, None]}
    )
    members = two_members()
    areas = pd.DataFrame(
        {"adcode": [330802, 330822], "label": ["柯城区", "常山县"], "members": [3, 1]}
    )
    labels = {
        "value": "成员数",
        "members": "成员单位",
        "lead": "牵头单位",
        "links": "连线",
        "area": "覆盖",
    }
    points = pd.DataFrame({"lon": [118.8], "lat": [28.9], "name": ["院"], "size": [9]})
    links = pd.DataFrame(
        {
            "from_lon": [118.8],
            "from_lat": [28.9],
            "to_lon": [120.1],
            "to_lat": [30.2],
            "alliances": [2],
        }
    )
    years = pd.DataFrame({"year": [2023, 2024, 2023], "v": [1.0, 2.0, 3.0], "g": ["a", "a", "b"]})
    figures = [
        charts.choropleth(frame, china, "率", national=True, percent=True, target=90.0),
        charts.choropleth(counties(), SHAPES, "率", context=china, target=90.0, integer=True),
        charts.choropleth(frame, hainan, "率"),
        charts.alliance_map(areas, SHAPES, china, members, labels, highlight=[330802, 330000]),
        charts.alliance_map(areas, china, china, members, labels),
        charts.add_points(
            charts.choropleth(counties(), SHAPES, "率"),
            points,
            size="size",
            name="三级",
            detail="三级",
        ),
        charts.add_links(charts.choropleth(counties(), SHAPES, "率"), links, name="往来"),
        charts.choropleth(
            frame,
            china,
            "率",
            national=True,
            on_top=[charts.points(points), *charts.lines_between(links, name="往来")],
        ),
        charts.bars(years, x="year", y="v", color="g", target=2.0, text="v", integer=True),
        charts.bars(years, x="v", y="g", orientation="h", unit="%"),
        charts.lines(years, x="year", y="v", color="g", target=2.0, integer=True),
        charts.histogram(years, x="v", target=2.0, unit="%"),
    ]
    for fig in figures:
        fig = charts.localise(fig, "zh", layout={"font": {"family": "sans-serif"}})
        spec = fig.to_dict()
        assert go.Figure(spec).to_dict()["data"]  # raises on any setting Plotly does not know
        assert all(value is not None for trace in spec["data"] for value in trace.values())


def test_hainan_map_carries_its_own_south_sea_inset():
    """三沙 is part of Hainan: its own map has the 南海诸岛 inset (islands, dash line, title) in
    the lower right, not a note pointing at the national map."""
    hainan = charts.Shapes("./app/static/geo/460000.json", ["460105"], (108, 18, 111, 20), sea=True)
    frame = pd.DataFrame({"adcode": [460105], "name": ["秀英区"], "value": [91.0]})
    for lang, title in (("zh", "南海诸岛"), ("en", "South China Sea")):
        fig = charts.choropleth(frame, hainan, "率", lang=lang)
        inset = [t for t in fig.data if t.geo == "geo2"]
        assert fig.layout.geo2.domain.x[0] > 0.5 and fig.layout.geo2.domain.y[1] <= 0.5
        islands = [t for t in inset if t.mode == "markers"]
        assert islands and len(islands[0].lon) >= 100
        assert any(t.mode == "lines" and None in list(t.lon) for t in inset)  # the dashes
        assert any(title in a.text for a in fig.layout.annotations)  # above the inset
        assert not [a for a in fig.layout.annotations if "插图" in a.text or "inset" in a.text]
