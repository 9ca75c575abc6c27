"""The articles' alliances in headless Chromium, as an official sees them: the page of the June 2017
alliance and of Bengbu's 院府合作 (its 卫健委 drawn as a party on the map, as Plotly resolved it),
and the register's founding column, which shows 2017年6月 and 不晚于2024年2月29日 but sorts by
the dates underneath."""

from __future__ import annotations

import pytest

from tests.articles import build_real
from tests.browser import chromium, require_chromium, streamlit_server
from tests.test_browser import assert_clean, open_page

pytestmark = pytest.mark.browser
TABLE = '[data-testid="stDataFrame"]'
MAP = ".js-plotly-plot .scattergeo"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `streamlit run app.py` on data/real/ over the provinces it touches."""
    require_chromium()
    db = build_real(tmp_path_factory.mktemp("browser_articles"))
    with streamlit_server(db) as base:
        yield base


def metric(page, label: str) -> str:
    tile = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_the_june_2017_alliance_and_bengbus_commission_read_as_the_articles(server):
    with chromium() as page:
        open_page(page, f"{server}/alliances?alliance=R-A01", MAP)
        assert metric(page, "成立日期") == "2017年6月"
        assert metric(page, "现有成员单位") == "4"
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "牵头单位（4家共同牵头）" in body
        assert "株洲市妇幼保健院" not in body  # Fudan's partner, not the alliance's member
        assert_clean(page)

        open_page(page, f"{server}/alliances?alliance=R-A11", MAP)
        assert metric(page, "联盟形式") == "院府合作"
        assert metric(page, "成立日期") == "不晚于2024年2月29日"
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "合作各方（2方）：蚌埠市卫健委、上海市第十人民医院" in body
        # the map as Plotly drew it: one square of the government's colour, named in the legend
        drawn = page.evaluate(
            """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
                .flatMap(g => (g._fullData || []))
                .filter(t => t.type === 'scattergeo' && t.marker && t.marker.symbol === 'square')
                .map(t => ({name: t.name, color: t.marker.color, text: t.text}))"""
        )
        assert len(drawn) == 1 and drawn[0]["name"] == "政府/卫健委"
        assert "蚌埠市卫健委" in drawn[0]["text"][0]
        legend = page.locator(".js-plotly-plot .legendtext").evaluate_all(
            "nodes => nodes.map(n => n.textContent)"
        )
        assert "政府/卫健委" in legend
        assert_clean(page)


def test_the_register_shows_the_articles_dates_and_sorts_by_the_dates_underneath(server):
    """The grid paints the Styler's text (2017年6月, 不晚于2024年2月29日: AppTest reads it,
    tests/test_app_articles.py); underneath, for a copy, a screen reader and the sort, are dates."""
    with chromium() as page:
        open_page(page, f"{server}/alliances?real=1", TABLE)
        grid = page.locator(TABLE).first
        headers = grid.locator("th")
        names = headers.all_inner_texts()
        column, ids = names.index("成立日期"), names.index("编号")

        def rows() -> list[tuple[str, str]]:
            found = []
            for row in grid.locator("tbody tr").all():
                cells = row.locator("td").all_inner_texts()
                if len(cells) > column:
                    found.append((cells[ids], cells[column]))
            return found

        # the rows drawn (the grid lists those in view): newest first, as the query orders them
        assert rows()[0] == ("R-A11", "2024-02-29")
        # Click along the header (drawn on a canvas) until the founding column is the sorted one.
        box = grid.bounding_box()
        for x in range(60, int(box["width"]) - 10, 30):
            page.mouse.click(box["x"] + x, box["y"] + 15)
            page.wait_for_timeout(400)
            if headers.nth(column).inner_text().startswith(("↑", "↓")):
                break
        if headers.nth(column).inner_text().startswith("↓"):  # once more: oldest first
            page.mouse.click(box["x"] + x, box["y"] + 15)
            page.wait_for_timeout(400)
        assert headers.nth(column).inner_text().startswith("↑"), headers.all_inner_texts()
        shown = rows()
        days = [day for _, day in shown]
        assert days == sorted(days) and len(days) >= 5
        # by the dates, not by the text (不晚于… would sort after every 20xx年…)
        assert shown[:5] == [
            ("R-A16", "1995-01-01"),
            ("R-A02", "2015-10-01"),
            ("R-A01", "2017-06-01"),
            ("R-A03", "2017-09-05"),
            ("R-A04", "2017-12-09"),
        ]
        assert_clean(page)
