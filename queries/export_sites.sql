-- The whole sites table, for download from the Data page.
with

final as (
    select * from sites
    where county_adcode in (select county_adcode from scope_counties($regions))
)

select * from final
