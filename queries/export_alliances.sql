-- The whole alliances table, for download from the Data page.
with

final as (
    select * from alliances
    where alliance_id in (select alliance_id from scope_alliances($regions))
)

select * from final
