"""数据: where the data came from, how fresh and how simulated it is, quality findings, downloads."""

import datetime as dt

import streamlit as st

from dashboard import access, data, db, export, fmt, gate, importer, ui
from dashboard.access import files as served
from dashboard.office import page as office_page
from dashboard.office import progress as office_progress

ui.through_router()

st.title(ui.t("data.title"))
gate.access_panel()

meta = data.query("meta").set_index("key")["value"]
path, _ = data.current_stamp()
built = dt.datetime.fromisoformat(meta["built_at"])
cols = st.columns(3)
cols[0].metric(ui.t("data.as_of"), meta["as_of"])
cols[1].metric(ui.t("data.built_at"), built.strftime("%Y-%m-%d %H:%M"))
cols[2].metric(ui.t("data.file_size"), f"{db.db_path().stat().st_size / 1e6:.1f} MB")

st.subheader(ui.t("data.sources_title"))
st.markdown(ui.t("data.sources_text"))
articles = data.query("data_articles")
ui.table(
    ui.columns(
        articles.assign(published_on=fmt.dates(articles["published_on"], ui.lang())),
        {
            "article_id": "data.article_id",
            "title": "data.article_title",
            "publisher": "data.publisher",
            "published_on": "data.published_on",
            "alliances": "data.alliances",
        },
    ),
    key="articles",
    filename="articles",
)

st.subheader(ui.t("data.simulated_title"))
counts = data.query("table_counts")
counts["share"] = (counts["simulated_rows"] / counts["rows"].where(counts["rows"] > 0) * 100).round(
    1
)
counts["table_label"] = counts["table_name"].map(lambda name: ui.t(f"data.table.{name}"))
ui.simulated_note(True)
ui.table(
    ui.columns(
        counts,
        {
            "table_label": "data.table",
            "rows": "data.rows",
            "article_rows": "data.article_rows",
            "office_rows": "data.office_rows",
            "simulated_rows": "data.simulated_rows",
            "share": "data.share",
        },
    ),
    key="counts",
    filename="table_counts",
)

st.subheader(ui.t("data.quality_title"))
quality = data.query("data_quality")
quality["text"] = quality["finding"].map(lambda f: ui.t(f"data.quality.{f}"))
ui.table(
    ui.columns(quality, {"text": "data.finding", "n": "data.rows"}),
    key="quality",
    filename="data_quality",
)

st.subheader(ui.t("data.download_title"))
table = ui.choose(
    st.selectbox,
    ui.t("data.table"),
    export.EXPORTS,
    key="table",
    format_func=lambda name: ui.t(f"data.table.{name}"),
)
ui.downloads(
    lambda: export.table_frame(data.query, table, ui.lang()),
    key="export",
    stem=export.table_file_stem(table, ui.lang()),
    sheet=export.sheet_title(table, ui.lang()),
)
st.caption(ui.t("data.download_note"))

st.subheader(ui.t("data.import_title"))
last = data.query("import_last") if data.query("import_available")["available"].iloc[0] else None
if last is None or last.empty:
    st.caption(ui.t("data.import_none"))
else:
    row = last.iloc[0]
    cols = st.columns(3)
    cols[0].metric(ui.t("data.import_at"), row["imported_at"].strftime("%Y-%m-%d %H:%M"))
    cols[1].metric(ui.t("data.import_files_n"), int(row["n_files"]))
    cols[2].metric(ui.t("data.import_warnings_n"), int(row["n_warnings"]))
    st.caption(ui.t("data.import_files", files=ui.plain(row["files"])))
    scope = ui.t("data.scope_national") if row["scope"] == 100000 else str(row["scope"])
    st.caption(
        f"{ui.t('data.import_batch')} {row['batch_id']} · {ui.t('data.import_scope')} {scope}"
    )
    st.markdown(f"**{ui.t('data.import_tables_title')}**")
    imported = data.query("import_last_tables")
    imported["table_label"] = imported["table_name"].map(lambda name: ui.t(f"data.table.{name}"))
    ui.table(
        ui.columns(imported, {"table_label": "data.table", "rows": "data.rows"}),
        key="import_tables",
        filename="last_import_tables",
    )
    st.markdown(f"**{ui.t('data.import_warnings_title')}**")
    warnings = data.query("import_last_warnings")
    if warnings.empty:
        st.caption(ui.t("data.import_no_warnings"))
    else:
        warnings["rule_text"] = warnings["rule_en" if ui.lang() == "en" else "rule_zh"]
        ui.table(
            ui.columns(
                warnings,
                {
                    "file": "data.import_file",
                    "row": "data.import_row",
                    "column_name": "data.import_column",
                    "value": "data.import_value",
                    "rule_text": "data.import_rule",
                },
            ),
            key="import_warnings",
            filename="last_import_warnings",
        )

office_page.section()  # import in the browser, for those who may (dashboard/office/)
office_progress.section()  # 报送进度: which counties have reported, from the import batches

st.subheader(ui.t("data.template_title"))
st.markdown(ui.t("data.template_text"))
if access.may_administer():  # commands for whoever runs the server; officials are told whom to ask
    with st.expander(ui.t("data.admin_howto_title")):
        st.markdown(ui.t("data.admin_howto"))
else:
    st.caption(ui.t("data.ask_admin"))
st.download_button(
    ui.t("data.template_download"),
    served.public(lambda: importer.templates_zip(data.query("metric_catalogue"))),
    file_name=export.file_name(ui.t("data.template_file"), "zip"),
    mime="application/zip",
    key="templates_zip",
    on_click="ignore",
)
