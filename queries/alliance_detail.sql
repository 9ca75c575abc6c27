-- One alliance: its facts, lead, parent, current member count and source article (if real).
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

final as (
    select t.alliance_id, t.name, t.form, t.specialty, t.scope, t.model, t.founded_on,
        t.lead_site_id, lead.name as lead_name, t.parent_alliance_id, parent.name as parent_name,
        t.note, t.source, t.simulated, t.origin, t.batch_id, m.members, m.members_ever,
        art.title as article_title, art.publisher as article_publisher,
        art.published_on as article_date
    from target t
    cross join members m
    left join sites lead on lead.site_id = t.lead_site_id
    left join alliances parent on parent.alliance_id = t.parent_alliance_id
    left join articles art on art.article_id = t.source
)

select * from final
