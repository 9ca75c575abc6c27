-- 成员机构 · member institutions: institutions with at least one membership of an alliance or
-- other cooperation at the end of $year (a year after the last membership date reads as that
-- last year). The one definition of the headline "成员机构": overview, province page (its whole
-- or one city: $city, 0 for all), institutions page, kiosk and briefings. $province 0 = the
-- session's whole scope; the directory's filters (kind, tier, ownership, q; '' for all) narrow it.
with

-- site_years: one row per member institution and year (stored at build, dashboard/precompute.sql)
members as (
    select y.site_id, y.county_adcode // 10000 * 10000 as province_adcode, s.simulated
    from site_years y
    join sites s on s.site_id = y.site_id
    where y.year = least($year, (select max(year) from site_years))
        and y.county_adcode in (select county_adcode from scope_counties($regions))
        and ($province = 0 or y.county_adcode // 10000 * 10000 = $province)
        and ($city = 0
            or y.county_adcode in (select adcode from regions where parent_adcode = $city))
        and ($kind = '' or s.kind = $kind)
        and ($tier = '' or s.tier = $tier)
        and ($ownership = '' or s.ownership = $ownership)
        and ($q = '' or contains(lower(s.name), lower($q)) or s.site_id = upper($q))
),

final as (
    select
        count(*) as member_institutions,
        count(*) filter (not simulated) as real_member_institutions,
        count(distinct province_adcode) as provinces,
        coalesce(bool_or(simulated), false) as simulated
    from members
)

select * from final
