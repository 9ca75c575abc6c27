-- Simplified boundaries of every unit at one level ('province' or 'county').
with

units as (
    select adcode, boundary
    from regions
    where level = $level and boundary is not null
),

final as (
    select * from units order by adcode
)

select * from final
