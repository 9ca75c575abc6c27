"""The county scorecard (/county) and the province scorecard (/scorecard) through the real router
on the tiny database; the one-county briefing's content and the scorecard export."""

from __future__ import annotations

import csv

import pytest

from dashboard import db
from dashboard.__main__ import main
from dashboard.report import gather
from tests.conftest import run_app
from tests.helpers import metrics, rendered

AREAS = ("紧密型", "同质化", "促分工", "提效能", "保健康")


def test_a_county_scorecard_has_its_five_areas_and_every_indicator(tiny_env):
    at = run_app(page="pages/county.py", county="330822")
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("常山县 · 2025年")
    assert list(metrics(at)) == list(AREAS)
    tables = [d.value for d in at.dataframe]
    indicators = [name for t in tables if "本县" in t.columns for name in t["指标"]]
    assert len(indicators) == 20  # the 14 of the 2024 set, the planning target, 5 observed
    assert "县域内基层医疗卫生机构诊疗人次数占比" in indicators  # names verbatim
    visit = next(t for t in tables if "县域内就诊率" in set(t.get("指标", [])))
    row = visit[visit["指标"] == "县域内就诊率"].iloc[0]
    assert row["目标"] == "90.0%" and row["全省排名"].endswith("/2")
    assert row["本县"].endswith("%") and row["口径"] == "官方"
    evidence = next(t for t in tables if "佐证材料" in t.columns)
    assert set(evidence["状态"]) <= {"达到", "未达到", "未评估"}
    assert any("暂行口径" in c.value for c in at.caption)
    assert any("示例数据" in c.value for c in at.caption)


def test_a_county_in_english(tiny_env):
    at = run_app(page="pages/county.py", county="620103", lang="en")
    assert not at.exception and not at.error
    assert at.title[0].value.startswith("七里河区 · county community scorecard")
    assert "Close integration" in metrics(at)


@pytest.mark.parametrize("county", ["999999", "<script>x</script>"])
def test_an_unknown_county_falls_back_with_a_notice(tiny_env, county):
    at = run_app(page="pages/county.py", county=county)
    assert not at.exception and not at.error
    assert any("“county”" in w.value for w in at.warning)
    assert "<script" not in rendered(at)


def test_the_province_scorecard_lists_counties_under_the_province_total(tiny_env):
    at = run_app(page="pages/scorecard.py", province="330000", districts="1")
    assert not at.exception and not at.error
    assert at.title[0].value == "浙江省 · 2025年县域医共体监测评分表"
    table = at.dataframe[0].value
    assert table.iloc[0, 0] == "全省合计"
    assert set(table.iloc[1:, 0]) == {"柯城区", "常山县"}
    assert {*AREAS} <= set(table.columns)
    assert "县域内就诊率（%）" in table.columns and "资源统一管理" in table.columns
    assert set(table["资源统一管理"].iloc[1:]) <= {"达到", "未达到", "—"}


def test_the_province_scorecard_leaves_districts_out_by_default(tiny_env):
    at = run_app(page="pages/scorecard.py", province="330000")
    table = at.dataframe[0].value
    assert list(table.iloc[1:, 0]) == ["常山县"]  # 柯城区 is a 市辖区


def test_the_province_scorecard_in_english(tiny_env):
    at = run_app(page="pages/scorecard.py", province="620000", lang="en", districts="1")
    assert not at.exception and not at.error
    assert at.title[0].value == "Gansu · county community scorecard, 2025"
    assert at.dataframe[0].value.iloc[0, 0] == "Province total"


def test_a_county_briefing_carries_its_areas_and_evidence(tiny_db):
    con = db.connect(tiny_db)
    try:
        briefing = gather.county(con, 330822, "zh")
    finally:
        con.close()
    assert briefing.title == "常山县2025年县域医共体监测简报"
    assert briefing.filename == "常山县_县域医共体监测简报_2025年"
    headings = [s.heading for s in briefing.sections]
    assert headings[:2] == ["总体情况", "分项指标"]
    captions = [b.caption for s in briefing.sections for b in s.blocks if hasattr(b, "caption")]
    assert {*AREAS} <= set(captions) and "紧密型定性指标的佐证材料" in captions
    assert briefing.simulated


def test_export_scorecard_with_the_contract_keys(tiny_db, tmp_path):
    out = tmp_path / "card.csv"
    code = main(
        ["export", "scorecard", "--province", "330000", "--year", "2025", "--headers", "keys"]
        + ["--out", str(out), "--db", str(tiny_db)]
    )
    assert code == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {"county_adcode", "indicator_id", "area", "name_zh", "value", "numerator"} <= set(
        rows[0]
    ) and {"denominator", "rank", "ranked"} <= set(rows[0])
    province = [r for r in rows if r["is_province"] == "true"]
    assert {r["county_adcode"] for r in province} == {"330000"} and len(province) == 20
    visit = {r["county_adcode"]: r for r in rows if r["indicator_id"] == "county_visit_rate"}
    whole = visit["330000"]
    # the province's value is its counties' summed numerators over their summed denominators
    parts = [visit[c] for c in ("330802", "330822")]
    numerator = sum(float(p["numerator"]) for p in parts)
    denominator = sum(float(p["denominator"]) for p in parts)
    assert float(whole["numerator"]) == numerator and float(whole["denominator"]) == denominator
    assert float(whole["value"]) == round(100 * numerator / denominator, 1)


def test_export_scorecard_needs_a_known_province(tiny_db, tmp_path, capsys):
    assert main(["export", "scorecard", "--out", str(tmp_path), "--db", str(tiny_db)]) == 2
    assert "--province" in capsys.readouterr().err
    args = ["export", "scorecard", "--province", "990000", "--out", str(tmp_path)]
    assert main([*args, "--db", str(tiny_db)]) == 2
