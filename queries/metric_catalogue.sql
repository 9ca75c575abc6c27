-- The metric catalogue: names, unit, direction, target, definition and policy source.
with

final as (
    select * from metrics order by level, metric_id
)

select * from final
