-- Records related to one alliance, read both ways (a link is entered once), with whether each
-- holds funding or stated figures, so a page can say where those are.
with

links as (
    select related_id as other_id, relation, note_zh, note_en
    from alliance_links
    where alliance_id = $alliance
    union all
    select alliance_id, relation, note_zh, note_en
    from alliance_links
    where related_id = $alliance
),

final as (
    select l.other_id as alliance_id, a.name, l.relation, l.note_zh, l.note_en,
        exists (select 1 from funding f where f.alliance_id = l.other_id) as has_funding,
        exists (select 1 from figures f where f.alliance_id = l.other_id) as has_figures
    from links l
    join alliances a on a.alliance_id = l.other_id
    where l.other_id in (select alliance_id from scope_alliances($regions))
        and $alliance in (select alliance_id from scope_alliances($regions))
    order by l.other_id
)

select * from final
