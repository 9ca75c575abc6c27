-- One metric in one year for every unit of a level ('county', 'city' or 'province'), in one
-- province or all of China ($province = 0). A city or province value is the mean of its
-- counties for a % metric and their sum for a count.
with

catalogue as (
    select unit, target, direction from metrics where metric_id = $metric
),

counties as (
    select
        c.adcode as county_adcode,
        c.province_adcode,
        case $level
            when 'county' then c.adcode
            -- a county directly under its province (省直辖) counts with its province
            when 'city' then coalesce(city.adcode, c.province_adcode)
            when 'province' then c.province_adcode
        end as unit_adcode
    from regions c
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and ($province = 0 or c.province_adcode = $province)
        and c.adcode in (select county_adcode from scope_counties($regions))
),

county_values as (
    select k.unit_adcode, k.province_adcode, m.value, m.simulated
    from county_metrics m
    join counties k on k.county_adcode = m.county_adcode
    where m.metric = $metric and m.year = $year and k.unit_adcode is not null
),

by_unit as (
    select
        unit_adcode as adcode,
        any_value(province_adcode) as province_adcode,
        round(case when (select unit from catalogue) = '%' then avg(value) else sum(value) end, 1)
            as value,
        count(*) as counties,
        bool_or(simulated) as simulated
    from county_values
    group by unit_adcode
),

final as (
    select
        b.adcode,
        r.name,
        r.name_en,
        p.name as province_name,
        p.name_en as province_name_en,
        b.value,
        b.counties,
        case
            when cat.target is null then null
            when cat.direction = 'lower' then b.value <= cat.target
            else b.value >= cat.target
        end as on_target,
        b.simulated
    from by_unit b
    join regions r on r.adcode = b.adcode
    join regions p on p.adcode = b.province_adcode
    left join catalogue cat on true
    order by b.value desc, b.adcode
)

select * from final
