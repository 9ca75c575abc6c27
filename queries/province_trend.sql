-- One indicator by year: the province as a whole and all of China (within the session's
-- regions), each Σ terms over its counties then the formula; and how many counties meet the
-- target.
with

areas as (
    select 'province' as area, *
    from indicator_values($regions, [$metric], 1900, 2100, 'province', $province)
    union all
    select 'china' as area, *
    from indicator_values($regions, [$metric], 1900, 2100, 'nation', 0)
),

final as (
    select
        year,
        area,
        value,
        weighted,
        counties,
        counties_on_target,
        simulated
    from areas
    order by area desc, year
)

select * from final
