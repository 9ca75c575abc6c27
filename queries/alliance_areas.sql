-- The map background of one alliance's current members: when they all sit in one province, every
-- county of it (members per county, 0 where none); otherwise the provinces they sit in.
-- in_area marks the units inside the places the alliance covers (alliance_areas: a county, a
-- city's counties or a province's counties), e.g. Quzhou's six counties.
with

covered as (
    select r.adcode, r.province_adcode
    from alliance_areas a
    join regions r on r.adcode = a.adcode
        or (r.level = 'county' and (r.parent_adcode = a.adcode or r.province_adcode = a.adcode))
    where a.alliance_id = $alliance and r.level = 'county'
),

-- member_counties: members per alliance and county, those not left among them (stored at build)
by_county as (
    select county_adcode, members_now::bigint as members
    from member_counties
    where alliance_id = $alliance and members_now > 0
        and county_adcode in (select county_adcode from scope_counties($regions))
),

by_province as (
    select county_adcode // 10000 * 10000 as province_adcode, sum(members)::bigint as members
    from by_county
    group by 1
),

one_province as (
    select count(*) = 1 as yes from by_province
),

final as (
    select 'county' as level, r.adcode, r.name, r.name_en, coalesce(c.members, 0) as members,
        r.adcode in (select adcode from covered) as in_area
    from regions r
    left join by_county c on c.county_adcode = r.adcode
    where (select yes from one_province)
        and r.level = 'county'
        and r.province_adcode in (select province_adcode from by_province)
        and r.adcode in (select county_adcode from scope_counties($regions))
    union all
    select 'province', r.adcode, r.name, r.name_en, p.members,
        r.adcode in (select province_adcode from covered)
    from by_province p
    join regions r on r.adcode = p.province_adcode
    where not (select yes from one_province)
    order by adcode
)

select * from final
