"""The demo's founding pace: alliances keep being founded to the last year of the data, at the
pace the policy documents set (the 2019 county pilot, the 2023 city-group pilots), not dying out
after 2021 as a leader would question."""

import pandas as pd
import pytest

from dashboard import simulate
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def national():
    """The simulation over every county of China, as the shipped build makes it."""
    regions = pd.read_csv(ROOT / "data" / "boundaries" / "regions.csv", dtype={"name_en": "string"})
    return simulate.simulate(regions)


def founded_per_year(alliances: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(alliances["founded_on"]).dt.year.value_counts().sort_index()


def test_founding_goes_on_to_the_last_year_of_the_data(national):
    per_year = founded_per_year(national["alliances"])
    base = per_year.loc[2017:2021].mean()
    last_three = per_year.reindex(
        range(simulate.LAST_YEAR - 2, simulate.LAST_YEAR + 1), fill_value=0
    )
    assert (last_three >= base / 3).all(), (base, last_three.to_dict())


def test_the_pilots_show_as_waves(national):
    """County communities peak with the 2019 pilot and again as they reach every county
    (2024–2025); city groups come again with the 2023 pilots after a lull."""
    alliances = national["alliances"]
    county = founded_per_year(alliances[alliances["form"] == "county_community"])
    assert county[2019] > county[2018] and county[2019] > county[2021]
    assert county[2024] > county[2022]
    city = founded_per_year(alliances[alliances["form"] == "city_group"])
    assert city[2023] > city[2021] and city[2023] > city[2022]


def test_every_pace_ends_in_the_last_year_and_nobody_joins_before_the_founding(national):
    for first, shares in simulate.PACE.values():
        assert first + len(shares) - 1 == simulate.LAST_YEAR
    members = national["memberships"].merge(
        national["alliances"][["alliance_id", "founded_on"]], on="alliance_id"
    )
    assert (members["joined_on"] >= members["founded_on"]).all()
    assert (pd.to_datetime(members["joined_on"]) <= pd.Timestamp(simulate.AS_OF)).all()


def test_the_pace_is_deterministic_and_labelled(national):
    regions = pd.read_csv(ROOT / "data" / "boundaries" / "regions.csv", dtype={"name_en": "string"})
    again = simulate.simulate(regions)["alliances"]
    pd.testing.assert_frame_equal(again, national["alliances"])
    assert national["alliances"]["simulated"].all()
    assert national["alliances"]["name"].str.contains(simulate.MARK).all()
