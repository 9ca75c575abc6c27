-- Year-level membership tables, stored at build (dashboard/precompute.py) so a page reads a
-- year's rows instead of joining every membership with its site on each new selection.
-- A membership counts in year Y when it is active at the end of Y: joined on or before
-- 31 December Y and not left by then, i.e. Y from year(joined_on) to year(left_on) - 1.
-- The years run to the last year any membership date names; every later year is the same as
-- that one, so queries read least($year, last year) (see queries/province_sites.sql).
create or replace temp table member_spans as
with

last_year as (
    select coalesce(greatest(max(year(joined_on)), max(year(left_on))), 0) as year
    from memberships
)

select m.alliance_id, m.site_id, m.role, s.county_adcode, s.simulated,
    unnest(range(year(m.joined_on), coalesce(year(m.left_on), (select year from last_year) + 1)))
        as year
from memberships m
join sites s using (site_id);

-- One row per member institution and year: how many alliances it was in, and led.
delete from site_years;
insert into site_years (site_id, year, county_adcode, alliances, alliances_led, simulated)
select site_id, year, any_value(county_adcode) as county_adcode, count(*) as alliances,
    count(*) filter (role = 'lead') as alliances_led, any_value(simulated) as simulated
from member_spans
group by site_id, year
order by year, county_adcode;

-- One row per alliance, county and year: its members there at the end of that year.
delete from member_years;
insert into member_years (alliance_id, county_adcode, year, members, simulated)
select alliance_id, county_adcode, year, count(*) as members, bool_or(simulated) as simulated
from member_spans
group by alliance_id, county_adcode, year
order by year, county_adcode;

-- One row per alliance and county it has or had members in: all of them, and those not left.
delete from member_counties;
insert into member_counties (alliance_id, county_adcode, members, members_now)
select m.alliance_id, s.county_adcode, count(*) as members,
    count(*) filter (m.left_on is null) as members_now
from memberships m
join sites s using (site_id)
group by m.alliance_id, s.county_adcode
order by s.county_adcode;

drop table member_spans;
