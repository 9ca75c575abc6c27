-- The map background of one alliance's current members: when they all sit in one province, every
-- county of it (members per county, 0 where none); otherwise the provinces they sit in.
with

member_sites as (
    select s.county_adcode, s.county_adcode // 10000 * 10000 as province_adcode
    from memberships m
    join sites s using (site_id)
    where m.alliance_id = $alliance and m.left_on is null
        and s.county_adcode in (select county_adcode from scope_counties($regions))
),

by_province as (
    select province_adcode, count(*) as members
    from member_sites
    group by province_adcode
),

by_county as (
    select county_adcode, count(*) as members
    from member_sites
    group by county_adcode
),

one_province as (
    select count(*) = 1 as yes from by_province
),

final as (
    select 'county' as level, r.adcode, r.name, r.name_en, coalesce(c.members, 0) as members
    from regions r
    left join by_county c on c.county_adcode = r.adcode
    where (select yes from one_province)
        and r.level = 'county'
        and r.province_adcode in (select province_adcode from by_province)
        and r.adcode in (select county_adcode from scope_counties($regions))
    union all
    select 'province', r.adcode, r.name, r.name_en, p.members
    from by_province p
    join regions r on r.adcode = p.province_adcode
    where not (select yes from one_province)
    order by adcode
)

select * from final
