"""A deterministic, clearly labelled simulation covering every mainland county.

Every row made here carries ``simulated = true``, ``origin = 'demo'`` (and ``source =
'simulated'``), so the pages can say "示例数据 / simulated" wherever such rows are shown, and
every simulated name has the 示例 mark in it (柯城区示例人民医院, 甘肃示例妇产科专科联盟). The shape follows the
real system (county communities in every county, city groups, provincial specialist and
telemedicine networks, some cross-province alliances); the numbers are invented.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import pandas as pd

from dashboard import simulate_measures

SEED = 20171
FIRST_YEAR, LAST_YEAR = simulate_measures.FIRST_YEAR, simulate_measures.LAST_YEAR
FIRST_ACTIVITY_MONTH = dt.date(2018, 1, 1)
AS_OF = dt.date(LAST_YEAR, 12, 31)
SOURCE = "simulated"
# In every simulated institution's and alliance's name, after the place: reads as an example
# and never equals a real name (queries/contract/provenance.sql checks both).
MARK = "示例"
# Hong Kong, Macao and Taiwan run other health systems: no simulated rows there.
EXCLUDED_PROVINCES = {710000, 810000, 820000}
MONTHLY_FROM_SCALE = 10

# How developed a province's county health system is, 0..1 (east high, west low).
DEVELOPMENT = {
    11: 1.0,
    12: 0.9,
    13: 0.55,
    14: 0.5,
    15: 0.4,
    21: 0.6,
    22: 0.55,
    23: 0.5,
    31: 1.0,
    32: 0.9,
    33: 0.95,
    34: 0.6,
    35: 0.8,
    36: 0.55,
    37: 0.75,
    41: 0.55,
    42: 0.65,
    43: 0.6,
    44: 0.85,
    45: 0.45,
    46: 0.5,
    50: 0.6,
    51: 0.5,
    52: 0.35,
    53: 0.35,
    54: 0.15,
    61: 0.5,
    62: 0.3,
    63: 0.25,
    64: 0.35,
    65: 0.25,
}
SPECIALTIES = [
    "妇产科",
    "儿科",
    "心血管内科",
    "肿瘤科",
    "神经内科",
    "呼吸内科",
    "骨科",
    "急诊医学",
    "中医",
    "精神卫生",
    "眼科",
    "康复医学",
]
NATIONAL_CENTRES = [110000, 310000, 440000, 510000, 420000, 330000, 320000, 500000]
ACTIVITY_KINDS = {
    "county_community": {
        "referral_up": 40,
        "referral_down": 25,
        "expert_days": 30,
        "training": 60,
        "remote_consult": 35,
    },
    "city_group": {
        "referral_up": 80,
        "referral_down": 45,
        "expert_days": 50,
        "training": 90,
        "new_technique": 1.5,
        "surgery": 25,
    },
    "specialist": {
        "referral_up": 30,
        "referral_down": 15,
        "remote_consult": 20,
        "training": 50,
        "new_technique": 0.8,
        "surgery": 12,
        "expert_days": 15,
    },
    "telemedicine": {"remote_consult": 150, "training": 40},
}


def short_name(name: str) -> str:
    """Province or city name without its administrative suffix (广西壮族自治区 → 广西)."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class Place(NamedTuple):
    """Where a site stands: its county and a point."""

    adcode: int
    lon: float
    lat: float


class _Ids:
    """Sequential ids with a prefix: S000001, A00001 …"""

    def __init__(self, prefix: str, width: int):
        self.prefix, self.width, self.n = prefix, width, 0

    def __call__(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:0{self.width}d}"


def _pick(rng: np.random.Generator, pool, low: int, high: int) -> list:
    """Between low and high distinct items of pool (fewer if the pool is small)."""
    pool = list(pool)
    n = min(len(pool), int(rng.integers(low, high)))
    return [pool[i] for i in rng.choice(len(pool), size=n, replace=False)] if n else []


def _date(rng: np.random.Generator, first: int, last: int) -> dt.date:
    year = int(rng.integers(first, last + 1))
    return dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))


# The pace at which each form is founded, year by year, as the policy documents set it (shares
# of the alliances of a form founded in each year from the first; invented numbers, real shape):
# - county communities: the 2017 guideline (国办发〔2017〕32号) starts them; the 2019 紧密型县域
#   医共体 pilot (567 counties) brings the first wave; after a lull, the 2023 guideline to push
#   them into every county (全面推进, by the end of 2025) brings the second.
# - city groups: a first wave around the 2017 guideline, then the 2023 紧密型城市医疗集团 pilot
#   (81 cities) a second.
# - specialist and telemedicine networks, cross-province alliances: a steady pace that eases.
PACE = {
    "county_community": (2017, [0.08, 0.08, 0.20, 0.14, 0.08, 0.05, 0.07, 0.16, 0.14]),
    "city_group": (2016, [0.12, 0.16, 0.16, 0.12, 0.08, 0.04, 0.04, 0.12, 0.10, 0.06]),
    "specialist": (2016, [0.08, 0.12, 0.12, 0.12, 0.10, 0.10, 0.10, 0.09, 0.09, 0.08]),
    "telemedicine": (2017, [0.10, 0.14, 0.14, 0.14, 0.12, 0.10, 0.10, 0.08, 0.08]),
    "cross_province": (2016, [0.10, 0.12, 0.12, 0.12, 0.10, 0.10, 0.10, 0.08, 0.08, 0.08]),
}


def _founded(rng: np.random.Generator, pace: str) -> dt.date:
    """A founding day in a year drawn at the pace PACE gives (the last year is LAST_YEAR)."""
    first, shares = PACE[pace]
    year = first + int(rng.choice(len(shares), p=np.asarray(shares) / sum(shares)))
    return dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29)))


def simulate(
    regions: pd.DataFrame, seed: int = SEED, scale: int = 1, stock: frozenset[str] = frozenset()
) -> dict[str, pd.DataFrame]:
    """All simulated tables, the same for the same seed, regions and scale. stock: the measures
    that are levels at year end (the catalogue's), held, not split, over months at 10x."""
    rng = np.random.default_rng(seed)
    regions = regions[~regions["province_adcode"].isin(EXCLUDED_PROVINCES)]
    counties = regions[regions["level"] == "county"].sort_values("adcode").reset_index(drop=True)
    if "district" not in counties:
        counties = counties.assign(district=counties["name"].str.endswith("区"))
    provinces = regions[regions["level"] == "province"].sort_values("adcode")
    cities = regions[regions["level"] == "city"].sort_values("adcode")

    # The county measures draw from a stream of their own: changing them moves no alliance.
    county_rng = np.random.default_rng([seed, 1])
    development = counties["province_adcode"].floordiv(10000).map(DEVELOPMENT).fillna(0.5)
    development = development.to_numpy()
    measures = simulate_measures.long_table(
        counties, simulate_measures.county_measures(counties, development, county_rng), SOURCE
    )
    judgements = simulate_measures.judgements(counties, development, county_rng, SOURCE)
    # From 10x on, county measures come by month (the yearly table is filled from them).
    measure_table = "county_measures" if scale < MONTHLY_FROM_SCALE else "county_measures_monthly"
    if scale >= MONTHLY_FROM_SCALE:
        measures = simulate_measures.monthly(measures, set(stock), county_rng)
    sites, by_county, by_city, by_province = _sites(counties, cities, provinces, rng, scale)
    alliances, members = _alliances(
        counties, cities, provinces, by_county, by_city, by_province, sites, rng, scale
    )
    activities = _activities(alliances, members, rng, scale)
    funding = _funding(alliances, rng)
    milestones = _milestones(alliances, rng)
    tables = {
        "sites": sites,
        "alliances": alliances,
        "memberships": members,
        measure_table: measures,
        "county_judgements": judgements,
        "activities": activities,
        "funding": funding,
        "milestones": milestones,
    }
    return {name: frame.assign(origin="demo") for name, frame in tables.items()}


def _sites(counties, cities, provinces, rng, scale):
    rows = []
    new_id = _Ids("S", 7)
    by_county: dict[int, dict[str, list[str]]] = {}
    by_city: dict[int, list[str]] = {}
    by_province: dict[int, dict[str, str]] = {}

    def add(name, kind, tier, ownership, county, beds):
        sid = new_id()
        jitter = rng.normal(0, 0.025, 2)
        rows.append(
            (
                sid,
                name,
                kind,
                tier,
                ownership,
                int(county.adcode),
                round(float(county.lon + jitter[0]), 4),
                round(float(county.lat + jitter[1]), 4),
                beds,
            )
        )
        return sid

    first_county = counties.groupby(counties["adcode"] // 100)["adcode"].min()
    county_by_code = counties.set_index("adcode")
    prov_capital = counties.groupby("province_adcode")["adcode"].min()

    def place(adcode: int) -> Place:
        return Place(adcode, county_by_code.at[adcode, "lon"], county_by_code.at[adcode, "lat"])

    for prov in provinces.itertuples():
        if prov.adcode not in prov_capital.index:
            continue
        seat_row = place(prov_capital[prov.adcode])
        short, full = short_name(prov.name), prov.name
        by_province[prov.adcode] = {
            "general": add(f"{full}{MARK}人民医院", "general", "3A", "public", seat_row, 2500),
            "maternal_child": add(
                f"{full}{MARK}妇幼保健院", "maternal_child", "3A", "public", seat_row, 1200
            ),
            "tcm": add(f"{full}{MARK}中医院", "tcm", "3A", "public", seat_row, 1800),
            "oncology": add(f"{full}{MARK}肿瘤医院", "specialist", "3A", "public", seat_row, 1500),
            "university": add(
                f"{short}{MARK}医科大学附属第一医院", "general", "3A", "public", seat_row, 3000
            ),
        }

    for city in cities.itertuples():
        prefix = city.adcode // 100
        if prefix not in first_county.index or str(city.adcode).endswith("0000"):
            continue
        seat_row = place(first_county[prefix])
        name = short_name(city.name) if city.name.endswith("市") else city.name
        by_city[city.adcode] = [
            add(f"{name}{MARK}第一人民医院", "general", "3A", "public", seat_row, 1500),
            add(f"{name}{MARK}中心医院", "general", "3", "public", seat_row, 1000),
            add(f"{name}{MARK}妇幼保健院", "maternal_child", "3", "public", seat_row, 600),
            add(f"{name}{MARK}中医院", "tcm", "3", "public", seat_row, 800),
        ]

    for county in counties.itertuples():
        urban = county.name.endswith("区")
        kinds: dict[str, list[str]] = {}
        kinds["general"] = [
            add(
                f"{county.name}{MARK}人民医院",
                "general",
                "3" if urban and rng.random() < 0.4 else "2",
                "public",
                county,
                int(rng.integers(200, 900)),
            )
        ]
        kinds["tcm"] = [
            add(
                f"{county.name}{MARK}中医医院",
                "tcm",
                "2",
                "public",
                county,
                int(rng.integers(100, 500)),
            )
        ]
        kinds["maternal_child"] = [
            add(
                f"{county.name}{MARK}妇幼保健院",
                "maternal_child",
                "2" if rng.random() < 0.6 else "1",
                "public",
                county,
                int(rng.integers(40, 200)),
            )
        ]
        word = "社区卫生服务中心" if urban else "乡镇卫生院"
        kinds["primary"] = [
            add(
                f"{county.name}{MARK}第{k}{word}",
                "primary",
                "1",
                "public",
                county,
                int(rng.integers(10, 80)),
            )
            for k in range(1, int(rng.integers(4, 12)) * scale + 1)
        ]
        kinds["private"] = [
            add(
                f"{county.name}{MARK}{name}医院",
                "general",
                "unrated",
                "private",
                county,
                int(rng.integers(30, 300)),
            )
            for name in ("仁爱", "康宁", "济民")[: int(rng.integers(0, 3))]
        ]
        by_county[county.adcode] = kinds

    sites = pd.DataFrame(
        rows,
        columns=[
            "site_id",
            "name",
            "kind",
            "tier",
            "ownership",
            "county_adcode",
            "lon",
            "lat",
            "beds",
        ],
    )
    sites["source"] = SOURCE
    sites["simulated"] = True
    return sites, by_county, by_city, by_province


def _alliances(counties, cities, provinces, by_county, by_city, by_province, sites, rng, scale):
    alliances = []
    members = []
    new_id = _Ids("A", 6)
    site_county = dict(zip(sites["site_id"], sites["county_adcode"], strict=True))

    def alliance(name, form, specialty, scope, founded, lead, others, roles=None):
        aid = new_id()
        alliances.append((aid, name, form, specialty, scope, None, founded, lead))
        members.append((aid, lead, "lead", founded, None))
        seen = {lead}
        for i, sid in enumerate(others):
            if sid in seen:
                continue
            seen.add(sid)
            joined = founded
            if rng.random() < 0.35:  # membership grows after founding
                joined = max(
                    founded,
                    min(
                        founded + dt.timedelta(days=int(rng.integers(60, 1800))),
                        AS_OF - dt.timedelta(days=31),
                    ),
                )
            left = None
            if rng.random() < 0.03:
                left = min(joined + dt.timedelta(days=int(rng.integers(200, 1500))), AS_OF)
            role = roles[i] if roles and i < len(roles) else "member"
            members.append((aid, sid, role, joined, left))
        return aid

    city_counties = counties.groupby(counties["adcode"] // 100)["adcode"].apply(list)
    prov_counties = counties.groupby("province_adcode")["adcode"].apply(list)

    for _ in range(scale):
        for county in counties.itertuples():
            urban = county.name.endswith("区")
            if urban and rng.random() > 0.3:
                continue
            kinds = by_county[county.adcode]
            alliance(
                f"{county.name}{MARK}紧密型县域医共体",
                "county_community",
                None,
                "county",
                _founded(rng, "county_community"),
                kinds["general"][0],
                kinds["tcm"] + kinds["maternal_child"] + kinds["primary"],
            )

        for city in cities.itertuples():
            if city.adcode not in by_city:
                continue
            hospitals = by_city[city.adcode]
            pool = city_counties.get(city.adcode // 100, [])
            for g, lead in enumerate(hospitals[: int(rng.integers(1, 3))]):
                picks = _pick(rng, pool, 2, 7)
                others = [by_county[c]["general"][0] for c in picks]
                others += [by_county[c]["primary"][0] for c in picks[:3]]
                name = short_name(city.name) if city.name.endswith("市") else city.name
                alliance(
                    f"{name}{MARK}第{'一二'[g]}医疗集团",
                    "city_group",
                    None,
                    "city",
                    _founded(rng, "city_group"),
                    lead,
                    others,
                )

        for prov in provinces.itertuples():
            if prov.adcode not in by_province:
                continue
            top = by_province[prov.adcode]
            pool = prov_counties[prov.adcode]
            short = short_name(prov.name)
            for spec in _pick(rng, SPECIALTIES, 5, 10):
                lead = {
                    "妇产科": top["maternal_child"],
                    "儿科": top["maternal_child"],
                    "肿瘤科": top["oncology"],
                    "中医": top["tcm"],
                }.get(spec, top["general"] if rng.random() < 0.5 else top["university"])
                picks = _pick(rng, pool, 8, 30)
                others = [by_county[c]["general"][0] for c in picks]
                roles = ["standing"] * 3 + ["council"] * 6
                alliance(
                    f"{short}{MARK}{spec}专科联盟",
                    "specialist",
                    str(spec),
                    "province",
                    _founded(rng, "specialist"),
                    lead,
                    others,
                    roles,
                )
            for k in range(int(rng.integers(1, 3))):
                picks = _pick(rng, pool, 15, 60)
                others = [by_county[c]["general"][0] for c in picks]
                alliance(
                    f"{short}{MARK}远程医疗协作网" + ("" if k == 0 else "（二期）"),
                    "telemedicine",
                    None,
                    "province",
                    # a second phase (二期) comes after the first, at the same pace
                    _founded(rng, "telemedicine") if k == 0 else _date(rng, 2020, LAST_YEAR),
                    top["general"],
                    others,
                )

        other_provinces = [p for p in by_province if p not in NATIONAL_CENTRES]
        for i in range(60):
            centre = NATIONAL_CENTRES[i % len(NATIONAL_CENTRES)]
            if centre not in by_province:
                continue
            spec = SPECIALTIES[int(rng.integers(0, len(SPECIALTIES)))]
            lead_kind = ["general", "university", "maternal_child", "oncology"][i % 4]
            lead = by_province[centre][lead_kind]
            partner_provinces = _pick(rng, other_provinces, 3, 10)
            others = [by_province[p][lead_kind] for p in partner_provinces]
            others += [
                by_city[c][0]
                for c in _pick(rng, by_city, 4, 5)
                if site_county[by_city[c][0]] // 10000 != centre // 10000
            ]
            form = "telemedicine" if i % 5 == 4 else "specialist"
            name = sites.loc[sites["site_id"] == lead, "name"].iloc[0]
            label = "远程医疗协作网" if form == "telemedicine" else f"{spec}跨省专科联盟"
            alliance(
                f"{name}{label}",
                form,
                None if form == "telemedicine" else spec,
                "cross_province",
                _founded(rng, "cross_province"),
                lead,
                others,
                ["standing"] * 2 + ["council"] * 4,
            )

    out = pd.DataFrame(
        alliances,
        columns=[
            "alliance_id",
            "name",
            "form",
            "specialty",
            "scope",
            "model",
            "founded_on",
            "lead_site_id",
        ],
    )
    out["parent_alliance_id"] = None
    out["note"] = None
    out["source"] = SOURCE
    out["simulated"] = True
    mem = pd.DataFrame(members, columns=["alliance_id", "site_id", "role", "joined_on", "left_on"])
    mem["source"] = SOURCE
    mem["simulated"] = True
    return out, mem


def _activities(alliances, members, rng, scale):
    size = members.groupby("alliance_id").size()
    last = pd.Timestamp(AS_OF).to_period("M")
    frames = []
    for form, kinds in ACTIVITY_KINDS.items():
        group = alliances[alliances["form"] == form]
        start = pd.to_datetime(group["founded_on"]).dt.to_period("M")
        start = start.where(
            start > pd.Period(FIRST_ACTIVITY_MONTH, "M"), pd.Period(FIRST_ACTIVITY_MONTH, "M")
        )
        n_months = np.array([(last - s).n + 1 for s in start])
        ids = np.repeat(group["alliance_id"].to_numpy(), n_months)
        offset = np.concatenate([np.arange(k) for k in n_months])
        first = np.repeat(np.array([s.ordinal for s in start]), n_months)
        ordinal = first + offset
        months = pd.PeriodIndex.from_ordinals(ordinal, freq="M").to_timestamp()
        ramp = np.clip(offset / 18, 0.2, 1.0)  # a new alliance takes ~18 months to work fully
        season = 1 - 0.25 * (months.month == 2) - 0.1 * (months.month == 1)
        width = np.sqrt(size.reindex(ids).to_numpy())
        vigour = np.repeat(rng.lognormal(0, 0.5, len(group)), n_months)
        for kind, rate in kinds.items():
            lam = rate * width * ramp * season * vigour * scale
            frames.append(
                pd.DataFrame(
                    {
                        "alliance_id": ids,
                        "month": months.date,
                        "kind": kind,
                        "count": rng.poisson(lam),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out = out[out["count"] > 0].reset_index(drop=True)
    out.insert(3, "from_site_id", None)
    out.insert(4, "to_site_id", None)
    out["simulated"] = True
    return out


def _funding(alliances, rng):
    rows = []
    amounts = {"county_community": 3e6, "city_group": 2e7, "specialist": 5e6, "telemedicine": 1e7}
    for a in alliances.itertuples():
        for year in range(max(a.founded_on.year, 2016), LAST_YEAR + 1):
            if rng.random() < 0.3:
                source = ("central", "provincial", "special_bond", "other")[
                    int(rng.choice(4, p=[0.3, 0.4, 0.1, 0.2]))
                ]
                amount = round(amounts[a.form] * rng.lognormal(0, 0.6), -4)
                rows.append((a.alliance_id, year, source, int(amount)))
    out = pd.DataFrame(rows, columns=["alliance_id", "year", "source", "amount_cny"])
    out["reference"] = SOURCE
    out["simulated"] = True
    return out


def _milestones(alliances, rng):
    rows = []
    for a in alliances.itertuples():
        rows.append((a.alliance_id, a.founded_on, "签约成立", f"{a.name}签约成立（示例数据）"))
        if a.form in ("specialist", "telemedicine") and rng.random() < 0.6:
            year = (
                int(rng.integers(a.founded_on.year + 1, LAST_YEAR + 1))
                if a.founded_on.year < LAST_YEAR
                else LAST_YEAR
            )
            day = dt.date(year, int(rng.integers(3, 12)), int(rng.integers(1, 29)))
            rows.append(
                (
                    a.alliance_id,
                    max(day, a.founded_on),
                    "年度工作会议",
                    "联盟年度工作会议（示例数据）",
                )
            )
    out = pd.DataFrame(rows, columns=["alliance_id", "date", "title", "detail"])
    out["source"] = SOURCE
    out["simulated"] = True
    return out
