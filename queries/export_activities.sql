-- The whole activities table, for download from the Data page.
with

final as (
    select * from activities
    where alliance_id in (select alliance_id from scope_alliances($regions))
)

select * from final
