"""The simulation: deterministic from its seed, labelled, plausible."""

import pandas as pd
import pytest

from dashboard import build, simulate
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
