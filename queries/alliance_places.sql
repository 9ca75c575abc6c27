-- The places one alliance covers (alliance_areas), named, with the province and city they lie
-- in, so a page can link to the province page showing that city.
with

areas as (
    select a.adcode, a.basis, a.note_zh, a.note_en, r.name, r.level, r.province_adcode,
        case r.level when 'county' then r.parent_adcode when 'city' then r.adcode end
            as city_adcode
    from alliance_areas a
    join regions r using (adcode)
    where a.alliance_id = $alliance
        and a.alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select a.*, p.name as province_name, p.name_en as province_name_en,
        c.name as city_name
    from areas a
    join regions p on p.adcode = a.province_adcode
    left join regions c on c.adcode = a.city_adcode and c.level = 'city'
    order by a.adcode
)

select * from final
