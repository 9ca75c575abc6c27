-- The indicator catalogue, for download from the Data page and `export indicators`.
with

final as (
    select
        i.indicator_id,
        i.set_id,
        s.name_zh as set_name,
        i.area,
        a.name_zh as area_name,
        i.number,
        i.name_zh,
        i.name_en,
        i.kind,
        i.numerator,
        i.denominator,
        i.numerator2,
        i.denominator2,
        i.scale,
        i.unit,
        i.direction,
        i.target,
        i.target_source,
        i.provisional,
        i.formula_zh,
        i.formula_en,
        i.note_zh,
        i.note_en
    from indicators i
    join indicator_sets s using (set_id)
    join indicator_areas a using (area)
    order by s.position, a.position, i.number
)

select * from final
