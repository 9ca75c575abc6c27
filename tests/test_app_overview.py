"""Overview page, run through the real router against the tiny database."""

from tests.conftest import run_app as run
from tests.helpers import metrics


def test_overview_renders_tiles_and_map(tiny_env):
    at = run()
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "全国医联体建设总览"
    labels = [m.label for m in at.metric]
    assert "医联体数量" in labels and "跨省联盟" in labels
    assert at.selectbox(key="metric").value == "county_visit_rate"


def test_english_switch_translates(tiny_env):
    at = run(lang="en")
    assert not at.exception
    assert at.title[0].value == "Medical alliances across China"
    assert "Alliances" in [m.label for m in at.metric]


def test_changing_year_changes_tiles(tiny_env):
    at = run()
    first = metrics(at)
    at.selectbox(key="year").set_value(2015).run()
    later = metrics(at)
    assert not at.exception
    assert first != later


def test_bad_url_values_fall_back_with_a_notice(tiny_env):
    at = run(metric="<script>alert(1)</script>", year="1899", province="999999")
    assert not at.exception
    assert at.selectbox(key="metric").value == "county_visit_rate"
    warnings = " ".join(w.value for w in at.warning)
    assert "metric" in warnings and "<script>" not in warnings
