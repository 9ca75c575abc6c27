-- The whole articles table, for download from the Data page.
with

final as (
    select * from articles
    where article_id in (
        select source from alliances
        where alliance_id in (select alliance_id from scope_alliances($regions))
        union select source from sites where site_id in (select site_id from scope_sites($regions))
    )
)

select * from final
