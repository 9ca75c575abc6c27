-- The provinces, with their names and a point to label them.
with

provinces as (
    select adcode, name, name_en, lon, lat
    from regions
    where level = 'province'
        and adcode in (select county_adcode // 10000 * 10000 from scope_counties($regions))
),

final as (
    select * from provinces order by adcode
)

select * from final
