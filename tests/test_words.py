"""Chinese all the way, as AppTest sees the pages: every download is named in Chinese, every
picker prompts in the reader's language, every table shows an empty cell as "—"."""

from __future__ import annotations

import pytest

from dashboard import ui
from tests.conftest import run_app
from tests.helpers import msg, open_tables

PAGES = [
    ("pages/overview.py", {}),
    ("pages/province.py", {"province": "330000"}),
    ("pages/alliances.py", {"alliance": "R-A01"}),
    ("pages/institutions.py", {"site": "R-S001"}),
    ("pages/metrics.py", {}),
    ("pages/scorecard.py", {"province": "330000"}),
    ("pages/county.py", {"county": "330822"}),
    ("pages/data.py", {}),
]
HAN = ("\u4e00", "\u9fff")


def chinese(text: str) -> bool:
    return any(HAN[0] <= c <= HAN[1] for c in text)


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_download_is_named_in_chinese(tiny_env, monkeypatch, page, params):
    stems: list[str] = []
    real = ui.downloads

    def recording(make, key, stem, sheet=None):
        stems.append(stem)
        return real(make, key, stem, sheet)

    monkeypatch.setattr(ui, "downloads", recording)
    at = open_tables(run_app(page=page, **params))
    assert not at.exception
    assert stems
    assert all(chinese(stem) for stem in stems), [s for s in stems if not chinese(s)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page", "params"), PAGES)
def test_pickers_prompt_and_tables_show_empty_cells_in_the_readers_way(
    tiny_env, page, params, lang
):
    at = run_app(page=page, lang=lang, **params)
    assert not at.exception
    prompts = {s.proto.placeholder for s in at.selectbox}
    assert prompts == {msg("common.choose_placeholder", lang)}
    assert all(d.proto.placeholder == "—" for d in at.dataframe)
