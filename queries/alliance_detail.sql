-- One alliance: its facts, lead (and every co-lead), the parties to its agreement (院府合作:
-- 蚌埠市卫健委 and 上海十院; a government first), parent, current member count and source article
-- (if real).
with

target as (
    select * from alliances
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

members as (
    select count(*) filter (left_on is null) as members, count(*) as members_ever
    from memberships
    where alliance_id = $alliance
),

-- Every current member in the lead role, the alliance's own lead first (R-A01 has four).
leads as (
    select string_agg(s.name, '、' order by s.site_id <> t.lead_site_id, s.site_id) as lead_names,
        count(*) as leads
    from memberships m
    join target t using (alliance_id)
    join sites s on s.site_id = m.site_id
    where m.left_on is null
        and (m.role = 'lead' or (m.site_id = t.lead_site_id and m.role <> 'party'))
),

parties as (
    select string_agg(s.name, '、' order by s.kind <> 'government', s.site_id) as party_names,
        count(*) as parties
    from memberships m
    join target t using (alliance_id)
    join sites s on s.site_id = m.site_id
    where m.left_on is null and m.role = 'party'
),

final as (
    select t.alliance_id, t.name, t.form, t.specialty, t.scope, t.model, t.founded_on,
        coalesce(t.founded_precision, 'day') as founded_precision,
        t.lead_site_id, lead.name as lead_name,
        coalesce(l.lead_names, lead.name) as lead_names, coalesce(l.leads, 1) as leads,
        p.party_names, p.parties, t.form_basis,
        t.parent_alliance_id, parent.name as parent_name,
        t.note, t.source, t.simulated, t.origin, t.batch_id, m.members, m.members_ever,
        art.title as article_title, art.publisher as article_publisher,
        art.published_on as article_date
    from target t
    cross join members m
    cross join leads l
    cross join parties p
    left join sites lead on lead.site_id = t.lead_site_id
    left join alliances parent on parent.alliance_id = t.parent_alliance_id
    left join articles art on art.article_id = t.source
)

select * from final
