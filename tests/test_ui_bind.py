"""URL-bound widgets of dashboard.ui (bind_text/bind_range/bind_flag, via the alliances page)."""

from __future__ import annotations

from tests.conftest import run_app as run
from tests.helpers import msg

PAGE = "pages/alliances.py"


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_valid_url_values_start_the_widgets(tiny_env):
    at = run(page=PAGE, q="妇产科", years="2017-2018", real="1")
    assert not at.exception
    assert at.text_input(key="q").value == "妇产科"
    assert at.slider(key="years").value == (2017, 2018)
    assert at.toggle(key="real").value is True
    assert not at.warning


def test_bad_url_values_fall_back_with_a_notice_each(tiny_env):
    span = run(page=PAGE).slider(key="years")
    at = run(page=PAGE, q="x" * 41, years="2018-2016", real="yes")
    assert not at.exception and not at.error
    assert at.text_input(key="q").value == ""
    assert at.slider(key="years").value == (span.min, span.max)
    assert at.toggle(key="real").value is False
    text = warnings(at)
    for key in ("q", "years", "real"):
        assert msg("common.bad_param", name=key) in text
    # Back at their defaults, the values are left out of the URL.
    assert not {"q", "years", "real"} & set(at.query_params)


def test_defaults_stay_out_of_the_url_and_changes_go_in(tiny_env):
    at = run(page=PAGE)
    assert not {"q", "years", "real"} & set(at.query_params)
    at.toggle(key="real").set_value(True).run()
    assert at.query_params["real"] == "1"
    at.toggle(key="real").set_value(False).run()
    assert "real" not in at.query_params


def test_the_search_text_follows_the_user_to_the_institutions_page(tiny_env):
    at = run(page=PAGE)
    at.text_input(key="q").input("仁和").run()
    at.switch_page("pages/institutions.py").run()
    assert not at.exception
    assert at.text_input(key="q").value == "仁和"
    assert at.query_params["q"] == "仁和"


def test_back_and_forward_follow_the_url(tiny_env):
    """When the URL changes under the page (browser back/forward), the view follows it."""
    from tests.conftest import run_app

    at = run_app(page="pages/overview.py", year="2025")
    assert at.selectbox(key="year").value == 2025
    at.query_params["year"] = "2018"  # what the browser sends after going back
    at.run()
    assert not at.exception
    assert at.selectbox(key="year").value == 2018
    at.run()  # and a plain rerun keeps it
    assert at.selectbox(key="year").value == 2018
