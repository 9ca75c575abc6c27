-- One indicator in one year by province: the sum of each term over the province's counties,
-- then the formula (indicator_values); never the mean of county rates.
with

values_ as (
    select * from indicator_values($regions, [$metric], $year, $year, 'province', 0)
),

final as (
    select
        v.adcode,
        r.name,
        r.name_en,
        v.value,
        v.weighted,
        v.n1,
        v.d1,
        v.counties,
        v.counties_on_target,
        v.simulated
    from values_ v
    join regions r on r.adcode = v.adcode
    order by v.adcode
)

select * from final
