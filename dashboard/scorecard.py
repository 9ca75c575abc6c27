"""The scorecards' pure transforms: a county's or a province's indicator values (queries
county_scorecard, scorecard) into display tables, the 5-area summary, and each cell's colour
from the one palette. No Streamlit, no SQL."""

from __future__ import annotations

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


def circular(
    cells: pd.DataFrame, catalogue: pd.DataFrame, lang: str, order: list[int]
) -> pd.DataFrame:
    """The table a commission sends out as a circular (通报): one row per county in order (the
    province's own first), each indicator's value and its rank in the province, in lang."""
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    pivot = cells.set_index(["adcode", "indicator_id"])
    first = cells.drop_duplicates("adcode").set_index("adcode")
    names = [
        first.at[a, "name_en"]
        if lang == "en" and pd.notna(first.at[a, "name_en"])
        else first.at[a, "name"]
        for a in order
    ]
    out = pd.DataFrame({t("scorecard.unit"): names})
    for indicator in dict.fromkeys(cells["indicator_id"]):
        row = catalogue.loc[indicator]
        name = row["short_en"] if lang == "en" else row["short_zh"]
        unit = i18n.code_label("metrics.units", row["unit"], lang)
        values, ranks = [], []
        for a in order:
            cell = pivot.loc[(a, indicator)] if (a, indicator) in pivot.index else None
            value = None if cell is None else cell["value"]
            if row["kind"] == "qualitative" and cell is not None and cell["is_province"]:
                values.append(fraction(int(cell["numerator"]), int(cell["denominator"])))
            elif row["kind"] == "qualitative":
                values.append(shown(value, "met", "qualitative", lang))
            else:
                decimals = fmt.UNIT_DECIMALS.get(row["unit"], 0)
                values.append(
                    None if value is None or pd.isna(value) else round(float(value), decimals)
                )
            rank = None if cell is None else cell["rank"]
            ranks.append(
                f"{int(rank)}/{int(cell['ranked'])}"
                if rank is not None and pd.notna(rank)
                else None
            )
        out[f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"] = values
        if any(r is not None for r in ranks):
            out[f"{name}{t('scorecard.rank_suffix')}"] = ranks
    return out
