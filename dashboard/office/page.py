"""The Data page's import section: choose files, see the findings and what changes, publish with
one click, roll back the last publish. Every step runs the importer in a subprocess (run.py)
and goes to the audit log; the page itself never writes the database."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import access, data, db, fmt, i18n, office, safe, ui
from dashboard.office import marked, run

STATE = "office"  # st.session_state[STATE]: the folder, the preview, the last outcome
MAX_EXAMPLES = 6
BY_ROWS = 0  # the province choice "the provinces of the file's rows" (no --province)


def _state() -> dict:
    return st.session_state.setdefault(STATE, {})


def _names() -> dict[int, str]:
    provinces = data.query("provinces")
    return dict(zip(provinces["adcode"].astype(int), provinces["name"], strict=True))


def _place(province, names: dict[int, str]) -> str:
    if province is None or pd.isna(province):
        return ui.t("import.changes.national")
    return names.get(int(province), str(int(province)))


def _progress(bar):
    def tell(step: int, total: int, label: str) -> None:
        bar.progress(
            min(step / max(total, 1), 1.0), text=f"{step}/{total} {safe.for_terminal(label)}"
        )

    return tell


def section() -> None:
    """The import section, for those who may import (office.may_import); nothing for others."""
    who = office.may_import()
    if who is None:
        return
    st.subheader(ui.t("office.title"))
    names = _names()
    state = _state()
    if who.national:
        st.caption(ui.t("office.scope_national"))
        choices = [BY_ROWS, *sorted(names)]
    else:
        st.caption(
            ui.t(
                "office.scope_provinces",
                names="、".join(names.get(p, str(p)) for p in who.provinces),
            )
        )
        choices = list(who.provinces)
    chosen = st.file_uploader(
        ui.t("office.choose"), type=["csv", "xlsx"], accept_multiple_files=True, key="office_files"
    )
    cols = st.columns([2, 1, 1])
    province = cols[0].selectbox(
        ui.t("office.province"),
        choices,
        format_func=lambda p: (
            ui.t("office.province_of_rows") if p == BY_ROWS else names.get(p, str(p))
        ),
        key="office_province",
    )
    province = None if province == BY_ROWS else province
    period_text = cols[1].text_input(ui.t("office.period"), key="office_period", max_chars=4)
    replace = cols[2].checkbox(ui.t("office.replace"), key="office_replace")
    period = int(period_text) if period_text.strip().isdigit() else None
    if done := state.pop("done", None):
        (st.success if done[0] == "ok" else st.error)(done[1])
    if st.button(ui.t("office.check"), key="office_check", disabled=not chosen, type="primary"):
        _check(who, chosen or [], province, period, replace)
    preview = state.get("preview")
    if preview is not None and preview["sig"] == _signature(
        chosen or [], province, period, replace
    ):
        _show(who, preview, names)
    _rollback(who)


def _signature(chosen, province, period, replace) -> str:
    h = hashlib.sha256()
    for f in chosen:
        h.update(f.name.encode("utf-8", "surrogatepass") + b"\0" + str(f.size).encode())
    h.update(f"{province}|{period}|{replace}".encode())
    return h.hexdigest()


def _check(who: office.Office, chosen, province, period, replace) -> None:
    state = _state()
    run.discard(state.get("folder"))
    folder = run.save([(f.name, f.getvalue()) for f in chosen])
    state["folder"] = folder
    files = [f.name for f in chosen]
    bar = st.progress(0.0, text=ui.t("office.checking"))
    outcome = run.check(folder, db.db_path(), province, period, replace, _progress(bar))
    bar.empty()
    result = outcome.result or {}
    access.audit(
        "import_check",
        who.email,
        {
            "files": files,
            "province": province,
            "period": period,
            "replace": replace,
            "errors": result.get("errors"),
            "warnings": result.get("warnings"),
        },
    )
    state["preview"] = {
        "sig": _signature(chosen, province, period, replace),
        "result": result,
        "output": outcome.output,
        "code": outcome.code,
        "province": province,
        "period": period,
        "replace": replace,
        "files": files,
    }


def _show(who: office.Office, preview: dict, names: dict[int, str]) -> None:
    result = preview["result"]
    if not result:
        st.error(ui.t("office.failed"))
        st.code(safe.for_terminal(preview["output"])[-4000:], language=None)
        return
    if result.get("stale"):
        st.warning(ui.t("import.report.stale"))
    lang = ui.lang()
    problems = result.get("problems", [])
    summary = ui.t(
        "office.summary", errors=result.get("errors", 0), warnings=result.get("warnings", 0)
    )
    (st.success if result.get("ok") else st.error)(summary)
    if problems:
        frame = pd.DataFrame(problems)
        shown = pd.DataFrame(
            {
                ui.t("office.col.file"): frame["file"].map(safe.for_terminal),
                ui.t("office.col.row"): frame["row"].astype("Int64"),
                ui.t("office.col.column"): frame["column"].map(safe.for_terminal),
                ui.t("office.col.value"): frame["value"].map(safe.for_terminal),
                ui.t("office.col.rule"): frame[f"rule_{lang}"].map(safe.for_terminal),
                ui.t("office.col.severity"): frame["severity"].map(
                    lambda s: i18n.text(f"import.report.{s}", lang)
                ),
            }
        )
        # a plain table: every finding readable as text (by a screen reader, or a copy)
        st.table(shown.astype("string").fillna(fmt.DASH).set_index(shown.columns[0]))
        folder = _state().get("folder")
        st.download_button(
            ui.t("office.findings_download"),
            # checked again when clicked and served only to this login (dashboard/access/files.py)
            access.audited(
                ui.t("office.findings_file") + ".xlsx",
                lambda: marked.workbook(problems, folder, lang),
            ),
            file_name=ui.t("office.findings_file") + ".xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="office_findings_xlsx",
            on_click="ignore",
        )
    changes = result.get("changes")
    if not result.get("ok") or changes is None:
        return
    st.markdown(f"**{ui.t('import.changes.title')}**")
    rows = pd.DataFrame(
        changes["rows"],
        columns=["table", "province", "period", "added", "changed", "deleted", "demo_removed"],
    )
    counts = ["added", "changed", "deleted", "demo_removed"]
    per = rows.groupby(["table", "province"], dropna=False, as_index=False)[counts].sum()
    per = per[per[counts].sum(axis=1) > 0]
    if per.empty:
        st.caption(ui.t("import.changes.none"))
    else:
        table = pd.DataFrame(
            {
                ui.t("import.changes.table"): per["table"].map(lambda x: ui.t(f"data.table.{x}")),
                ui.t("import.changes.province"): [_place(p, names) for p in per["province"]],
                **{
                    ui.t(f"import.changes.{c}"): per[c].map(lambda n: f"{int(n):,}") for c in counts
                },
            }
        )
        st.table(table.set_index(table.columns[0]))
    examples = [(table, e) for table, items in changes.get("examples", {}).items() for e in items][
        :MAX_EXAMPLES
    ]
    if examples:
        st.caption(ui.t("import.changes.examples"))
        for table, e in examples:
            key = " · ".join(safe.for_terminal(v) for v in e["key"].values())
            diff = "; ".join(
                f"{c}: {safe.for_terminal(b)} → {safe.for_terminal(a)}"
                for c, (b, a) in e["diff"].items()
            )
            st.text(f"{ui.t(f'data.table.{table}')} {key} — {diff}")
    deleted = int(rows["deleted"].sum())
    label = ui.t("office.publish_deleting", n=f"{deleted:,}") if deleted else ui.t("office.publish")
    if st.button(label, key="office_publish", type="primary"):
        _publish(who, preview)


def _publish(who: office.Office, preview: dict) -> None:
    state = _state()
    bar = st.progress(0.0, text=ui.t("office.publishing"))
    outcome = run.publish(
        state["folder"],
        db.db_path(),
        preview["province"],
        preview["result"]["fingerprint"],
        preview["period"],
        preview["replace"],
        _progress(bar),
    )
    bar.empty()
    result = outcome.result or {}
    what = {
        "files": preview["files"],
        "province": preview["province"],
        "batch": result.get("batch"),
    }
    if result.get("published"):
        access.audit("import_publish", who.email, what)
        run.discard(state.pop("folder", None))
        state.pop("preview", None)
        state["done"] = ("ok", ui.t("office.published", batch=result.get("batch", "")))
        st.session_state.pop(data.PINNED, None)  # who published reads the new file at once
        st.rerun()
    access.audit("import_refused", who.email, {**what, "code": outcome.code})
    if result.get("stale"):
        state["preview"]["result"] = {**preview["result"], "stale": True, "ok": False}
        st.warning(ui.t("import.report.stale"))
    else:
        st.error(ui.t("office.failed"))
        st.code(safe.for_terminal(outcome.output)[-4000:], language=None)


def _rollback(who: office.Office) -> None:
    with st.expander(ui.t("office.rollback_title")):
        st.caption(ui.t("office.rollback_text"))
        if not who.national:
            st.caption(ui.t("office.rollback_national"))
            return
        if st.button(ui.t("office.rollback"), key="office_rollback"):
            outcome = run.rollback(db.db_path())
            access.audit("import_rollback", who.email, {"code": outcome.code})
            state = _state()
            key = "office.rolled_back" if outcome.code == 0 else "office.rollback_none"
            state["done"] = ("ok" if outcome.code == 0 else "error", ui.t(key))
            state.pop("preview", None)
            st.session_state.pop(data.PINNED, None)
            st.rerun()
