-- The measure catalogue, for download from the Data page.
with

final as (
    select * from measures order by position
)

select * from final
