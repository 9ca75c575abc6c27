-- One metric by year: the mean of the province's counties and of all counties of China.
with

catalogue as (
    select target, direction from metrics where metric_id = $metric
),

county_values as (
    select
        m.year,
        m.county_adcode // 10000 * 10000 = $province as in_province,
        m.value,
        m.simulated,
        case
            when cat.target is null then null
            when cat.direction = 'lower' then m.value <= cat.target
            else m.value >= cat.target
        end as on_target
    from county_metrics m
    left join catalogue cat on true
    where m.metric = $metric
        and m.county_adcode in (select county_adcode from scope_counties($regions))
),

areas as (
    select year, 'province' as area, value, simulated, on_target
    from county_values
    where in_province
    union all
    select year, 'china' as area, value, simulated, on_target
    from county_values
),

final as (
    select
        year,
        area,
        round(avg(value), 1) as value,
        count(*) as counties,
        count(*) filter (on_target) as counties_on_target,
        bool_or(simulated) as simulated
    from areas
    group by year, area
    order by area desc, year
)

select * from final
