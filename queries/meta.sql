-- Facts about the build: when, as of which date, seed and scale.
with

final as (
    select key, value from meta order by key
)

select * from final
