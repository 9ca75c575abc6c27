-- The values the institution directory can be filtered by: kinds, tiers and ownership.
with

scoped as (
    select * from sites where county_adcode in (select county_adcode from scope_counties($regions))
),

kinds as (
    select distinct 'kind' as facet, kind as value,
        list_position(['general', 'maternal_child', 'tcm', 'specialist', 'primary', 'other'], kind)
            as sort_key
    from scoped
),

tiers as (
    select distinct 'tier' as facet, tier as value,
        list_position(['3A', '3', '2', '1', 'unrated'], tier) as sort_key
    from scoped
),

ownerships as (
    select distinct 'ownership' as facet, ownership as value,
        list_position(['public', 'private'], ownership) as sort_key
    from scoped
),

final as (
    select * from kinds
    union all select * from tiers
    union all select * from ownerships
    order by facet, sort_key, value
)

select * from final
