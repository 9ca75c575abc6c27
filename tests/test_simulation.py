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
    assert not a["county_metrics"]["value"].equals(b["county_metrics"]["value"])


def test_every_simulated_row_is_labelled(regions):
    for table, frame in simulate.simulate(regions).items():
        assert frame["simulated"].all(), table


def test_visit_rates_are_rates_and_rise(regions):
    metrics = simulate.simulate(regions)["county_metrics"]
    visit = metrics[metrics["metric"] == "county_visit_rate"]
    assert visit["value"].between(0, 100).all()
    by_year = visit.groupby("year")["value"].mean()
    assert by_year[2025] > by_year[2015]
