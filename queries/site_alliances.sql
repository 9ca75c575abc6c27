-- The alliances one institution belongs (or belonged) to, with its role and dates (joining at
-- the founding shares the founding date's precision, e.g. 不晚于2024年2月29日).
with

joined as (
    select a.alliance_id, a.name, a.form, a.scope, m.role, a.lead_site_id = m.site_id as is_lead,
        m.joined_on,
        coalesce(m.joined_precision,
            case when m.joined_on = a.founded_on then coalesce(a.founded_precision, 'day')
            else 'day' end) as joined_precision,
        m.left_on, a.simulated or m.simulated as simulated,
        case when a.simulated or m.simulated then 'demo'
            when 'office' in (a.origin, m.origin) then 'office' else 'article' end as origin
    from memberships m
    join alliances a using (alliance_id)
    where m.site_id = $site and m.site_id in (select site_id from scope_sites($regions))
),

final as (
    select * from joined
    order by simulated, left_on is not null,
        list_position(['lead', 'party', 'chair', 'standing', 'council', 'member'], role), joined_on,
        alliance_id
)

select * from final
