"""The five articles' data as the tests read it: databases built from data/real/ (all of it, or one
article's rows alone), and what the alliance page, the kiosk's 最新成立 slide and a briefing show."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd

from dashboard import build, db, fmt, i18n
from dashboard.report import content, prepare
from tests.conftest import ROOT
from tests.conftest import run_app as run
from tests.helpers import msg, table_with

REAL = ROOT / "data" / "real"
BOUNDARIES = ROOT / "data" / "boundaries"
PAGE = "pages/alliances.py"
ARTICLES = [f"article:00{i}" for i in range(5)]


def real(name: str) -> pd.DataFrame:
    """One of data/real/*.csv as text (empty cells are '')."""
    return pd.read_csv(REAL / f"{name}.csv", dtype=str, keep_default_na=False)


def _one_article(real_dir: Path, article: str) -> None:
    """Keep only the rows of one article in a copy of data/real/ (and the sites they name)."""
    alliances = real("alliances")
    ids = set(alliances.loc[alliances["source"] == article, "alliance_id"])
    members = real("memberships")
    members = members[members["alliance_id"].isin(ids)]
    sites = set(members["site_id"]) | set(
        alliances.loc[alliances["source"] == article, "lead_site_id"]
    )
    for path in REAL.glob("*.csv"):
        frame = real(path.stem)
        if path.stem == "sites":
            frame = frame[frame["site_id"].isin(sites)]
        elif "alliance_id" in frame.columns:
            frame = frame[frame["alliance_id"].isin(ids)]
        frame.to_csv(real_dir / path.name, index=False)


def build_real(base: Path, article: str | None = None, simulation: bool = True) -> Path:
    """data/real/ as shipped (or one article's rows alone), over the real regions of the
    provinces its sites are in."""
    data_dir = base / "data"
    shutil.copytree(REAL, data_dir / "real")
    if article:
        _one_article(data_dir / "real", article)
    shutil.copytree(ROOT / "data" / "catalogue", data_dir / "catalogue")
    sites = pd.read_csv(data_dir / "real" / "sites.csv", dtype=str)
    provinces = {int(c) // 10000 * 10000 for c in sites["county_adcode"]}
    regions = pd.read_csv(BOUNDARIES / "regions.csv", dtype={"name_en": "string"})
    regions = regions[regions["province_adcode"].isin(provinces)]
    (data_dir / "boundaries").mkdir()
    regions.to_csv(data_dir / "boundaries" / "regions.csv", index=False)
    keep = set(regions["adcode"])
    for name in ("provinces.geojson", "counties.geojson"):
        shapes = json.loads((BOUNDARIES / name).read_text(encoding="utf-8"))
        shapes["features"] = [f for f in shapes["features"] if int(f["id"]) in keep]
        (data_dir / "boundaries" / name).write_text(json.dumps(shapes), encoding="utf-8")
    shutil.copy(BOUNDARIES / "dashline.geojson", data_dir / "boundaries" / "dashline.geojson")
    return build.build(base / "real.duckdb", data_dir=data_dir, simulation=simulation)


# ---------------------------------------------------------------- what the surfaces show


def page(aid: str, lang: str = "zh"):
    """The alliance page of one record, opened from a link."""
    at = run(page=PAGE, alliance=aid, lang=lang)
    assert not at.exception, at.exception
    return at


def unescaped(text: str) -> str:
    """Text as the screen shows it: Markdown's escapes (ui.plain) undone."""
    return re.sub(r"\\(.)", r"\1", text)


def facts_shown(at) -> dict[str, str]:
    """The page's st.metric tiles as read on the screen, label -> value."""
    return {m.label: unescaped(m.value) for m in at.metric}


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


def figures_shown(at, lang: str = "zh") -> pd.DataFrame:
    """The page's 报道中的数字 table (empty when the record states none)."""
    column = msg("alliances.col_figure", lang)
    if not any(column in d.value.columns for d in at.dataframe):
        return pd.DataFrame()
    return table_with(at, column)


def figures_of(aid: str, lang: str = "zh") -> pd.DataFrame:
    """data/real/figures.csv's rows of one record, written as a page writes them."""
    f = real("figures")
    f = f[f["alliance_id"] == aid]
    return pd.DataFrame(
        {
            msg("alliances.col_figure", lang): f["label_en" if lang == "en" else "label_zh"],
            msg("common.value", lang): [
                fmt.stated(float(v), q or None, lang)
                for v, q in zip(f["value"], f["qualifier"], strict=True)
            ],
            msg("alliances.col_quote", lang): f["quote"],
        }
    ).reset_index(drop=True)


def assert_figures_on_their_record(at, aid: str, lang: str = "zh") -> None:
    """Every figure the article states of this record, with its sentence, and no other."""
    expected = figures_of(aid, lang)
    shown = figures_shown(at, lang)
    if expected.empty:
        assert shown.empty, aid
        return
    assert shown[list(expected.columns)].reset_index(drop=True).equals(expected), aid


def kiosk_lines(env_db: Path, monkeypatch, lang: str = "zh") -> list[str]:
    """The lines of the kiosk's 最新成立 slide on a database."""
    monkeypatch.setenv("DASHBOARD_DB", str(env_db))
    at = run(page="pages/kiosk.py", slides="latest", lang=lang)
    assert not at.exception and not at.error
    table = next(h.proto.body for h in at.html if "kiosk-latest" in h.proto.body)
    rows = re.findall(
        r'<tr><td class="name">(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>', table
    )
    assert rows, "the slide listed nothing"
    return [" · ".join(html.unescape(cell) for cell in row) for row in rows]


def kiosk_line(name: str, form: str, province: str, date: str, lang: str = "zh") -> str:
    """A 最新成立 line as the slide writes it: name · kind · province of the lead · date."""
    return f"{name} · {i18n.code_label('form', form, lang)} · {province} · {date}"


def briefing(db_path: Path, aid: str, lang: str = "zh") -> content.Briefing:
    """An alliance's briefing content (what its Word file and PDF write)."""
    con = db.connect(db_path)
    try:
        return prepare(con, "alliance", aid, lang)
    finally:
        con.close()


def briefing_text(b: content.Briefing) -> str:
    """Every word a briefing writes: title, facts, headings, paragraphs and table cells."""
    parts = [b.title, *(f"{k}：{v}" for k, v in b.facts)]
    for section in b.sections:
        parts.append(section.heading)
        for block in section.blocks:
            if isinstance(block, content.Text):
                parts.append(block.text)
            elif isinstance(block, content.Table):
                parts.append(block.caption)
                parts += ["\t".join(block.frame.columns)]
                parts += ["\t".join(map(str, row)) for row in block.frame.itertuples(index=False)]
    return "\n".join(parts)


def briefing_facts(b: content.Briefing) -> dict[str, str]:
    """The briefing's table of the alliance's facts: item -> content."""
    table = next(
        block
        for block in b.sections[0].blocks
        if isinstance(block, content.Table) and len(block.frame.columns) == 2
    )
    return dict(zip(table.frame.iloc[:, 0], table.frame.iloc[:, 1], strict=True))


def briefing_table(b: content.Briefing, caption: str) -> pd.DataFrame:
    for section in b.sections:
        for block in section.blocks:
            if isinstance(block, content.Table) and block.caption == caption:
                return block.frame
    raise AssertionError(f"no table {caption!r}")
