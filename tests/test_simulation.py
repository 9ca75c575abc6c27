"""The simulation: deterministic from its seed, labelled, plausible."""

import numpy as np
import pandas as pd
import pytest

from dashboard import build, simulate, simulate_measures
from tests.conftest import write_data_dir


@pytest.fixture(scope="module")
def regions(tmp_path_factory):
    """The tiny fixture's regions as the build reads them."""
    return build.read_regions(write_data_dir(tmp_path_factory.mktemp("sim") / "data"))


def test_same_seed_same_data(regions):
    a, b = simulate.simulate(regions, seed=5), simulate.simulate(regions, seed=5)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])


def test_other_seed_other_data(regions):
    a, b = simulate.simulate(regions, seed=5), simulate.simulate(regions, seed=6)
    assert not a["county_measures"]["value"].equals(b["county_measures"]["value"])


def test_every_simulated_row_is_labelled(regions):
    for table, frame in simulate.simulate(regions).items():
        assert frame["simulated"].all(), table


def test_visits_kept_in_the_county_rise_and_never_exceed_all_visits(regions):
    measures = simulate.simulate(regions)["county_measures"]
    wide = measures.pivot_table(index=["county_adcode", "year"], columns="measure", values="value")
    assert (wide["visits_residents_in_county"] <= wide["visits_residents"]).all()
    by_year = wide.groupby("year")[["visits_residents_in_county", "visits_residents"]].sum()
    rate = by_year["visits_residents_in_county"] / by_year["visits_residents"]
    assert rate[2025] > rate[2015]


@pytest.fixture(scope="module")
def national():
    """Every county's simulated measures (the shipped regions): county × year arrays."""
    regions = build.read_regions()
    counties = regions[
        (regions["level"] == "county")
        & ~regions["province_adcode"].isin(simulate.EXCLUDED_PROVINCES)
    ].sort_values("adcode")
    counties = counties.reset_index(drop=True)
    development = counties["province_adcode"].floordiv(10000).map(simulate.DEVELOPMENT)
    rng = np.random.default_rng([simulate.SEED, 1])
    values = simulate_measures.county_measures(counties, development.fillna(0.5).to_numpy(), rng)
    return counties, values


def test_county_trends_are_not_straight_lines(national):
    _, values = national
    rate = values["visits_residents_in_county"] / values["visits_residents"]
    steps = np.diff(rate, axis=1)
    direction = np.sign(rate[:, -1] - rate[:, 0])[:, None]
    against = (np.sign(steps) == -direction) & (direction != 0)
    # at least a fifth of county-years move against their county's long-run direction
    assert against.mean() >= 0.2


def test_visits_fell_in_2020(national):
    _, values = national
    years = list(range(simulate.FIRST_YEAR, simulate.LAST_YEAR + 1))
    total = values["visits_residents"].sum(axis=0)
    assert total[years.index(2020)] < 0.9 * total[years.index(2019)]
    assert total[years.index(2023)] > total[years.index(2020)]


def test_the_2024_primary_share_lands_near_the_published_value(national):
    _, values = national
    year = 2024 - simulate.FIRST_YEAR
    share = (
        100 * values["visits_primary"][:, year].sum() / values["visits_in_county"][:, year].sum()
    )
    assert abs(share - 63.4) <= 1.5  # 国家卫生健康委: 63.4 % in 2024


def test_numerators_stay_within_their_denominators(national):
    _, values = national
    for numerator, denominator in [
        ("visits_residents_in_county", "visits_residents"),
        ("visits_primary", "visits_in_county"),
        ("visits_tcm", "visits_in_county"),
        ("insured_stays_in_county", "insured_stays_all"),
        ("fund_in_county", "fund_all"),
        ("fund_primary", "fund_in_county"),
        ("villages_ecg", "villages"),
        ("family_doctor_signed", "population"),
        ("premature_deaths", "population_30_70"),
    ]:
        assert (values[numerator] <= values[denominator]).all(), numerator


def test_urban_districts_are_not_above_every_county(national):
    counties, values = national
    rate = 100 * values["visits_residents_in_county"][:, -1] / values["visits_residents"][:, -1]
    district = counties["district"].to_numpy(dtype=bool)
    assert rate[district].max() < 99 and np.median(rate[district]) < np.median(rate[~district]) + 3
