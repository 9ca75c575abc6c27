-- The whole figures table, for download from the Data page.
with

final as (
    select * from figures
    where alliance_id in (select alliance_id from scope_alliances($regions))
)

select * from final
