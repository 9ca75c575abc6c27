-- The whole figures table, for download from the Data page.
with

final as (
    select * from figures
)

select * from final
