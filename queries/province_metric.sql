-- One metric in one year by province: the mean of county rates, or the sum of county counts.
with

catalogue as (
    select metric_id, unit, target, direction from metrics where metric_id = $metric
),

county_values as (
    select c.county_adcode // 10000 * 10000 as adcode, c.value, c.simulated
    from county_metrics c
    where c.metric = $metric and c.year = $year
        and c.county_adcode in (select county_adcode from scope_counties($regions))
),

by_province as (
    select
        adcode,
        case when (select unit from catalogue) = '%' then avg(value) else sum(value) end as value,
        count(*) as counties,
        count(*) filter (value >= (select target from catalogue)) as counties_on_target,
        bool_or(simulated) as simulated
    from county_values
    group by adcode
),

final as (
    select p.adcode, r.name, r.name_en, round(p.value, 1) as value, p.counties,
        p.counties_on_target, p.simulated
    from by_province p
    join regions r on r.adcode = p.adcode
    order by p.adcode
)

select * from final
