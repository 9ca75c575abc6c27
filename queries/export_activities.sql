-- The whole activities table, for download from the Data page.
with

final as (
    select * from activities
)

select * from final
