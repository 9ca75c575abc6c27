-- The whole alliances table, for download from the Data page.
with

final as (
    select * from alliances
)

select * from final
