-- One metric by year over the units of a level ('county', 'city' or 'province') in one province
-- or all of China ($province = 0): their mean and how many meet the target (units as in
-- metric_values: a city or province is the mean of its counties for %, the sum for counts).
with

catalogue as (
    select unit, target, direction from metrics where metric_id = $metric
),

counties as (
    select
        c.adcode as county_adcode,
        case $level
            when 'county' then c.adcode
            when 'city' then coalesce(city.adcode, c.province_adcode)
            when 'province' then c.province_adcode
        end as unit_adcode
    from regions c
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and ($province = 0 or c.province_adcode = $province)
        and c.adcode in (select county_adcode from scope_counties($regions))
),

by_unit as (
    select
        m.year,
        k.unit_adcode,
        round(case when (select unit from catalogue) = '%' then avg(m.value) else sum(m.value) end,
            1) as value,
        bool_or(m.simulated) as simulated
    from county_metrics m
    join counties k on k.county_adcode = m.county_adcode
    where m.metric = $metric and k.unit_adcode is not null
    group by m.year, k.unit_adcode
),

judged as (
    select
        u.*,
        case
            when cat.target is null then null
            when cat.direction = 'lower' then u.value <= cat.target
            else u.value >= cat.target
        end as on_target
    from by_unit u
    left join catalogue cat on true
),

final as (
    select
        year,
        round(avg(value), 1) as value,
        count(*) as units,
        count(*) filter (on_target) as units_on_target,
        round(100.0 * count(*) filter (on_target) / count(*), 1) as pct_on_target,
        bool_or(simulated) as simulated
    from judged
    group by year
    order by year
)

select * from final
