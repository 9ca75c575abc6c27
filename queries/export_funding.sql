-- The whole funding table, for download from the Data page.
with

final as (
    select * from funding
    where alliance_id in (select alliance_id from scope_alliances($regions))
)

select * from final
