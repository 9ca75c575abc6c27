-- The layers of one alliance's model (e.g. Lishui's X+1+9+X) with the members placed in each.
with

placed as (
    select t.tier, string_agg(s.name, '、' order by s.site_id) as member_names,
        count(*) as members
    from member_tiers t
    join sites s using (site_id)
    join memberships m on m.alliance_id = t.alliance_id and m.site_id = t.site_id
    where t.alliance_id = $alliance and m.left_on is null
        and s.site_id in (select site_id from scope_sites($regions))
    group by t.tier
),

final as (
    select l.tier, l.position, l.name_zh, l.name_en, l.stated_count, l.detail_zh, l.detail_en,
        coalesce(p.members, 0) as members, p.member_names
    from alliance_tiers l
    left join placed p using (tier)
    where l.alliance_id = $alliance
        and l.alliance_id in (select alliance_id from scope_alliances($regions))
    order by l.position
)

select * from final
