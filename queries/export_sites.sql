-- The whole sites table, for download from the Data page.
with

final as (
    select * from sites
)

select * from final
