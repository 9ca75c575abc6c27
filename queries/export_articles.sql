-- The whole articles table, for download from the Data page.
with

final as (
    select * from articles
)

select * from final
