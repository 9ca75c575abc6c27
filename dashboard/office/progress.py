"""报送进度 on the Data page: for a year, which counties' offices have published their figures
(queries/report_progress.sql, from the import batches), per province and per county, the
counties still missing, and the date of each county's last report. Admins see it, each within
their regions (the query is scoped like every other)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import access, charts, data, fmt, ui


def _when(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def section() -> None:
    """The progress of county reporting, for those who administer the data."""
    if not access.may_administer():
        return
    st.subheader(ui.t("progress.title"))
    periods = data.query("report_periods")["year"].astype(int).tolist()
    if not periods:
        st.caption(ui.t("progress.none"))
        return
    year = st.selectbox(ui.t("progress.period"), periods, key="progress_year")
    counties = data.query("report_progress", year=int(year))
    if counties.empty:
        st.caption(ui.t("progress.no_counties"))
        return
    if year == periods[0]:
        st.caption(ui.t("progress.latest", year=year))
    per = (
        counties.groupby(["province_adcode", "province_name"], as_index=False)
        .agg(
            counties=("county_adcode", "size"),
            reported=("reported", "sum"),
            last=("reported_at", "max"),
        )
        .sort_values("province_adcode")
    )
    per["missing"] = per["counties"] - per["reported"]
    per["share"] = (per["reported"] / per["counties"] * 100).round(1)
    _map(per, int(year))
    st.table(
        pd.DataFrame(
            {
                ui.t("progress.province"): per["province_name"],
                ui.t("progress.counties"): per["counties"].map("{:,}".format),
                ui.t("progress.reported"): per["reported"].astype(int).map("{:,}".format),
                ui.t("progress.missing"): per["missing"].astype(int).map("{:,}".format),
                ui.t("progress.last"): per["last"].map(_when),
            }
        ).set_index(ui.t("progress.province"))
    )
    missing = counties[~counties["reported"]]
    st.markdown(f"**{ui.t('progress.missing_title', year=year, n=f'{len(missing):,}')}**")
    shown = pd.DataFrame(
        {
            ui.t("progress.province"): counties["province_name"],
            ui.t("progress.county"): counties["county_name"],
            ui.t("progress.measures"): [
                f"{m} / {t}"
                for m, t in zip(counties["measures"], counties["measures_total"], strict=True)
            ],
            ui.t("progress.judgements"): [
                f"{m} / {t}"
                for m, t in zip(counties["judgements"], counties["judgements_total"], strict=True)
            ],
            ui.t("progress.rates"): counties["metrics"].astype(int),
            ui.t("progress.reported_at"): counties["reported_at"].map(_when),
            ui.t("progress.last_report"): counties["last_report"].map(_when),
        }
    )
    ui.table(shown, key="report_progress", filename=f"report_progress_{year}")


def _map(per: pd.DataFrame, year: int) -> None:
    """The provinces coloured by the share of their counties that reported for the year."""
    frame = per.rename(columns={"province_adcode": "adcode", "province_name": "name"}).assign(
        value=per["share"]
    )
    label = ui.t("progress.share")
    shapes = data.map_shapes("province", frame["adcode"].tolist())

    def draw():
        return charts.choropleth(
            frame,
            shapes,
            value_label=label,
            uirevision=f"progress-{year}",
            height=420,
            national=len(frame) > 1,
            percent=True,
            lang=ui.lang(),
            context=data.map_shapes("province"),
        )

    table = frame[["name", "counties", "reported", "missing", "share"]].rename(
        columns={
            "name": ui.t("progress.province"),
            "counties": ui.t("progress.counties"),
            "reported": ui.t("progress.reported"),
            "missing": ui.t("progress.missing"),
            "share": label,
        }
    )
    ui.chart(draw(), "report_progress_map", table, f"report_progress_map_{year}")
