"""Text from the data is text: no link, markup, control or bidi character reaches a page, and a
very long name is shortened where it would break the layout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import build, safe, ui
from tests.conftest import run_app
from tests.hostile import LINK_NAME, LONG_NAME, SPECIALTY, URL, hostile_data_dir

# What a GFM renderer turns into a link by itself, after Markdown escapes are undone.
AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto)://|www\.|[\w.+-]@[\w-]+\.")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The tiny database with links, formulas and a very long name in its real rows."""
    base = tmp_path_factory.mktemp("hostile_text")
    return build.build(base / "hostile.duckdb", data_dir=hostile_data_dir(base / "data"))


@pytest.fixture
def hostile_env(hostile_db, monkeypatch) -> Path:
    monkeypatch.setenv("DASHBOARD_DB", str(hostile_db))
    return hostile_db


def as_rendered(markdown: str) -> str:
    """The text a Markdown renderer shows for markdown (escapes undone)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\1", markdown)


def shown_markdown(at) -> list[str]:
    """Every piece of text the run shows through Markdown: bodies, headings, captions, alerts,
    metric labels and values, button labels."""
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.value for m in at.metric] + [m.label for m in at.metric]
    out += [b.label for b in at.button]
    return out


def test_plain_breaks_every_autolink_and_drops_controls():
    for text in (URL, "www.evil.example", "x@evil.example", f"见{URL}", "HTTPS://A.B"):
        assert not AUTOLINK.search(as_rendered(ui.plain(text)))
        # it reads the same: only invisible joiners were added
        assert as_rendered(ui.plain(text)).replace(safe.WORD_JOINER, "") == text
    assert as_rendered(ui.plain("a\x1b[2Jb\u202ec\x00d")) == "a[2Jbcd"
    assert ui.plain("长" * 100, 10) == "长" * 9 + "…"


@pytest.mark.parametrize(
    ("params", "seen"),
    [
        ({"alliance": "R-A01"}, SPECIALTY),
        ({"site": "R-S002"}, LINK_NAME),
    ],
)
def test_a_url_in_a_name_or_note_is_no_link_on_the_page(hostile_env, params, seen):
    page = "pages/alliances.py" if "alliance" in params else "pages/institutions.py"
    at = run_app(page=page, **params)
    assert not at.exception
    texts = [as_rendered(t) for t in shown_markdown(at)]
    assert texts
    assert not [t for t in texts if AUTOLINK.search(t)]
    visible = [t.replace(safe.WORD_JOINER, "") for t in texts]
    assert any(seen in t for t in visible)  # the text is still there, as text


def test_a_very_long_name_is_shortened_in_the_heading_and_whole_in_the_table(hostile_env):
    at = run_app(page="pages/institutions.py", site="R-S003")
    assert not at.exception
    heading = at.header[0].value
    assert heading.endswith("…") and len(heading) <= ui.NAME_MAX_CHARS
    assert LONG_NAME.startswith(heading[:-1])
    at = run_app(page="pages/institutions.py", q="很长的名字")
    names = [n for d in at.dataframe for c in d.value.columns for n in d.value[c].astype(str)]
    assert LONG_NAME in names


def test_chart_labels_drop_bidi_overrides_and_hovers_are_short():
    import pandas as pd
    import plotly.graph_objects as go

    from dashboard import charts

    labels = charts.safe_text(pd.Series(["\u202e反转<b>x</b>", None]))
    assert labels.tolist() == ["反转&lt;b&gt;x&lt;/b&gt;", None]
    points = pd.DataFrame({"lon": [120.0], "lat": [30.0], "name": [LONG_NAME]})
    hover = charts.add_points(go.Figure(), points).data[-1].text[0]
    assert hover.endswith("…") and len(hover) <= charts.HOVER_MAX_CHARS
