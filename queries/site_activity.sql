-- Monthly cooperation activity of every alliance one institution belongs to, summed by kind.
with

its_alliances as (
    select distinct alliance_id from memberships
    where site_id = $site and site_id in (select site_id from scope_sites($regions))
),

monthly as (
    select a.month, a.kind, cast(sum(a.count) as bigint) as count,
        count(distinct a.alliance_id) as alliances, bool_or(a.simulated) as simulated
    from activities a
    where a.alliance_id in (select alliance_id from its_alliances)
    group by a.month, a.kind
),

final as (
    select * from monthly order by month, kind
)

select * from final
