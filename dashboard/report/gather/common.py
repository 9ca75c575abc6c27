"""What both briefings share: run(), the one door to the data, the regions it may read, the
number formats, table columns and labels, map shapes, and the lines on the data's sources."""

from __future__ import annotations

import datetime as dt
import json
from contextvars import ContextVar

import duckdb
import pandas as pd

from dashboard import access, charts, db, fmt, i18n


class NotFound(LookupError):
    """No province or alliance with that code."""


# The regions a briefing may read (access.scope() of the session that asks for it); the command
# line, run by whoever runs the server, reads the whole country.
REGIONS: ContextVar[tuple[int, ...]] = ContextVar("briefing_regions", default=(access.NATIONAL,))


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """The one door to the data for briefings: a named query with bound parameters; a query
    that takes $regions always gets REGIONS, as the pages' queries get the session's."""
    if "regions" in db.query_params(name):
        params["regions"] = list(REGIONS.get())
    return db.run(con, name, params)


def _simulated(frame: pd.DataFrame) -> bool:
    """Any simulated row; a table with an `origin` column counts its 'demo' rows."""
    if "origin" in frame.columns:
        return bool((frame["origin"] == "demo").any())
    return bool("simulated" in frame and frame["simulated"].fillna(False).astype(bool).any())


def _num(value, digits: int = 1, sign: bool = False) -> str:
    if value is None or pd.isna(value):
        return fmt.DASH
    value = round(float(value), digits) + 0.0  # no "-0.0"
    return f"{value:{'+' if sign and value else ''},.{digits}f}"  # no "+0.0" either


def _int(value) -> str:
    return fmt.DASH if value is None or pd.isna(value) else f"{int(value):,}"


def _meta(con) -> dict[str, str]:
    frame = run(con, "meta")
    return dict(zip(frame["key"], frame["value"], strict=True))


def _shapes(con, level: str, adcodes: list[int]) -> tuple[charts.Shapes, dict]:
    """Shapes for charts.choropleth and the GeoJSON itself: a briefing's map carries its
    boundaries inline, as there is no server to fetch them from."""
    wanted = {int(c) for c in adcodes}
    frame = run(con, "boundaries", level=level)
    geometries = {
        int(c): json.loads(g)
        for c, g in zip(frame["adcode"], frame["boundary"], strict=True)
        if int(c) in wanted
    }
    codes = [int(c) for c in adcodes if int(c) in geometries]
    features = [{"type": "Feature", "id": str(c), "geometry": geometries[c]} for c in codes]
    boxes = [charts.extent(geometries[c]) for c in codes]
    box = (
        (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
        if boxes
        else None
    )
    geojson = {"type": "FeatureCollection", "features": features}
    return charts.Shapes(url="inline", ids=[str(c) for c in codes], box=box), geojson


def _inline(fig, geojson: dict):
    """Put the boundaries into the map's choropleth traces in place of the URL."""
    fig.update_traces(geojson=geojson, selector={"type": "choropleth"})
    return fig


def _whole_numbers(fig, axis: str, largest: float):
    """Counts on an axis: whole-number ticks (Plotly would put 0.5 between 0 and 1)."""
    if largest <= 10:
        getattr(fig, f"update_{axis}axes")(tick0=0, dtick=1)
    return fig


def _columns(frame: pd.DataFrame, mapping: dict[str, str], lang: str) -> pd.DataFrame:
    """The listed columns renamed to translated headers (mapping: column -> message key)."""
    return frame[list(mapping)].rename(columns={c: i18n.text(k, lang) for c, k in mapping.items()})


def _labels(group: str, codes: pd.Series, lang: str) -> pd.Series:
    return codes.map(lambda code: i18n.code_label(group, code, lang))


def _generated(lang: str, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return fmt.dated(today, "day", lang)


def _article_line(row: pd.Series, lang: str) -> str:
    return i18n.text(
        "alliances.source_article",
        lang,
        title=row["article_title"],
        publisher=row["article_publisher"],
        date=fmt.dated(row["article_date"], "day", lang),
    )


def _origins(frame: pd.DataFrame, lang: str) -> str:
    """Rows by origin and import batch (frame: origin, batch_id, n, imported_at, files) as text."""
    parts = []
    grouped = frame.groupby(["origin", "batch_id"], dropna=False, sort=False)
    for (origin, batch), rows in grouped:
        n = int(rows["n"].sum())
        if origin == "office":
            first = rows.iloc[0]
            files = json.loads(first["files"]) if fmt.given(first["files"]) else []
            when = first["imported_at"]
            parts.append(
                i18n.text(
                    "briefing.src_office",
                    lang,
                    batch=fmt.text(batch),
                    when=pd.Timestamp(when).strftime("%Y-%m-%d %H:%M") if fmt.given(when) else "—",
                    files=", ".join(files) or fmt.DASH,
                    n=f"{n:,}",
                )
            )
        elif origin == "article" and "articles" in rows and fmt.given(rows["articles"].iloc[0]):
            # one article is one source, however many rows were entered from it
            parts.append(
                i18n.text("briefing.src_article", lang, n=f"{int(rows['articles'].iloc[0]):,}")
            )
        elif origin in ("demo", "article"):
            parts.append(i18n.text(f"briefing.src_{origin}", lang, n=f"{n:,}"))
    return i18n.text("briefing.src_sep", lang).join(parts)


def _data_sources(meta: dict, lang: str, simulated: bool) -> list[str]:
    """What the simulated rows are and how fresh the data is."""
    lines = []
    if simulated:
        lines.append(i18n.text("briefing.source_simulated", lang, seed=meta.get("seed", fmt.DASH)))
    lines.append(i18n.text("briefing.source_as_of", lang, date=meta.get("as_of", fmt.DASH)))
    return lines
