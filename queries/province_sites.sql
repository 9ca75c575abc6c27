-- Member institutions of grade 2 and above in one province (or one of its cities: $city, 0 for
-- all) at the end of a year, for the map. How many members there are, of every grade, is
-- queries/member_institutions.sql.
with

-- site_years: one row per member institution and year (stored at build, dashboard/precompute.sql);
-- a year after the last membership date reads as that last year
active as (
    select site_id, county_adcode, alliances, alliances_led
    from site_years
    where year = least($year, (select max(year) from site_years))
        and county_adcode // 10000 * 10000 = $province
        and ($city = 0
            or county_adcode in (select adcode from regions where parent_adcode = $city))
        and county_adcode in (select county_adcode from scope_counties($regions))
),

members as (
    select s.site_id, s.name, s.kind, s.tier, s.ownership, a.county_adcode, s.lon, s.lat,
        s.simulated, a.alliances, a.alliances_led
    from active a
    join sites s on s.site_id = a.site_id
),

final as (
    select c.*, r.name as county_name
    from members c
    join regions r on r.adcode = c.county_adcode
    -- ~1,000+ members in a large province: the map shows hospitals of grade 2 and above only
    where c.tier in ('3A', '3', '2')
    order by case c.tier when '3A' then 1 when '3' then 2 else 3 end, c.site_id
)

select * from final
