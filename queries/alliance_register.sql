-- The alliance register: filtered by province (0 = all; lead, any member or a covered area
-- there), form, scope, specialty, tag, founding years, search text and real-only; real alliances
-- first; at most $limit rows, each carrying the counts of every match.
-- The search text finds an alliance by its id, its name, a member's name, or a place: the county,
-- city or province of a member or of an area it covers (蚌埠 finds 浙大二院安徽医院 through its
-- member in 蚌埠市).
with

-- member_counties: members per alliance and county, all and not left (stored at build)
in_province as (
    select alliance_id
    from member_counties
    where county_adcode // 10000 * 10000 = $province
    union
    select a.alliance_id
    from alliances a
    join sites s on s.site_id = a.lead_site_id
    where s.county_adcode // 10000 * 10000 = $province
    union
    select alliance_id
    from alliance_areas
    where adcode // 10000 * 10000 = $province
),

-- Places whose name holds the search text, and every county inside them.
named_places as (
    select adcode, level, province_adcode
    from regions
    where $q <> '' and contains(name, $q)
),

places_counties as (
    select r.adcode
    from regions r
    join named_places n on r.adcode = n.adcode
        or (r.level = 'county' and (r.parent_adcode = n.adcode or r.province_adcode = n.adcode))
    where r.level = 'county'
),

found as (
    select m.alliance_id
    from memberships m
    join sites s using (site_id)
    where $q <> ''
        and s.site_id in (select site_id from scope_sites($regions))
        and (contains(lower(s.name), lower($q))
            or s.county_adcode in (select adcode from places_counties))
    union
    select a.alliance_id
    from alliance_areas a
    join regions r using (adcode)
    where $q <> ''
        and (contains(r.name, $q)
            or a.adcode in (select adcode from places_counties)
            -- an area holding a named place: 蚌埠市 covers 怀远县
            or a.adcode in (
                select p.parent_adcode from regions p
                where p.adcode in (select adcode from named_places)
                union
                select province_adcode from named_places))
),

tagged as (
    select distinct alliance_id
    from alliance_tags
    where tag_zh = $tag
),

-- The parties to an agreement (院府合作, 院院合作) stand where a lead would: a government first.
parties as (
    select m.alliance_id,
        string_agg(s.name, '、' order by s.kind <> 'government', s.site_id) as party_names
    from memberships m
    join sites s using (site_id)
    where m.role = 'party' and m.left_on is null
    group by m.alliance_id
),

member_counts as (
    select alliance_id,
        sum(members_now)::bigint as members,
        count(distinct county_adcode // 10000) filter (members_now > 0) as provinces
    from member_counties
    group by alliance_id
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
        and ($tag = '' or a.alliance_id in (select alliance_id from tagged))
        and year(a.founded_on) between $year_from and $year_to
        -- a plain substring test: % and _ typed by the user are not wildcards
        and ($q = '' or contains(lower(a.name), lower($q)) or a.alliance_id = upper($q)
            or a.alliance_id in (select alliance_id from found))
        and (not $real_only or not a.simulated)
),

final as (
    select f.alliance_id, f.name, f.form, f.specialty, f.scope, f.model, f.founded_on,
        coalesce(f.founded_precision, 'day') as founded_precision,
        coalesce(p.party_names, f.lead_name) as lead_name, coalesce(c.members, 0) as members, coalesce(c.provinces, 0) as provinces,
        f.simulated, f.origin, f.batch_id,
        count(*) over () as total,
        count(*) filter (not f.simulated) over () as total_real
    from filtered f
    left join member_counts c using (alliance_id)
    left join parties p using (alliance_id)
    order by f.simulated, f.founded_on desc, f.alliance_id
    limit $limit
)

select * from final
