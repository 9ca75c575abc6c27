-- One alliance's tags (cooperation forms, platforms, shares, workstations…), grouped by kind in a
-- fixed order and in the article's order within a kind.
with

tags as (
    select rowid as position, kind, tag_zh, tag_en
    from alliance_tags
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select kind, tag_zh, tag_en
    from tags
    order by list_position(
            ['form', 'platform', 'share', 'transfer', 'workstation', 'vertical', 'mechanism'], kind),
        position
)

select * from final
