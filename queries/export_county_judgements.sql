-- The whole county_judgements table, for download from the Data page.
with

final as (
    select * from county_judgements
    where county_adcode in (select county_adcode from scope_counties($regions))
)

select * from final
