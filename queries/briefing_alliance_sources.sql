-- Where an alliance briefing's rows come from: per table, rows by origin and import batch, and
-- for the articles' rows how many articles they come from (one article, many rows: one source).
with

target as (
    select $alliance as alliance_id
    where $alliance in (select alliance_id from scope_alliances($regions))
),

tagged as (
    select 'memberships' as data, origin, batch_id, source
    from memberships join target using (alliance_id)
    union all
    select 'activities', origin, batch_id, null from activities join target using (alliance_id)
    union all
    select 'funding', origin, batch_id, reference from funding join target using (alliance_id)
    union all
    select 'milestones', origin, batch_id, source from milestones join target using (alliance_id)
    union all
    select 'figures', origin, batch_id, source from figures join target using (alliance_id)
),

articles as (
    select origin, batch_id, count(distinct source) as articles
    from tagged
    where origin = 'article' and source like 'article:%'
    group by origin, batch_id
),

counted as (
    select data, origin, batch_id, count(*) as n
    from tagged
    group by data, origin, batch_id
),

final as (
    select c.data, c.origin, c.batch_id, c.n, a.articles, i.imported_at, i.files
    from counted c
    left join articles a
        on a.origin = c.origin and a.batch_id is not distinct from c.batch_id
    left join imports i on i.batch_id = c.batch_id
    order by list_position(['office', 'article', 'demo'], c.origin), c.batch_id,
        list_position(['memberships', 'activities', 'funding', 'milestones', 'figures'], c.data)
)

select * from final
