-- The alliance register: filtered by province (0 = all; lead or any member there), form, scope,
-- specialty, founding years, name and real-only; real alliances first; at most $limit rows,
-- each carrying the counts of every match.
with

site_province as (
    select site_id, county_adcode // 10000 * 10000 as province_adcode
    from sites
),

in_province as (
    select m.alliance_id
    from memberships m
    join site_province p using (site_id)
    where p.province_adcode = $province
    union
    select a.alliance_id
    from alliances a
    join site_province p on p.site_id = a.lead_site_id
    where p.province_adcode = $province
),

member_counts as (
    select m.alliance_id,
        count(*) filter (m.left_on is null) as members,
        count(distinct p.province_adcode) filter (m.left_on is null) as provinces
    from memberships m
    join site_province p using (site_id)
    group by m.alliance_id
),

filtered as (
    select a.*, lead.name as lead_name
    from alliances a
    join sites lead on lead.site_id = a.lead_site_id
    where a.alliance_id in (select alliance_id from scope_alliances($regions))
        and ($province = 0 or a.alliance_id in (select alliance_id from in_province))
        and ($form = '' or a.form = $form)
        and ($scope = '' or a.scope = $scope)
        and ($specialty = ''
            or list_contains(list_transform(string_split(a.specialty, '、'), lambda s: trim(s)),
                $specialty))
        and year(a.founded_on) between $year_from and $year_to
        -- a plain substring test: % and _ typed by the user are not wildcards
        and ($q = '' or contains(lower(a.name), lower($q)) or a.alliance_id = upper($q))
        and (not $real_only or not a.simulated)
),

final as (
    select f.alliance_id, f.name, f.form, f.specialty, f.scope, f.model, f.founded_on,
        f.lead_name, coalesce(c.members, 0) as members, coalesce(c.provinces, 0) as provinces,
        f.simulated, f.origin, f.batch_id,
        count(*) over () as total,
        count(*) filter (not f.simulated) over () as total_real
    from filtered f
    left join member_counts c using (alliance_id)
    order by f.simulated, f.founded_on desc, f.alliance_id
    limit $limit
)

select * from final
