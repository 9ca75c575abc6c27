-- The whole funding table, for download from the Data page.
with

final as (
    select * from funding
)

select * from final
