-- The news articles the real alliances come from, with how many alliances each one gives.
with

counted as (
    select source as article_id, count(*) as alliances
    from alliances
    where not simulated
    group by source
),

final as (
    select a.article_id, a.title, a.publisher, strftime(a.published_on, '%Y-%m-%d') as published_on,
        coalesce(c.alliances, 0) as alliances
    from articles a
    left join counted c using (article_id)
    order by a.article_id
)

select * from final
