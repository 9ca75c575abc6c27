-- One institution: its facts, county and province, and source article (if real).
with

target as (
    select * from sites
    where site_id = $site and county_adcode in (select county_adcode from scope_counties($regions))
),

final as (
    select t.site_id, t.name, t.kind, t.tier, t.ownership, t.county_adcode,
        county.name as county_name, t.county_adcode // 10000 * 10000 as province_adcode,
        province.name as province_name, province.name_en as province_name_en, t.lon, t.lat,
        t.beds, t.source, t.simulated, t.origin, t.batch_id, art.title as article_title,
        art.publisher as article_publisher, art.published_on as article_date
    from target t
    left join regions county on county.adcode = t.county_adcode
    left join regions province on province.adcode = t.county_adcode // 10000 * 10000
    left join articles art on art.article_id = t.source
)

select * from final
