-- The whole county_metrics table, for download from the Data page.
with

final as (
    select * from county_metrics
)

select * from final
