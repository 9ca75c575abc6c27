"""机构: a directory of member institutions; one institution's place, alliances and their activity."""

import io

import pandas as pd
import streamlit as st

from dashboard import charts, data, ui

ui.through_router()

DIRECTORY_LIMIT = 500  # rows listed (≈34,000 institutions nationally); the counts cover all
SEARCH_MAX_CHARS = 40
ID_MAX_CHARS = 32
NONE = ""  # "all" in a filter, "none chosen" in the institution picker


def seed_from_url(key: str, parse, default) -> None:
    """Start a widget from the URL once; a value that does not parse falls back, with a notice."""
    if key in st.session_state:
        return
    raw = st.query_params.get(key)
    value = default
    if raw is not None:
        try:
            value = parse(raw)
        except ValueError:
            ui.notice_bad_param(key)
    st.session_state[key] = value


def write_to_url(key: str, text: str, default_text: str) -> None:
    """Keep a widget's value in the URL (left out while it is the default)."""
    if text == default_text:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = text


def parse_search(raw: str) -> str:
    if len(raw) > SEARCH_MAX_CHARS:
        raise ValueError("search text too long")
    return raw


def newly_picked(event, ids: list[str], seen_key: str) -> str | None:
    """The id of a row the user has just clicked (None if the selection did not change)."""
    rows = list(event.selection.rows)
    if rows == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = rows
    return ids[rows[0]] if rows and rows[0] < len(ids) else None


def pickable_table(frame: pd.DataFrame, key: str, filename: str):
    """Like ui.table (CSV and Excel beside it), but rows can be clicked; returns the selection."""
    event = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        ui.t("common.download_csv"),
        lambda: frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{filename}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )

    def xlsx() -> bytes:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, engine="openpyxl")
        return buffer.getvalue()

    right.download_button(
        ui.t("common.download_xlsx"),
        xlsx,
        file_name=f"{filename}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )
    return event


def data_label(simulated: bool) -> str:
    return ui.t("institutions.data_simulated" if simulated else "institutions.data_real")


def as_date(column: pd.Series) -> pd.Series:
    """Dates as YYYY-MM-DD text, blank where there is none (e.g. memberships not ended)."""
    return pd.to_datetime(column).dt.strftime("%Y-%m-%d").fillna("")


def province_label(frame: pd.DataFrame) -> pd.Series:
    if ui.lang() == "en":
        return frame["province_name_en"].fillna(frame["province_name"])
    return frame["province_name"]


# ---- the directory -----------------------------------------------------------------------------

st.title(ui.t("institutions.title"))
province = ui.current_province()
facets = data.query("site_facets")


def facet(name: str) -> list[str]:
    return facets.loc[facets["facet"] == name, "value"].tolist()


c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
kind = ui.choose(
    c1.selectbox,
    ui.t("institutions.kind"),
    [NONE, *facet("kind")],
    key="kind",
    default=NONE,
    format_func=lambda c: ui.label("kind", c) if c else ui.t("common.all"),
)
tier = ui.choose(
    c2.selectbox,
    ui.t("institutions.tier"),
    [NONE, *facet("tier")],
    key="tier",
    default=NONE,
    format_func=lambda c: ui.label("tier", c) if c else ui.t("common.all"),
)
ownership = ui.choose(
    c3.selectbox,
    ui.t("institutions.ownership"),
    [NONE, *facet("ownership")],
    key="ownership",
    default=NONE,
    format_func=lambda c: ui.label("ownership", c) if c else ui.t("common.all"),
)
seed_from_url("q", parse_search, "")
q = c4.text_input(
    ui.t("common.search"),
    key="q",
    max_chars=SEARCH_MAX_CHARS,
    help=ui.t("institutions.search_help"),
)
write_to_url("q", q, "")
filters = {"province": province, "kind": kind, "tier": tier, "ownership": ownership, "q": q.strip()}

counts = data.query("site_counts", **filters)
directory = data.query("site_directory", **filters, limit=DIRECTORY_LIMIT)
total = int(counts["sites"].sum())
by_ownership = counts.groupby("ownership")["sites"].sum()
m1, m2, m3, m4 = st.columns(4)
m1.metric(ui.t("institutions.count"), f"{total:,}")
m2.metric(ui.t("institutions.count_public"), f"{int(by_ownership.get('public', 0)):,}")
m3.metric(ui.t("institutions.count_private"), f"{int(by_ownership.get('private', 0)):,}")
m4.metric(ui.t("institutions.count_real"), f"{int(counts['real_sites'].sum()):,}")

if total == 0:
    st.info(ui.t("institutions.none_found"))
else:
    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.t("institutions.by_kind_title"))
        by_kind = counts.groupby(["kind", "tier"], sort=False, as_index=False).agg(
            sites=("sites", "sum"), simulated=("simulated", "any")
        )
        by_kind["kind_label"] = by_kind["kind"].map(lambda k: ui.label("kind", k))
        by_kind["tier_label"] = by_kind["tier"].map(lambda k: ui.label("tier", k))
        ui.chart(
            charts.bars(
                by_kind,
                x="sites",
                y="kind_label",
                color="tier_label",
                orientation="h",
                height=340,
                labels={"sites": ui.t("common.count"), "kind_label": ""},
            ),
            "site_counts",
            ui.columns(
                by_kind,
                {
                    "kind_label": "institutions.kind",
                    "tier_label": "institutions.tier",
                    "sites": "common.count",
                },
            ),
            filename="institutions_by_kind_tier",
        )
        ui.simulated_note(by_kind)
    with right:
        st.subheader(ui.t("institutions.directory_title"))
        st.caption(ui.t("institutions.directory_hint"))
        shown = directory.assign(
            kind=directory["kind"].map(lambda k: ui.label("kind", k)),
            tier=directory["tier"].map(lambda k: ui.label("tier", k)),
            ownership=directory["ownership"].map(lambda k: ui.label("ownership", k)),
            province=province_label(directory),
            data=directory["simulated"].map(data_label),
        )
        event = pickable_table(
            ui.columns(
                shown,
                {
                    "site_id": "institutions.col_id",
                    "name": "common.name",
                    "kind": "institutions.kind",
                    "tier": "institutions.tier",
                    "ownership": "institutions.ownership",
                    "county_name": "common.county",
                    "province": "common.province",
                    "beds": "institutions.col_beds",
                    "alliances": "institutions.col_alliances",
                    "data": "institutions.col_data",
                },
            ),
            key="directory",
            filename="institutions",
        )
        clicked = newly_picked(event, directory["site_id"].tolist(), "_directory_rows")
        if clicked:
            st.session_state["site"] = clicked  # the picker below is drawn after this
        if total > len(directory):
            st.caption(ui.t("institutions.limited", shown=len(directory), total=f"{total:,}"))
        ui.simulated_note(directory)

# ---- the picker: the listed institutions, plus the one asked for if it exists ------------------

names = dict(zip(directory["site_id"], directory["name"], strict=True))
wanted = str(st.session_state.get("site", st.query_params.get("site", NONE)))
# An id is short; a long URL value is not looked up (and gets the notice below).
looked_up = wanted and len(wanted) <= ID_MAX_CHARS
detail = data.query("site_detail", site=wanted) if looked_up else pd.DataFrame()
options = [NONE, *names]
if len(detail) and wanted not in names:
    names[wanted] = detail["name"].iloc[0]
    options.insert(1, wanted)
chosen = ui.choose(
    st.selectbox,
    ui.t("institutions.pick"),
    options,
    key="site",
    default=NONE,
    format_func=lambda s: f"{names[s]} · {s}" if s else ui.t("institutions.pick_none"),
)
if chosen != wanted:
    detail = data.query("site_detail", site=chosen) if chosen else pd.DataFrame()


# ---- one institution ---------------------------------------------------------------------------


def show_site(site: pd.Series) -> None:
    sid = site["site_id"]
    st.header(ui.plain(site["name"]))
    alliances = data.query("site_alliances", site=sid)
    facts = st.columns(5)
    facts[0].metric(ui.t("institutions.kind"), ui.label("kind", site["kind"]))
    facts[1].metric(ui.t("institutions.tier"), ui.label("tier", site["tier"]))
    facts[2].metric(ui.t("institutions.ownership"), ui.label("ownership", site["ownership"]))
    facts[3].metric(
        ui.t("institutions.beds"), f"{int(site['beds']):,}" if pd.notna(site["beds"]) else "—"
    )
    facts[4].metric(
        ui.t("institutions.col_alliances"), f"{int(alliances['left_on'].isna().sum()):,}"
    )
    place = province_label(pd.DataFrame([site])).iloc[0]
    st.markdown(
        ui.t(
            "institutions.location", county=ui.plain(site["county_name"]), province=ui.plain(place)
        )
    )
    if site["simulated"]:
        st.info(f"🧪 **{ui.t('common.simulated')}** · {ui.t('institutions.source_simulated')}")
    elif pd.notna(site["article_title"]):
        st.info(
            ui.t(
                "institutions.source_article",
                title=ui.plain(site["article_title"]),
                publisher=ui.plain(site["article_publisher"]),
                date=str(site["article_date"].date()),
            )
        )

    left, right = st.columns([2, 3])
    with left:
        st.subheader(ui.t("institutions.map_title"))
        area = data.query("site_area", site=sid)
        home = area[area["is_home"]].assign(value=1)
        fig = charts.choropleth(
            home,
            data.feature_collection("county", area["adcode"].tolist()),
            value_label=ui.t("common.county"),
            hover_name="name",
            uirevision=f"site-{sid}",
            height=320,
        )
        fig.update_traces(  # one county marked: no colour scale, just its name on hover
            showscale=False, hovertemplate="%{text}<extra></extra>", selector={"type": "choropleth"}
        )
        point = pd.DataFrame([site])
        charts.add_points(fig, point.assign(size=12), text="name", size="size", color="#c0392b")
        ui.chart(
            fig,
            "site_map",
            ui.columns(
                point.assign(province=place),
                {
                    "name": "common.name",
                    "county_name": "common.county",
                    "province": "common.province",
                    "lon": "institutions.col_lon",
                    "lat": "institutions.col_lat",
                },
            ),
            filename=f"institution_{sid}_location",
        )
        ui.simulated_note(bool(site["simulated"]))
    with right:
        st.subheader(ui.t("institutions.alliances_title"))
        if alliances.empty:
            st.info(ui.t("institutions.no_alliances"))
        else:
            alliances = alliances.assign(
                role=alliances["role"].map(lambda r: ui.label("role", r)),
                form=alliances["form"].map(lambda f: ui.label("form", f)),
                scope=alliances["scope"].map(lambda s: ui.label("scope", s)),
                joined_on=as_date(alliances["joined_on"]),
                left_on=as_date(alliances["left_on"]),
                data=alliances["simulated"].map(data_label),
            )
            ui.table(
                ui.columns(
                    alliances,
                    {
                        "alliance_id": "institutions.col_id",
                        "name": "institutions.col_alliance",
                        "form": "common.form",
                        "scope": "institutions.col_scope",
                        "role": "institutions.col_role",
                        "joined_on": "institutions.col_joined",
                        "left_on": "institutions.col_left",
                        "data": "institutions.col_data",
                    },
                ),
                key="site_alliances",
                filename=f"institution_{sid}_alliances",
            )
            ui.simulated_note(alliances)

    st.subheader(ui.t("institutions.activity_title"))
    activity = data.query("site_activity", site=sid)
    if activity.empty:
        st.info(ui.t("institutions.no_activity"))
        return
    activity["activity"] = activity["kind"].map(lambda k: ui.label("activity", k))
    ui.chart(
        charts.bars(
            activity,
            x="month",
            y="count",
            color="activity",
            height=380,
            labels={"month": ui.t("institutions.col_month"), "count": ui.t("common.count")},
        ),
        "site_activity",
        ui.columns(
            activity.assign(month=activity["month"].dt.strftime("%Y-%m")),
            {
                "month": "institutions.col_month",
                "activity": "institutions.col_activity",
                "count": "common.count",
                "alliances": "institutions.col_alliances_n",
            },
        ),
        filename=f"institution_{sid}_activity",
    )
    ui.simulated_note(activity)


if len(detail):
    show_site(detail.iloc[0])
