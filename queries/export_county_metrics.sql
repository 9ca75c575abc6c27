-- The whole county_metrics table, for download from the Data page.
with

final as (
    select * from county_metrics
    where county_adcode in (select county_adcode from scope_counties($regions))
)

select * from final
