"""The simulated county measures and judgements of the demo: counts and amounts that agree with
each other, from which every indicator of the catalogue is computed as for real data.

Every county has residents, visits, stays, money, staff and villages that hang together:
numerators never exceed their denominators, populations add up to the province, visits fell in
2020, and each county's rates follow a path of their own toward a plateau with year-to-year
noise (no straight lines). Calibrated so that the 2024 national share of primary visits lands
near the published 63.4 %. Rows are labelled as the rest of the simulation is (simulate.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 2015, 2025
JUDGED_FROM = 2020  # the 2020 evaluation standards first judged how close-knit a community is
QUALITATIVE = ("resources_unified", "democratic_decisions", "service_coordination")
# Visits and stays against a normal year: the 2020 fall, a slow return, the 2023 catch-up.
VISIT_YEAR = {2020: 0.82, 2021: 0.95, 2022: 0.91, 2023: 1.03}
STAY_YEAR = {2020: 0.86, 2021: 0.96, 2022: 0.93, 2023: 1.04}
EVIDENCE = {
    "resources_unified": "示例：医共体人事、财务、药品统一管理制度文件及执行台账",
    "democratic_decisions": "示例：医共体理事会章程与年度理事会会议纪要",
    "service_coordination": "示例：双向转诊与远程会诊协同服务规程及运行记录",
}
JUDGED_BY = "示例评估组"


def _path(rng, n, years, start, ceiling, speed, noise, ar=0.5):
    """Per county, a value rising from start toward ceiling at speed (a plateau when near),
    with autocorrelated year-to-year noise: some years move against the county's direction."""
    t = np.arange(len(years))[None, :]
    smooth = ceiling[:, None] - (ceiling - start)[:, None] * np.exp(-speed[:, None] * t)
    shocks = rng.normal(0, noise, (n, len(years)))
    wobble = np.zeros_like(shocks)
    for j in range(len(years)):
        wobble[:, j] = shocks[:, j] + (ar * wobble[:, j - 1] if j else 0)
    return smooth + wobble


def _by_year(years, table):
    return np.array([table.get(int(y), 1.0) for y in years])[None, :]


def county_measures(
    counties: pd.DataFrame, development: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Measure id -> array (counties × years) of whole numbers."""
    n = len(counties)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    t = (years - FIRST_YEAR)[None, :]
    dev = development
    district = counties["district"].to_numpy(dtype=bool)

    pop0 = np.exp(rng.normal(np.log(np.where(district, 520e3, 430e3)), 0.55, n))
    growth = rng.normal(0.002 + 0.008 * district - 0.006 * (1 - dev), 0.005, n)
    population = pop0[:, None] * (1 + growth[:, None]) ** t

    # Visits of the residents, anywhere: per head, growing, with the 2020 fall.
    per_head = np.clip(rng.normal(4.6 + 2.6 * dev, 0.6, n), 2.5, 10)
    visits_residents = (
        population
        * per_head[:, None]
        * 1.022**t
        * _by_year(years, VISIT_YEAR)
        * rng.lognormal(0, 0.025, (n, len(years)))
    )
    # The county visit rate: toward a plateau of its own; districts not above counties.
    start = np.clip(0.735 + 0.13 * dev + rng.normal(0, 0.035, n), 0.55, 0.93)
    ceiling = np.minimum(start + rng.uniform(0.03, 0.15, n), rng.uniform(0.935, 0.965, n))
    rate = _path(rng, n, years, start, ceiling, rng.uniform(0.08, 0.4, n), 0.006)
    rate = np.clip(rate, 0.45, 0.985)
    in_county_res = visits_residents * rate
    inflow = np.where(district, rng.uniform(0.08, 0.45, n), rng.uniform(0.02, 0.12, n))
    visits_in_county = in_county_res * (1 + inflow[:, None])
    # The primary share of visits in the county: about 63 % nationally in 2024.
    primary0 = np.where(district, rng.normal(0.575, 0.06, n), rng.normal(0.668, 0.06, n))
    primary = _path(
        rng,
        n,
        years,
        np.clip(primary0, 0.3, 0.85),
        np.clip(primary0 + rng.normal(0.015, 0.03, n), 0.3, 0.88),
        rng.uniform(0.05, 0.3, n),
        0.008,
    )
    primary = np.clip(primary - 0.015 * (years == 2020)[None, :], 0.25, 0.9)
    tcm = np.clip(rng.normal(0.155, 0.035, n)[:, None] + 0.0015 * t, 0.05, 0.4)
    tcm = tcm + rng.normal(0, 0.004, (n, len(years)))

    # Inpatient stays of the insured, and what they cost inside the county.
    admission = np.clip(rng.normal(0.16 + 0.02 * dev, 0.025, n), 0.08, 0.3)
    stays_all = (
        population
        * admission[:, None]
        * 1.015**t
        * _by_year(years, STAY_YEAR)
        * rng.lognormal(0, 0.03, (n, len(years)))
    )
    stay_share = np.clip(rate - rng.normal(0.07, 0.03, n)[:, None], 0.4, 0.95)
    stay_share = stay_share + rng.normal(0, 0.006, (n, len(years)))
    stays_in = stays_all * np.clip(stay_share, 0.35, 0.96)
    cost_per_stay = (
        rng.normal(5400 + 3200 * dev, 500, n)[:, None]
        * (1 + rng.normal(0.03, 0.012, n))[:, None] ** t
        * rng.lognormal(0, 0.02, (n, len(years)))
    )
    # The medical insurance fund: per head, growing; how much stays in the county.
    fund_per_head = rng.normal(850 + 1300 * dev, 120, n)[:, None] * 1.06**t
    fund_all = population * np.clip(fund_per_head, 300, None)
    fund_share = np.clip(rate - rng.normal(0.17, 0.04, n)[:, None], 0.4, 0.9)
    fund_share = fund_share + 0.004 * t + rng.normal(0, 0.007, (n, len(years)))
    fund_in = fund_all * np.clip(fund_share, 0.35, 0.93)
    fund_primary = fund_in * np.clip(
        rng.uniform(0.12, 0.28, n)[:, None] + 0.003 * t + rng.normal(0, 0.005, (n, len(years))),
        0.05,
        0.5,
    )

    # Doctors posted for six months or more: few before the 2019 pilot, more after.
    posted_rate = rng.uniform(0.1, 0.5, n)[:, None] + rng.uniform(0.8, 2.6, n)[:, None] / (
        1 + np.exp(-(years[None, :] - 2020.5))
    )
    posted = population / 1e4 * np.clip(posted_rate + rng.normal(0, 0.08, (n, len(years))), 0, None)
    villages = np.where(
        district,
        population[:, 0] / rng.uniform(6000, 15000, n),
        population[:, 0] / rng.uniform(1300, 2600, n),
    )
    villages = np.maximum(np.round(villages), 3)[:, None] * np.ones((1, len(years)))
    ecg_mid = rng.uniform(2018.5, 2022.5, n)[:, None]
    ecg_top = rng.uniform(0.6, 0.99, n)[:, None]
    ecg = ecg_top / (1 + np.exp(-(years[None, :] - ecg_mid) * 0.9))
    villages_ecg = villages * np.clip(ecg + rng.normal(0, 0.015, (n, len(years))), 0, 1)

    primary_staff = population / 1e3 * rng.uniform(1.1, 2.3, n)[:, None]
    primary_wage = rng.normal(52e3 + 48e3 * dev, 5e3, n)[:, None] * 1.05**t
    lead_staff = np.round(rng.uniform(500, 2600, n))[:, None] * (1.02**t)
    parity = np.clip(rng.uniform(0.48, 0.78, n)[:, None] + 0.008 * t, 0.3, 1.1)
    lead_wage = primary_wage / (parity + rng.normal(0, 0.01, (n, len(years))))

    chronic = population * np.clip(rng.uniform(0.09, 0.15, n)[:, None] + 0.003 * t, 0.05, 0.3)
    chronic_rate = _path(
        rng,
        n,
        years,
        rng.uniform(0.13, 0.19, n),
        rng.uniform(0.08, 0.12, n),
        rng.uniform(0.1, 0.3, n),
        0.004,
    )
    population_30_70 = population * rng.uniform(0.47, 0.57, n)[:, None]
    death_rate = rng.normal(430 - 130 * dev, 35, n)[:, None] * 0.985**t / 1e5 + rng.normal(
        0, 6e-5, (n, len(years))
    )
    family = np.clip(
        _path(
            rng,
            n,
            years,
            rng.uniform(0.08, 0.25, n),
            rng.uniform(0.3, 0.5, n),
            rng.uniform(0.15, 0.4, n),
            0.012,
        ),
        0.02,
        0.8,
    )
    policy = np.clip((years - 2016) / 6, 0.15, 1.0)[None, :]
    outreach = population / 1e3 * policy * rng.lognormal(0, 0.15, (n, len(years)))
    telemedicine = np.clip((years - 2017) / 5, 0.02, 1.2)[None, :]

    values = {
        "population": population,
        "visits_residents": visits_residents,
        "visits_residents_in_county": in_county_res,
        "visits_in_county": visits_in_county,
        "visits_primary": visits_in_county * primary,
        "visits_tcm": visits_in_county * tcm,
        "insured_stays_all": stays_all,
        "insured_stays_in_county": stays_in,
        "insured_inpatient_cost_in_county": stays_in * cost_per_stay,
        "fund_all": fund_all,
        "fund_in_county": fund_in,
        "fund_primary": fund_primary,
        "posted_doctors": posted,
        "villages": villages,
        "villages_ecg": villages_ecg,
        "primary_staff": primary_staff,
        "primary_income": primary_staff * primary_wage,
        "lead_staff": lead_staff,
        "lead_income": lead_staff * lead_wage,
        "chronic_managed": chronic,
        "chronic_admissions": chronic * np.clip(chronic_rate, 0.03, 0.4),
        "population_30_70": population_30_70,
        "premature_deaths": population_30_70 * np.clip(death_rate, 5e-4, 1e-2),
        "family_doctor_signed": population * family,
        "referrals_down": outreach * rng.uniform(8, 25, n)[:, None],
        "referrals_up": outreach * rng.uniform(20, 45, n)[:, None],
        "remote_services": population / 1e3 * telemedicine * rng.uniform(5, 30, n)[:, None],
        "experts_sent": outreach * rng.uniform(0.3, 1.2, n)[:, None],
    }
    return {k: np.round(np.clip(v, 0, None)) for k, v in values.items()}


def long_table(counties: pd.DataFrame, values: dict[str, np.ndarray], source: str) -> pd.DataFrame:
    """The measures as rows: county_adcode, year, measure, value, source, simulated."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    n = len(counties)
    frames = [
        pd.DataFrame(
            {
                "county_adcode": np.repeat(counties["adcode"].to_numpy(), len(years)),
                "year": np.tile(years, n),
                "measure": measure,
                "value": array.ravel(),
            }
        )
        for measure, array in values.items()
    ]
    # stored by county and year: a province's rows sit together (DuckDB skips the rest)
    out = pd.concat(frames, ignore_index=True).sort_values(
        ["county_adcode", "year"], kind="stable", ignore_index=True
    )
    out["source"] = source
    out["simulated"] = True
    return out


def judgements(
    counties: pd.DataFrame, development: np.ndarray, rng: np.random.Generator, source: str
) -> pd.DataFrame:
    """The three qualitative indicators, judged yearly from 2020: each county meets each one from
    a year of its own (sooner where the system is more developed) and keeps meeting it. Urban
    districts are judged only where they have a community (about a third of them)."""
    years = np.arange(JUDGED_FROM, LAST_YEAR + 1)
    district = counties["district"].to_numpy(dtype=bool)
    judged = ~district | (rng.random(len(counties)) < 1 / 3)
    rows = []
    for indicator in QUALITATIVE:
        first_met = np.round(2019.5 + rng.exponential(1.2 + 3.0 * (1 - development))).astype(int)
        for year in years:
            met = first_met <= year
            rows.append(
                pd.DataFrame(
                    {
                        "county_adcode": counties["adcode"].to_numpy()[judged],
                        "year": year,
                        "indicator_id": indicator,
                        "met": met[judged],
                        "evidence": np.where(met[judged], EVIDENCE[indicator], None),
                        "judged_on": pd.Timestamp(year=int(year), month=12, day=15).date(),
                        "judged_by": JUDGED_BY,
                    }
                )
            )
    out = pd.concat(rows, ignore_index=True)
    out["source"] = source
    out["simulated"] = True
    return out


def monthly(yearly: pd.DataFrame, stock: set[str], rng: np.random.Generator) -> pd.DataFrame:
    """Twelve months per yearly row (the 10x data set): a flow is split over the months with
    the Spring Festival dip, a stock (population, staff, villages) holds each month."""
    n = len(yearly)
    months = np.tile(np.arange(1, 13), n)
    value = np.repeat(yearly["value"].to_numpy(), 12)
    is_stock = np.repeat(yearly["measure"].isin(stock).to_numpy(), 12)
    season = 1 - 0.25 * (months == 2) - 0.1 * (months == 1)
    weights = season * rng.uniform(0.9, 1.1, n * 12)
    weights = weights / np.repeat(weights.reshape(n, 12).sum(axis=1), 12)
    # a flow's months add up to its year exactly: the rounding rest goes to December
    flow = np.floor(value * weights)
    rest = value - np.add.reduceat(flow, np.arange(0, n * 12, 12)).repeat(12)
    flow = flow + np.where(months == 12, rest, 0)
    return pd.DataFrame(
        {
            "county_adcode": np.repeat(yearly["county_adcode"].to_numpy(), 12),
            "month": pd.to_datetime(
                {"year": np.repeat(yearly["year"].to_numpy(), 12), "month": months, "day": 1}
            ).dt.date,
            "measure": np.repeat(yearly["measure"].to_numpy(), 12),
            "value": np.where(is_stock, value, flow),
            "source": np.repeat(yearly["source"].to_numpy(), 12),
            "simulated": True,
        }
    )
