-- Member institutions of grade 2 and above in one province (or one of its cities: $city, 0 for
-- all) at the end of a year, for the map; member_sites counts the members of every grade.
with

active as (
    select site_id, alliance_id, role
    from memberships
    where joined_on <= make_date($year, 12, 31)
        and (left_on is null or left_on > make_date($year, 12, 31))
),

members as (
    select
        s.site_id,
        any_value(s.name) as name,
        any_value(s.kind) as kind,
        any_value(s.tier) as tier,
        any_value(s.ownership) as ownership,
        any_value(s.county_adcode) as county_adcode,
        any_value(s.lon) as lon,
        any_value(s.lat) as lat,
        any_value(s.simulated) as simulated,
        count(distinct a.alliance_id) as alliances,
        count(distinct a.alliance_id) filter (a.role = 'lead') as alliances_led
    from sites s
    join active a on a.site_id = s.site_id
    where s.county_adcode // 10000 * 10000 = $province
        and ($city = 0
            or s.county_adcode in (select adcode from regions where parent_adcode = $city))
        and s.county_adcode in (select county_adcode from scope_counties($regions))
    group by s.site_id
),

counted as (
    select *, count(*) over () as member_sites
    from members
),

final as (
    select c.*, r.name as county_name
    from counted c
    join regions r on r.adcode = c.county_adcode
    -- ~1,000+ members in a large province: the map shows hospitals of grade 2 and above only
    where c.tier in ('3A', '3', '2')
    order by case c.tier when '3A' then 1 when '3' then 2 else 3 end, c.site_id
)

select * from final
