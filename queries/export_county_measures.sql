-- The whole county_measures table, for download from the Data page.
with

final as (
    select * from county_measures
    where county_adcode in (select county_adcode from scope_counties($regions))
)

select * from final
