-- One indicator by year over the units of a level ('county', 'city' or 'province') in one
-- province or all of China ($province = 0): the value of the whole area (Σ terms over all its
-- counties, then the formula; not a mean of the units' values), and how many units meet the
-- target.
with

catalogue as (
    select target, direction, kind from indicators where indicator_id = $metric
),

whole as (
    select *
    from indicator_values(
        $regions, [$metric], 1900, 2100, case when $province = 0 then 'nation' else 'province' end,
        $province
    )
),

units as (
    select
        v.year,
        case
            when cat.kind = 'qualitative' and $level = 'county' then v.value = 100
            when cat.target is null or cat.direction = 'monitor' then null
            when cat.direction = 'lower' then v.value <= cat.target
            else v.value >= cat.target
        end as on_target
    from indicator_values($regions, [$metric], 1900, 2100, $level, $province) v
    left join catalogue cat on true
),

by_year as (
    select
        year,
        count(*) as units,
        count(*) filter (where on_target) as units_on_target
    from units
    group by year
),

final as (
    select
        w.year,
        w.value,
        w.weighted,
        b.units,
        b.units_on_target,
        round(100.0 * b.units_on_target / b.units, 1) as pct_on_target,
        w.simulated
    from whole w
    join by_year b using (year)
    order by w.year
)

select * from final
