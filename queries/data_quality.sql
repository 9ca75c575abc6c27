-- Data-quality findings worth a look: each row a finding with how many rows it concerns.
with

latest as (
    select max(year) as year from county_measures
),

with_visit_rate as (
    select adcode
    from indicator_values(
        $regions, ['county_visit_rate'], (select year from latest), (select year from latest),
        'county', 0
    )
),

counties_without_visit_rate as (
    select count(*) as n
    from regions r
    where r.level = 'county' and r.adcode in (select county_adcode from scope_counties($regions))
        and r.adcode not in (select adcode from with_visit_rate)
),

sites_at_county_point as (
    select count(*) as n
    from sites s
    join regions r on r.adcode = s.county_adcode
    where not s.simulated and s.lon = r.lon and s.lat = r.lat
        and s.county_adcode in (select county_adcode from scope_counties($regions))
),

alliances_without_members as (
    select count(*) as n
    from alliances a
    where not exists (
        select 1 from memberships m
        where m.alliance_id = a.alliance_id and m.site_id <> a.lead_site_id
    )
        and a.alliance_id in (select alliance_id from scope_alliances($regions))
),

real_without_activity as (
    select count(*) as n
    from alliances a
    where not a.simulated and a.alliance_id in (select alliance_id from scope_alliances($regions))
        and not exists (select 1 from activities x where x.alliance_id = a.alliance_id)
),

final as (
    select 'counties_without_visit_rate' as finding, n from counties_without_visit_rate
    union all select 'sites_at_county_point', n from sites_at_county_point
    union all select 'alliances_without_members', n from alliances_without_members
    union all select 'real_without_activity', n from real_without_activity
)

select * from final
