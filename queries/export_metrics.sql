-- The whole metrics table, for download from the Data page.
with

final as (
    select * from metrics
)

select * from final
