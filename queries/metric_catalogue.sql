-- The indicator catalogue (data/catalogue/): names, area, kind, unit, direction, target and where
-- each comes from, with the formula used and whether it is provisional (暂行口径). metric_id is
-- the indicator's id (the pages' ?metric=).
with

final as (
    select
        i.indicator_id as metric_id,
        i.indicator_id,
        i.set_id,
        s.name_zh as set_name_zh,
        s.name_en as set_name_en,
        s.document as set_document,
        i.area,
        a.name_zh as area_zh,
        a.name_en as area_en,
        a.position as area_position,
        i.number,
        i.name_zh,
        i.name_en,
        i.short_zh,
        i.short_en,
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
        i.formula_zh as definition_zh,
        i.formula_en as definition_en,
        i.note_zh,
        i.note_en,
        coalesce(i.target_source, s.document) as policy,
        'county' as level
    from indicators i
    join indicator_sets s using (set_id)
    join indicator_areas a using (area)
    order by s.position, a.position, i.number
)

select * from final
