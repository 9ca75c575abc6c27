"""Data page: sources, simulated share, quality findings and downloads."""

from tests.conftest import run_app
from tests.helpers import msg, rendered


def test_data_page_lists_articles_and_simulated_share(tiny_env):
    at = run_app(page="pages/data.py")
    assert not at.exception and not at.error
    frames = [df.value for df in at.dataframe]
    articles = frames[0]
    assert "测试报道" in articles.iloc[:, 1].tolist()
    counts = frames[1].set_index(frames[1].columns[0])
    # county measures are all simulated in the fixture, the catalogue is not
    assert counts.loc["县级报送数据（分子分母）"].iloc[-1] == 100.0
    assert counts.loc["指标目录"].iloc[1] == 0
    assert any("示例数据" in c.value for c in at.caption)


def test_data_page_in_english(tiny_env):
    at = run_app(page="pages/data.py", lang="en")
    assert not at.exception
    assert at.title[0].value == "Data sources and quality"


def test_unknown_export_table_falls_back(tiny_env):
    at = run_app(page="pages/data.py", table="regions; drop table sites")
    assert not at.exception
    assert at.selectbox(key="table").value == "alliances"


def commands_shown(at) -> bool:
    return "python -m dashboard" in rendered(at)


def test_commands_are_for_the_administrator_only(tiny_env, monkeypatch):
    from dashboard import access

    at = run_app(page="pages/data.py")  # open mode: whoever started the app has its terminal
    assert not at.exception
    assert [e.label for e in at.expander if e.label == msg("data.admin_howto_title")]
    assert commands_shown(at)
    monkeypatch.setattr(access, "may_administer", lambda: False)  # an official signed in
    at = run_app(page="pages/data.py")
    assert not at.exception
    assert not commands_shown(at)
    assert msg("data.ask_admin") in [c.value for c in at.caption]
