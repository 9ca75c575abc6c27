-- Where an alliance briefing's rows come from: per table, rows by origin and import batch.
with

target as (
    select $alliance as alliance_id
    where $alliance in (select alliance_id from scope_alliances($regions))
),

tagged as (
    select 'memberships' as data, origin, batch_id from memberships join target using (alliance_id)
    union all
    select 'activities', origin, batch_id from activities join target using (alliance_id)
    union all
    select 'funding', origin, batch_id from funding join target using (alliance_id)
    union all
    select 'milestones', origin, batch_id from milestones join target using (alliance_id)
    union all
    select 'figures', origin, batch_id from figures join target using (alliance_id)
),

counted as (
    select data, origin, batch_id, count(*) as n
    from tagged
    group by data, origin, batch_id
),

final as (
    select c.data, c.origin, c.batch_id, c.n, i.imported_at, i.files
    from counted c
    left join imports i using (batch_id)
    order by list_position(['office', 'article', 'demo'], c.origin), c.batch_id,
        list_position(['memberships', 'activities', 'funding', 'milestones', 'figures'], c.data)
)

select * from final
