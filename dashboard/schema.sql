-- The database the app reads. Codes are stored in English; labels come from dashboard/i18n.py.
create table meta (key varchar primary key, value varchar not null);

create table regions (
    adcode integer primary key,
    name varchar not null,
    name_en varchar,
    level varchar not null check (level in ('province', 'city', 'county')),
    parent_adcode integer,
    province_adcode integer not null,
    lon double,
    lat double,
    boundary varchar,  -- simplified GeoJSON geometry; null for cities
    -- a 市辖区 (urban district), not 县域: counties, county-level cities, 旗, 林区 and 特区 are
    district boolean not null default false
);

-- ---- The catalogue (data/catalogue/, versioned and sourced; see DESIGN.md §5) -----------------
-- Counties report measures (additive counts and amounts); indicators are formulas over them.
create table indicator_sets (
    set_id varchar primary key,
    position integer not null,
    name_zh varchar not null,
    name_en varchar not null,
    document varchar not null,
    issued integer,
    official_formulas boolean not null,  -- false: the formulas used are ours (暂行口径)
    source varchar not null,
    note_zh varchar,
    note_en varchar
);

create table indicator_areas (  -- the 5 areas of the 2024 set, then ours
    area varchar primary key,
    position integer not null,
    name_zh varchar not null,
    name_en varchar not null,
    purpose_zh varchar,
    purpose_en varchar
);

create table measures (
    measure_id varchar primary key,
    position integer not null,
    name_zh varchar not null,
    name_en varchar not null,
    unit varchar not null,  -- visits, stays, people, cny, count
    stock boolean not null,  -- a level at year end (population, staff); else a flow over the year
    definition_zh varchar not null,
    definition_en varchar not null
);

-- kind: ratio (sum n1 / sum d1 * scale), per_10k (the same, scale 10000), level_growth (a ratio
-- shown with its change on the year before), per_capita_ratio ((sum n1 / sum d1) / (sum n2 /
-- sum d2)), count (sum n1), qualitative (met / not met, from county_judgements).
create table indicators (
    indicator_id varchar primary key,
    set_id varchar not null,
    area varchar not null,
    number integer not null,
    name_zh varchar not null,
    name_en varchar not null,
    short_zh varchar not null,
    short_en varchar not null,
    kind varchar not null check (kind in ('ratio', 'per_10k', 'level_growth', 'per_capita_ratio', 'count', 'qualitative')),
    numerator varchar,
    denominator varchar,
    numerator2 varchar,
    denominator2 varchar,
    scale double not null,
    unit varchar not null,
    direction varchar not null check (direction in ('higher', 'lower', 'monitor')),
    target double,
    target_source varchar,
    provisional boolean not null,  -- the formula is ours, not the official one: 暂行口径
    formula_zh varchar not null,
    formula_en varchar not null,
    note_zh varchar,
    note_en varchar
);

create table reference_values (  -- published values drawn as reference lines, with their source
    reference_id varchar primary key,
    indicator_id varchar,
    adcode integer not null,
    year integer not null,
    value double not null,
    label_zh varchar not null,
    label_en varchar not null,
    source varchar not null
);

create table articles (
    article_id varchar primary key,
    title varchar not null,
    publisher varchar not null,
    published_on date not null,
    file varchar
);

create table sites (
    site_id varchar primary key,
    name varchar not null,
    -- government: a 卫健委 or a 政府 that is a party to a record; its county_adcode is the region
    -- it governs (a county, city or province), and it sits at that region's centre.
    kind varchar not null check (kind in ('general', 'maternal_child', 'tcm', 'specialist', 'primary', 'other', 'government')),
    tier varchar not null check (tier in ('3A', '3', '2', '1', 'unrated')),
    ownership varchar not null check (ownership in ('public', 'private')),
    county_adcode integer not null,
    lon double not null,
    lat double not null,
    beds integer,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table alliances (
    alliance_id varchar primary key,
    name varchar not null,
    -- The four forms of the 2017 guideline, then the other kinds of cooperation the articles tell:
    -- 院府合作, 院院合作/对口帮扶, 区域医疗中心 (项目), 改革示范区, an institution's own partner
    -- network (协作单位), and an area's programme of cooperation (a city with others).
    form varchar not null check (form in ('city_group', 'county_community', 'specialist', 'telemedicine', 'hospital_government', 'hospital_pair', 'regional_centre', 'reform_zone', 'partner_network', 'area_programme')),
    specialty varchar,
    scope varchar not null check (scope in ('cross_province', 'province', 'city', 'county')),
    model varchar,
    founded_on date not null,
    lead_site_id varchar not null,
    parent_alliance_id varchar,
    note varchar,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table memberships (
    alliance_id varchar not null,
    site_id varchar not null,
    -- party: a party to an agreement (合作方), e.g. the 卫健委 and the hospital of a 院府合作
    role varchar not null check (role in ('lead', 'chair', 'standing', 'council', 'member', 'party')),
    joined_on date not null,
    left_on date,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (alliance_id, site_id)
);

-- Finished rates without their denominators (what an office may have instead of measures;
-- metric = an indicator id). Aggregates over them are marked 未加权 (unweighted).
create table county_metrics (
    county_adcode integer not null,
    year integer not null,
    metric varchar not null,
    value double not null,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (county_adcode, year, metric)
);

-- Monthly county metrics (the 10x benchmark data set); then county_metrics is a view over them.
create table county_metrics_monthly (
    county_adcode integer not null,
    month date not null,
    metric varchar not null,
    value double not null,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (county_adcode, month, metric)
);

-- What counties report: additive measures per county and year (the monitoring set's inputs).
create table county_measures (
    county_adcode integer not null,
    year integer not null,
    measure varchar not null,
    value double not null check (value >= 0),
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (county_adcode, year, measure)
);

-- Monthly measures (the 10x benchmark data set); the yearly table is filled from them at build.
create table county_measures_monthly (
    county_adcode integer not null,
    month date not null,
    measure varchar not null,
    value double not null check (value >= 0),
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (county_adcode, month, measure)
);

-- The qualitative indicators (紧密型): met or not, with the evidence, when and by whom judged.
create table county_judgements (
    county_adcode integer not null,
    year integer not null,
    indicator_id varchar not null,
    met boolean not null,
    evidence varchar,
    judged_on date,
    judged_by varchar,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar,  -- the import that published the row (imports.batch_id); null unless office
    primary key (county_adcode, year, indicator_id)
);

create table activities (
    alliance_id varchar not null,
    month date not null,  -- first day of the month
    kind varchar not null check (kind in ('referral_up', 'referral_down', 'remote_consult', 'expert_days', 'training', 'new_technique', 'surgery')),
    from_site_id varchar,
    to_site_id varchar,
    count bigint not null check (count >= 0),
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table funding (
    alliance_id varchar not null,
    year integer not null,
    source varchar not null check (source in ('central', 'provincial', 'special_bond', 'other')),
    amount_cny bigint not null check (amount_cny >= 0),
    reference varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table milestones (
    alliance_id varchar not null,
    date date not null,
    title varchar not null,
    detail varchar,
    source varchar not null,
    simulated boolean not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table figures (
    alliance_id varchar not null,
    figure varchar not null,
    value double not null,
    qualifier varchar,
    unit varchar,
    as_of date not null,
    label_zh varchar not null,
    label_en varchar not null,
    source varchar not null,
    origin varchar not null check (origin in ('article', 'demo', 'office')),  -- see DESIGN.md §11
    batch_id varchar  -- the import that published the row (imports.batch_id); null unless office
);

create table map_lines (
    name varchar primary key,  -- 'dashline': the South China Sea dash line of the national map
    geojson varchar not null
);

-- ---- Derived from the memberships at every build and import (dashboard/precompute.sql) ---------
-- Never imported or copied; made again from the rows beside them each time a file is written.
create table site_years (  -- one row per member institution and year it was a member at year end
    site_id varchar not null,
    year integer not null,
    county_adcode integer not null,
    alliances integer not null,  -- alliances it was a member of at the end of the year
    alliances_led integer not null,  -- of which it led (role 'lead')
    simulated boolean not null
);

create table member_years (  -- one row per alliance, county and year: members there at year end
    alliance_id varchar not null,
    county_adcode integer not null,
    year integer not null,
    members integer not null,
    simulated boolean not null
);

create table member_counties (  -- one row per alliance and county it has or had members in
    alliance_id varchar not null,
    county_adcode integer not null,
    members integer not null,  -- every membership, present or past
    members_now integer not null  -- those not left
);

-- Who may see what (dashboard/access.py): region_scope() lists every region code an access list
-- may name (100000, a province, a city, a county) with the counties inside it; the named queries
-- filter on the macros below with the session's regions, e.g.
--   where county_adcode in (select county_adcode from scope_counties($regions))
-- Macros, not tables: a database written by the importer has them too, and they can never
-- disagree with the regions (and member_counties, made again from the memberships with every
-- file) they read. They may list a code twice (union all: no time spent removing duplicates);
-- every use is an `in (select …)`, which does not mind.
create macro region_scope() as table
    select adcode, adcode as county_adcode from regions where level = 'county'
    union all
    select parent_adcode, adcode from regions where level = 'county' and parent_adcode is not null
    union all
    select province_adcode, adcode from regions where level = 'county'
    union all
    select 100000, adcode from regions where level = 'county'
    -- A government party's region may be a city or a province (its sites.county_adcode, e.g.
    -- 蚌埠市卫健委 at 340300): that region, its province and the country hold it.
    union all
    select adcode, adcode from regions where level in ('city', 'province')
    union all
    select province_adcode, adcode from regions where level = 'city'
    union all
    select 100000, adcode from regions where level in ('city', 'province');

create macro scope_counties(regions) as table
    select county_adcode from region_scope() where list_contains(regions, adcode);

create macro scope_sites(regions) as table
    select site_id from sites
    where county_adcode in (select county_adcode from scope_counties(regions));

-- An alliance is in scope when its lead or any member, present or past, is. The whole country
-- takes the short way (a sixth of the time on the national data); members are read by county
-- from member_counties (a third of the time of joining every membership with its site at 10x).
create macro scope_alliances(regions) as table
    select alliance_id from alliances where list_contains(regions, 100000)
    union all
    select alliance_id from member_counties
    where not list_contains(regions, 100000)
        and county_adcode in (select county_adcode from scope_counties(regions))
    union all
    select a.alliance_id from alliances a join sites s on s.site_id = a.lead_site_id
    where not list_contains(regions, 100000)
        and s.county_adcode in (select county_adcode from scope_counties(regions));

-- ---- Indicators from measures: the one formula (DESIGN.md §5, §6) ----------------------------
-- Every page, export, kiosk slide and briefing reads indicator values through these two macros.
-- Aggregates sum each term over the units' counties first and divide after; never a mean of
-- rates. A county counts for an indicator only when it reported every term of it.
create macro indicator_formula(kind, scale, n1, d1, n2, d2) as
    case
        when kind = 'count' then n1
        when kind = 'per_capita_ratio' then (n1 / nullif(d1, 0)) / nullif(n2 / nullif(d2, 0), 0) * scale
        else n1 / nullif(d1, 0) * scale
    end;

-- How an indicator's values are shown and compared with the target: % to 0.1, a ratio to 0.01.
create macro indicator_round(unit, value) as
    round(value, case unit when '%' then 1 when 'per_100k' then 1 when 'per_10k' then 2
        when 'ratio' then 2 else 0 end);

-- One row per indicator, unit and year for the units of a level ('county', 'city', 'province'
-- or 'nation') inside province (0: all of China) and the session's regions, years year0..year1:
--   value        the indicator: Σ terms then the formula; where some county has only a finished
--                rate (county_metrics, no denominator), the plain mean of the county values,
--                and weighted = false (shown as 未加权（缺分母）)
--   n1, d1, n2, d2  the summed terms (null when unweighted)
--   counties     counties with a value; counties_weighted of them from measures
--   counties_on_target  counties whose own value meets the target
--   previous     the value of the year before over the same counties (for change and growth)
create macro indicator_values(regions, indicator_ids, year0, year1, level, province) as table
with
ind as (
    select * from indicators where list_contains(indicator_ids, indicator_id)
),
counties as (
    select
        c.adcode as county_adcode,
        case level
            when 'county' then c.adcode
            -- a county directly under its province (省直辖) counts with its province
            when 'city' then coalesce(city.adcode, c.province_adcode)
            when 'province' then c.province_adcode
            else 100000
        end as unit_adcode
    from regions c
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and (province = 0 or c.province_adcode = province)
        and c.adcode in (select county_adcode from scope_counties(regions))
),
terms as (
    select indicator_id, 'n1' as term, numerator as measure from ind where numerator is not null
    union all
    select indicator_id, 'd1', denominator from ind where denominator is not null
    union all
    select indicator_id, 'n2', numerator2 from ind where numerator2 is not null
    union all
    select indicator_id, 'd2', denominator2 from ind where denominator2 is not null
),
reported as (  -- each indicator's terms per county and year (the year before year0 too)
    select
        t.indicator_id,
        m.county_adcode,
        m.year,
        max(m.value) filter (where t.term = 'n1') as n1,
        max(m.value) filter (where t.term = 'd1') as d1,
        max(m.value) filter (where t.term = 'n2') as n2,
        max(m.value) filter (where t.term = 'd2') as d2,
        bool_or(m.simulated) as simulated
    from county_measures m
    join terms t on t.measure = m.measure
    where m.year between year0 - 1 and year1
        and m.county_adcode in (select county_adcode from counties)
    group by t.indicator_id, m.county_adcode, m.year
),
complete as (  -- every term the indicator needs, denominators above zero
    select r.*
    from reported r
    join ind i using (indicator_id)
    where r.n1 is not null
        and (i.denominator is null or r.d1 > 0)
        and (i.numerator2 is null or r.n2 is not null)
        and (i.denominator2 is null or r.d2 > 0)
),
county_rows as (
    select indicator_id, county_adcode, year, n1, d1, n2, d2, true as weighted, simulated
    from complete
    union all
    -- finished rates where the county reported no measures for the indicator
    select f.metric, f.county_adcode, f.year, f.value, null, null, null,
        i.kind = 'count', f.simulated
    from county_metrics f
    join ind i on i.indicator_id = f.metric and i.kind <> 'qualitative'
    where f.year between year0 - 1 and year1
        and f.county_adcode in (select county_adcode from counties)
        and not exists (
            select 1 from complete c
            where c.indicator_id = f.metric and c.county_adcode = f.county_adcode
                and c.year = f.year
        )
    union all
    -- the qualitative indicators: a judged county counts 1 of 1 when met
    select j.indicator_id, j.county_adcode, j.year, j.met::integer, 1, null, null, true,
        j.simulated
    from county_judgements j
    join ind i on i.indicator_id = j.indicator_id and i.kind = 'qualitative'
    where j.year between year0 - 1 and year1
        and j.county_adcode in (select county_adcode from counties)
),
county_values as (
    select
        r.*,
        k.unit_adcode,
        indicator_round(i.unit, case
            when r.d1 is null and i.kind not in ('count') then r.n1  -- a finished rate
            else indicator_formula(i.kind, i.scale, r.n1, r.d1, r.n2, r.d2)
        end) as value
    from county_rows r
    join ind i using (indicator_id)
    join counties k using (county_adcode)
),
judged as (
    select
        v.*,
        case
            when i.kind = 'qualitative' then v.n1 = 1
            when i.target is null or i.direction = 'monitor' then null
            when i.direction = 'lower' then v.value <= i.target
            else v.value >= i.target
        end as on_target,
        p.value as previous_value,
        p.n1 as p1, p.d1 as pd1, p.n2 as p2, p.d2 as pd2, p.weighted as previous_weighted
    from county_values v
    join ind i using (indicator_id)
    left join county_values p
        on p.indicator_id = v.indicator_id and p.county_adcode = v.county_adcode
        and p.year = v.year - 1
),
units as (
    select
        indicator_id,
        unit_adcode as adcode,
        year,
        sum(n1) as n1,
        sum(d1) as d1,
        sum(n2) as n2,
        sum(d2) as d2,
        avg(value) as mean_value,
        count(*) as counties,
        count(*) filter (where weighted) as counties_weighted,
        count(*) filter (where on_target) as counties_on_target,
        -- the year before, over the counties that reported both years
        sum(p1) filter (where previous_value is not null) as p1,
        sum(pd1) filter (where previous_value is not null) as pd1,
        sum(p2) filter (where previous_value is not null) as p2,
        sum(pd2) filter (where previous_value is not null) as pd2,
        sum(n1) filter (where previous_value is not null) as c1,
        sum(d1) filter (where previous_value is not null) as cd1,
        sum(n2) filter (where previous_value is not null) as c2,
        sum(d2) filter (where previous_value is not null) as cd2,
        avg(previous_value) filter (where previous_value is not null) as previous_mean,
        avg(value) filter (where previous_value is not null) as paired_mean,
        bool_and(previous_weighted) filter (where previous_value is not null) as previous_weighted,
        bool_or(simulated) as simulated
    from judged
    group by indicator_id, unit_adcode, year
),
final as (
    select
        u.indicator_id,
        u.adcode,
        u.year,
        indicator_round(i.unit, case
            when u.counties_weighted = u.counties
                then indicator_formula(i.kind, i.scale, u.n1, u.d1, u.n2, u.d2)
            else u.mean_value
        end) as value,
        u.counties_weighted = u.counties as weighted,
        case when u.counties_weighted = u.counties then u.n1 end as n1,
        case when u.counties_weighted = u.counties then u.d1 end as d1,
        case when u.counties_weighted = u.counties then u.n2 end as n2,
        case when u.counties_weighted = u.counties then u.d2 end as d2,
        u.counties,
        u.counties_weighted,
        u.counties_on_target,
        -- this year and the year before over the same counties: change = paired - previous
        indicator_round(i.unit, case
            when u.counties_weighted = u.counties and u.previous_weighted
                then indicator_formula(i.kind, i.scale, u.c1, u.cd1, u.c2, u.cd2)
            else u.paired_mean
        end) as paired_value,
        indicator_round(i.unit, case
            when u.counties_weighted = u.counties and u.previous_weighted
                then indicator_formula(i.kind, i.scale, u.p1, u.pd1, u.p2, u.pd2)
            else u.previous_mean
        end) as previous_value,
        u.simulated
    from units u
    join ind i using (indicator_id)
    where u.year between year0 and year1
)
select * from final;

create table imports (  -- one row per published import of an office's files (python -m dashboard import)
    batch_id varchar primary key,  -- e.g. 20261130-114512.123-330000; the rows' batch_id
    imported_at timestamp not null,
    files varchar not null,  -- JSON list of the file names
    tables varchar not null,  -- JSON object: table replaced -> rows imported
    scope integer not null,  -- 100000: the whole country; else the province adcode replaced
    warnings varchar not null,  -- JSON list of the report's warnings (file, row, column, value, rule…)
    period integer,  -- the declared period (a year), if any
    replace boolean,  -- --replace: rows of the loaded tables within the declared scope deleted
    cleared varchar,  -- JSON list of the deletions (dashboard/importer/plan.py), re-applied by build
    changes varchar  -- JSON: rows added, changed, deleted per table, province and period
);

-- ---- The articles' alliances as the articles tell them (data/real/, built in) ----------------
-- How exact a date is: 'day', 'month', 'year', or 'by' (on or before it: the article's date
-- stands in for a date the article does not give). NULL reads as 'day'.
-- (DuckDB takes no CHECK on an added column: tests/test_real_data.py checks the codes.)
alter table alliances add column founded_precision varchar;
alter table milestones add column date_precision varchar;
alter table memberships add column joined_precision varchar;  -- NULL: the founding's, or 'day'
-- The article's words that make the record this kind of cooperation (its form).
alter table alliances add column form_basis varchar;
-- The article's sentence a stated figure or an amount comes from (its source note).
alter table figures add column quote varchar;
alter table funding add column quote varchar;

create table alliance_tags (  -- cooperation forms, platforms, shares, workstations… as tags
    alliance_id varchar not null,
    kind varchar not null check (kind in ('form', 'platform', 'share', 'transfer', 'workstation', 'vertical', 'mechanism')),
    tag_zh varchar not null,
    tag_en varchar not null,
    source varchar not null
);

create table alliance_tiers (  -- the layers of an alliance's model, e.g. Lishui's X+1+9+X
    alliance_id varchar not null,
    tier varchar not null,
    position integer not null,
    name_zh varchar not null,
    name_en varchar not null,
    stated_count integer,
    detail_zh varchar,
    detail_en varchar,
    source varchar not null,
    primary key (alliance_id, tier)
);

create table member_tiers (  -- which layer each member sits in
    alliance_id varchar not null,
    site_id varchar not null,
    tier varchar not null,
    source varchar not null,
    primary key (alliance_id, site_id)
);

create table alliance_areas (  -- the places an alliance covers (province, city or county)
    alliance_id varchar not null,
    adcode integer not null,
    basis varchar not null check (basis in ('stated', 'inferred')),
    note_zh varchar,
    note_en varchar,
    source varchar not null,
    primary key (alliance_id, adcode)
);

create table alliance_links (  -- related records, read both ways
    alliance_id varchar not null,
    related_id varchar not null,
    relation varchar not null check (relation in ('same_lead', 'same_programme', 'parallel')),
    note_zh varchar,
    note_en varchar,
    source varchar not null,
    primary key (alliance_id, related_id)
);
