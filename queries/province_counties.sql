-- The counties of one province with one metric in one year: value, gap to target, 5-year change.
with

catalogue as (
    select target, direction from metrics where metric_id = $metric
),

counties as (
    select c.adcode, c.name, coalesce(city.name, p.name) as city_name, city.adcode as city_adcode
    from regions c
    join regions p on p.adcode = c.province_adcode
    -- a county directly under its province (省直辖) has no city: its province stands in
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and c.province_adcode = $province
        and c.adcode in (select county_adcode from scope_counties($regions))
),

this_year as (
    select county_adcode as adcode, round(value, 1) as value, simulated
    from county_metrics
    where metric = $metric and year = $year
),

five_years_before as (
    select county_adcode as adcode, round(value, 1) as value
    from county_metrics
    where metric = $metric and year = $year - 5
),

compared as (
    select
        c.adcode,
        c.name,
        c.city_name,
        c.city_adcode,
        n.value,
        round(n.value - b.value, 1) as change_5y,
        -- how far the county still has to go: positive below target, zero or less on target
        case
            when cat.target is null then null
            when cat.direction = 'lower' then round(n.value - cat.target, 1)
            else round(cat.target - n.value, 1)
        end as gap,
        coalesce(n.simulated, false) as simulated
    from counties c
    left join this_year n on n.adcode = c.adcode
    left join five_years_before b on b.adcode = c.adcode
    left join catalogue cat on true
),

final as (
    select *, gap <= 0 as on_target
    from compared
    order by adcode
)

select * from final
