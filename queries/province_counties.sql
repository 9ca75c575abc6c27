-- The counties of one province with one indicator in one year: value, gap to the target, change
-- on the year before and on five years before, whether a 市辖区, and whether it is weighted (from
-- measures) or a finished rate.
with

catalogue as (
    select target, direction, kind, unit from indicators where indicator_id = $metric
),

counties as (
    select c.adcode, c.name, c.district, coalesce(city.name, p.name) as city_name,
        city.adcode as city_adcode
    from regions c
    join regions p on p.adcode = c.province_adcode
    -- a county directly under its province (省直辖) has no city: its province stands in
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and c.province_adcode = $province
        and c.adcode in (select county_adcode from scope_counties($regions))
),

values_ as (
    select * from indicator_values($regions, [$metric], $year - 5, $year, 'county', $province)
),

this_year as (
    select * from values_ where year = $year
),

five_years_before as (
    select adcode, value from values_ where year = $year - 5
),

compared as (
    select
        c.adcode,
        c.name,
        c.city_name,
        c.city_adcode,
        c.district,
        n.value,
        n.weighted,
        indicator_round(cat.unit, n.value - n.previous_value) as change_1y,
        indicator_round(cat.unit, n.value - b.value) as change_5y,
        -- how far the county still has to go: positive short of the target, zero or less on it
        indicator_round(cat.unit, case
            when cat.target is null or cat.direction = 'monitor' or n.value is null then null
            when cat.direction = 'lower' then n.value - cat.target
            else cat.target - n.value
        end) as gap,
        case
            when cat.kind = 'qualitative' then n.value = 100
            when cat.target is null or cat.direction = 'monitor' then null
            when cat.direction = 'lower' then n.value <= cat.target
            else n.value >= cat.target
        end as on_target,
        coalesce(n.simulated, false) as simulated
    from counties c
    left join this_year n on n.adcode = c.adcode
    left join five_years_before b on b.adcode = c.adcode
    left join catalogue cat on true
),

final as (
    select * from compared order by adcode
)

select * from final
