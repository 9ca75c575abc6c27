-- The news articles the real alliances come from, with how many alliances each one gives.
with

counted as (
    select source as article_id, count(*) as alliances
    from alliances
    where not simulated and alliance_id in (select alliance_id from scope_alliances($regions))
    group by source
),

final as (
    select a.article_id, a.title, a.publisher, a.published_on,
        coalesce(c.alliances, 0) as alliances
    from articles a
    left join counted c using (article_id)
    where a.article_id in (
        select source from alliances
        where alliance_id in (select alliance_id from scope_alliances($regions))
        union select source from sites where site_id in (select site_id from scope_sites($regions))
    )
    order by a.article_id
)

select * from final
