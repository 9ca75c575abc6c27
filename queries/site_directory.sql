-- The institution directory with the same filters as site_counts: real institutions first, then
-- by tier and beds; at most $limit rows.
with

matching as (
    select *
    from sites
    where county_adcode in (select county_adcode from scope_counties($regions))
        and ($province = 0 or county_adcode // 10000 * 10000 = $province)
        and ($kind = '' or kind = $kind)
        and ($tier = '' or tier = $tier)
        and ($ownership = '' or ownership = $ownership)
        and ($q = '' or contains(lower(name), lower($q)) or site_id = upper($q))
),

alliance_counts as (
    select site_id, count(*) as alliances
    from memberships
    where left_on is null
    group by site_id
),

final as (
    select s.site_id, s.name, s.kind, s.tier, s.ownership, county.name as county_name,
        province.name as province_name, province.name_en as province_name_en, s.beds,
        coalesce(a.alliances, 0) as alliances, s.simulated, s.origin, s.batch_id
    from matching s
    left join alliance_counts a using (site_id)
    left join regions county on county.adcode = s.county_adcode
    left join regions province on province.adcode = s.county_adcode // 10000 * 10000
    order by s.simulated, list_position(['3A', '3', '2', '1', 'unrated'], s.tier),
        s.beds desc nulls last, s.site_id
    limit $limit
)

select * from final
