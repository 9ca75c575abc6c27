-- The counties of one institution's province, its own county marked, as the small map's background.
with

target as (
    select county_adcode, county_adcode // 10000 * 10000 as province_adcode
    from sites
    where site_id = $site and site_id in (select site_id from scope_sites($regions))
),

final as (
    select r.adcode, r.name, r.name_en, (r.adcode = t.county_adcode) as is_home
    from regions r
    join target t on r.province_adcode = t.province_adcode
    where r.level = 'county' and r.adcode in (select county_adcode from scope_counties($regions))
    order by r.adcode
)

select * from final
