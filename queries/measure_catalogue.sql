-- The measures counties report: names, unit, whether a level at year end (stock) or a flow.
with

final as (
    select * from measures order by position
)

select * from final
