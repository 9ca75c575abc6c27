"""The one translation catalogue: every message the code asks for exists in both languages."""

import re
from pathlib import Path

import pytest

from dashboard import i18n, kiosk

ROOT = Path(__file__).resolve().parent.parent
CODE = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/*.py")]
LITERAL_KEY = re.compile(r"""\b(?:t|text)\(\s*["']([a-z_]+\.[A-Za-z0-9_.]+)["']""")
CODE_GROUPS = {  # the codes of the data contract and the catalogue group that labels them
    "form": ["city_group", "county_community", "specialist", "telemedicine"],
    "scope": ["cross_province", "province", "city", "county"],
    "role": ["lead", "chair", "standing", "council", "member"],
    "kind": ["general", "maternal_child", "tcm", "specialist", "primary", "other"],
    "tier": ["3A", "3", "2", "1", "unrated"],
    "ownership": ["public", "private"],
    "activity": [
        "referral_up",
        "referral_down",
        "remote_consult",
        "expert_days",
        "training",
        "new_technique",
        "surgery",
    ],
    "funding": ["central", "provincial", "special_bond", "other"],
}


def used_keys() -> set[str]:
    """Message keys written literally in the code."""
    found = {m for p in CODE for m in LITERAL_KEY.findall(p.read_text(encoding="utf-8"))}
    return {k for k in found if not k.endswith(".")}  # "prefix." + name: tested below


def test_every_literal_key_exists():
    missing = used_keys() - set(i18n.catalogue())
    assert not missing, sorted(missing)


def test_every_message_has_both_languages():
    empty = [k for k, v in i18n.catalogue().items() if not v["zh"].strip() or not v["en"].strip()]
    assert not empty, empty


@pytest.mark.parametrize("group", list(CODE_GROUPS))
def test_every_data_code_has_a_label(group):
    for code in CODE_GROUPS[group]:
        zh = i18n.code_label(group, code, "zh")
        assert zh != code and i18n.code_label(group, code, "en") != zh


def test_keys_made_at_run_time_exist():
    keys = {f"kiosk.slide.{s}" for s in kiosk.SLIDES}
    keys |= {
        f"data.table.{t}"
        for t in (
            "regions",
            "indicators",
            "measures",
            "sites",
            "alliances",
            "memberships",
            "county_measures",
            "county_judgements",
            "county_metrics",
            "activities",
            "funding",
            "milestones",
            "figures",
            "articles",
        )
    }
    findings = re.findall(
        r"'([a-z_]+)' as finding|select '([a-z_]+)', n",
        (ROOT / "queries/data_quality.sql").read_text(encoding="utf-8"),
    )
    keys |= {f"data.quality.{name}" for pair in findings for name in pair if name}
    assert keys <= set(i18n.catalogue())


def test_formatting_fills_values():
    assert i18n.text("common.as_of", "zh", date="2025-12-31") == "数据截至 2025-12-31"
    assert i18n.text("common.as_of", "en", date="2025-12-31") == "Data as of 2025-12-31"
