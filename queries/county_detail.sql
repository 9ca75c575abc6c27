-- One county: its names, city and province, whether a 市辖区, and the years it has data for.
with

final as (
    select
        c.adcode,
        c.name,
        c.name_en,
        c.district,
        coalesce(city.name, p.name) as city_name,
        city.adcode as city_adcode,
        p.adcode as province_adcode,
        p.name as province_name,
        p.name_en as province_name_en
    from regions c
    join regions p on p.adcode = c.province_adcode
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.adcode = $county and c.level = 'county'
        and c.adcode in (select county_adcode from scope_counties($regions))
)

select * from final
