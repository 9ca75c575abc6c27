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
    boundary varchar  -- simplified GeoJSON geometry; null for cities
);

create table metrics (
    metric_id varchar primary key,
    name_zh varchar not null,
    name_en varchar not null,
    unit varchar not null,
    direction varchar not null check (direction in ('higher', 'lower', 'monitor')),
    target double,
    level varchar not null check (level in ('county', 'alliance', 'site')),
    definition_zh varchar not null,
    definition_en varchar not null,
    policy varchar not null
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

create table imports (  -- one row per published import of an office's files (python -m dashboard import)
    batch_id varchar primary key,  -- e.g. 20261130-114512.123-330000; the rows' batch_id
    imported_at timestamp not null,
    files varchar not null,  -- JSON list of the file names
    tables varchar not null,  -- JSON object: table replaced -> rows imported
    scope integer not null,  -- 100000: the whole country; else the province adcode replaced
    warnings varchar not null  -- JSON list of the report's warnings (file, row, column, value, rule…)
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
