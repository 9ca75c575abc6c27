"""The scorecards' pure transforms: a county's or a province's indicator values (queries
county_scorecard, scorecard) into display tables, the 5-area summary, and each cell's colour
from the one palette. No Streamlit, no SQL."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard import colours, fmt, i18n

MONITOR_AREAS = ("closeness", "homogeneity", "division", "efficiency", "health")


def status(value, target, direction: str, kind: str, position=None) -> str:
    """A cell's standing: below/at/above the target (a qualitative one: met is above); without
    a target, its fifth within the province ('q0'…'q4', 4 the best); 'none' when neither."""
    if value is None or pd.isna(value):
        return colours.NONE
    if kind == "qualitative":
        return colours.ABOVE if value >= 100 else colours.BELOW
    if pd.notna(target) and direction in ("higher", "lower"):
        return colours.status(float(value), float(target), direction)
    if direction in ("higher", "lower") and position is not None and pd.notna(position):
        return f"q{min(4, int(float(position) * 5))}"
    return colours.NONE


def cell_style(standing: str) -> str:
    """CSS of a table cell with that standing (pandas Styler): the palette's colours, dark text
    on light fills, white on dark ones."""
    if standing.startswith("q"):
        fill = colours.fifth_colour(int(standing[1:]) / 4 if standing != "q4" else 1.0)
        dark = standing in ("q3", "q4")
    elif standing == colours.NONE:
        return ""
    else:
        fill = colours.STATUS["light"][standing]
        dark = standing in (colours.BELOW, colours.ABOVE)
    return f"background-color: {fill}; color: {'#ffffff' if dark else '#1b2631'}"


def shown(value, unit: str, kind: str, lang: str) -> str:
    """One indicator value as a cell shows it: 88.4%, 1.96, 9,375, 达到 / 未达到, — for none."""
    if value is None or pd.isna(value):
        return fmt.DASH
    if kind == "qualitative":
        return i18n.text("indicator.met" if value >= 100 else "indicator.not_met", lang)
    return fmt.indicator_value(value, unit, lang, with_unit=False)


def area_summary(cells: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per county and area of the monitoring set: indicators judged good (on target, met, or in
    the better half of the province where there is no target) and indicators judged, e.g. 2/3.

    cells: the scorecard query's rows; catalogue: metric_catalogue indexed by metric_id."""
    info = catalogue.loc[cells["indicator_id"]].reset_index(drop=True)
    frame = cells.reset_index(drop=True).assign(area=info["area"], direction=info["direction"])
    frame = frame[frame["area"].isin(MONITOR_AREAS) & frame["value"].notna()]
    frame = frame[(frame["direction"] != "monitor") & ~frame["is_province"].astype(bool)]
    good = frame["on_target"].astype("boolean").fillna(frame["position"] >= 0.5)
    frame = frame.assign(good=good.astype(bool))
    summary = frame.groupby(["adcode", "area"]).agg(good=("good", "sum"), judged=("good", "size"))
    return summary.reset_index()


def fraction(good: int, judged: int) -> str:
    """2/3, or — when nothing was judged."""
    return f"{good}/{judged}" if judged else fmt.DASH


def heading(row: pd.Series, lang: str) -> str:
    """An indicator's column title: its short name and unit, 县域内就诊率（%）."""
    name = row["short_en"] if lang == "en" else row["short_zh"]
    if row["unit"] in ("met", "ratio", "count"):
        return name
    unit = i18n.code_label("metrics.units", row["unit"], lang)
    return f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"


def prepared(cells: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """The scorecard query's rows with each indicator's kind, unit, direction, target and area,
    and each cell's standing (status())."""
    info = catalogue.loc[cells["indicator_id"], ["kind", "unit", "direction", "target", "area"]]
    out = cells.reset_index(drop=True).join(info.reset_index(drop=True))
    # status() for every cell at once (a province is 180 counties × 20 indicators)
    value, target = out["value"].astype(float), out["target"].astype(float)
    position = out["position"].astype(float)
    directed = out["direction"].isin(["higher", "lower"])
    better = (value > target) == (out["direction"] == "higher")
    fifth = "q" + (position * 5).clip(upper=4).fillna(0).astype(int).astype(str)
    out["standing"] = np.select(
        [
            value.isna(),
            out["kind"] == "qualitative",
            target.notna() & directed & ((value - target).abs() < 0.05),
            target.notna() & directed,
            directed & position.notna(),
        ],
        [
            colours.NONE,
            np.where(value >= 100, colours.ABOVE, colours.BELOW),
            colours.AT,
            np.where(better, colours.ABOVE, colours.BELOW),
            fifth,
        ],
        default=colours.NONE,
    )
    return out


def unit_order(cells: pd.DataFrame) -> list[int]:
    """The rows of a province's scorecard: the province's own first, then its counties."""
    units = cells.drop_duplicates("adcode")
    units = units.sort_values(["is_province", "adcode"], ascending=[False, True])
    return [int(a) for a in units["adcode"]]


def _by_unit(cells: pd.DataFrame, indicator: str, order: list[int]) -> pd.DataFrame:
    return cells[cells["indicator_id"] == indicator].set_index("adcode").reindex(order)


def _column(rows: pd.DataFrame, kind: str, lang: str) -> list:
    """One indicator's cells: numbers; a qualitative one as 达到 / 未达到, and on the
    province's row how many of its counties met it (62/63)."""
    if kind != "qualitative":
        return [None if pd.isna(v) else float(v) for v in rows["value"]]
    province = rows["is_province"].fillna(False).astype(bool)
    return [
        fraction(int(n), int(d)) if p and pd.notna(d) else shown(v, "met", kind, lang)
        for v, n, d, p in zip(
            rows["value"], rows["numerator"], rows["denominator"], province, strict=True
        )
    ]


def province_table(
    cells: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicators: list[str],
    areas: dict[str, str],
    labels: dict[str, str],
    lang: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[int]]:
    """The table of /scorecard: one row per county (the province's total first), its 5-area
    summary, one column per indicator; the CSS of every cell (the palette's colours: against
    the target, or the fifth within the province; none on the province's qualitative shares);
    the adcode of every row.

    cells: prepared() rows; areas: area code -> its column title (the areas shown);
    labels: the texts "unit", "city" and "province_row" in lang."""
    order = unit_order(cells)
    units = cells.drop_duplicates("adcode").set_index("adcode").reindex(order)
    names = units["name_en"].fillna(units["name"]) if lang == "en" else units["name"]
    names = names.where(~units["is_province"].astype(bool), labels["province_row"])
    table = pd.DataFrame(
        {
            labels["unit"]: names.to_numpy(),
            labels["city"]: units["city_name"].map(fmt.text).to_numpy(),
        }
    )
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    summary = area_summary(cells, catalogue).set_index(["adcode", "area"])
    for code, title in areas.items():
        table[title] = [
            fraction(int(summary.at[(a, code), "good"]), int(summary.at[(a, code), "judged"]))
            if (a, code) in summary.index
            else fmt.DASH
            for a in order
        ]
        styles[title] = ""
    for indicator in indicators:
        row = catalogue.loc[indicator]
        rows = _by_unit(cells, indicator, order)
        title = heading(row, lang)
        table[title] = _column(rows, row["kind"], lang)
        plain = rows["standing"].isna() | (
            rows["is_province"].fillna(False).astype(bool) & (row["kind"] == "qualitative")
        )
        styles[title] = [
            "" if skip else cell_style(s) for s, skip in zip(rows["standing"], plain, strict=True)
        ]
    return table, styles, order


def circular(
    cells: pd.DataFrame, catalogue: pd.DataFrame, lang: str, order: list[int]
) -> pd.DataFrame:
    """The table a commission sends out as a circular (通报): one row per county in order (the
    province's own first), each indicator's value and its rank in the province, in lang."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    units = cells.drop_duplicates("adcode").set_index("adcode").reindex(order)
    names = units["name_en"].fillna(units["name"]) if lang == "en" else units["name"]
    out = pd.DataFrame({t("scorecard.unit"): names.to_numpy()})
    for indicator in dict.fromkeys(cells["indicator_id"]):
        row = catalogue.loc[indicator]
        rows = _by_unit(cells, indicator, order)
        values = _column(rows, row["kind"], lang)
        if row["kind"] != "qualitative":
            decimals = fmt.UNIT_DECIMALS.get(row["unit"], 0)
            values = [None if v is None else round(v, decimals) for v in values]
        out[heading(row, lang)] = values
        ranks = [
            f"{int(r)}/{int(n)}" if pd.notna(r) else None
            for r, n in zip(rows["rank"], rows["ranked"], strict=True)
        ]
        if any(r is not None for r in ranks):
            name = row["short_en"] if lang == "en" else row["short_zh"]
            out[f"{name}{t('scorecard.rank_suffix')}"] = ranks
    return out
