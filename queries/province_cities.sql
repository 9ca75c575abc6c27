-- The prefecture cities of one province that have counties, for the province page's city filter.
with

cities as (
    select c.adcode, c.name, c.name_en
    from regions c
    where c.level = 'city' and c.province_adcode = $province
        and exists (
            select 1 from regions r
            where r.parent_adcode = c.adcode and r.level = 'county'
                and r.adcode in (select county_adcode from scope_counties($regions)))
),

final as (
    select * from cities order by adcode
)

select * from final
