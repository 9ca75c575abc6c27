-- One indicator in one year for every unit of a level ('county', 'city' or 'province') in one
-- province or all of China ($province = 0): Σ numerator ÷ Σ denominator over the unit's
-- counties (indicator_values), whether it meets the target, and whether it is a 市辖区.
with

catalogue as (
    select target, direction, kind from indicators where indicator_id = $metric
),

values_ as (
    select * from indicator_values($regions, [$metric], $year, $year, $level, $province)
),

final as (
    select
        v.adcode,
        r.name,
        r.name_en,
        p.name as province_name,
        p.name_en as province_name_en,
        v.value,
        v.weighted,
        v.n1 as numerator,
        v.d1 as denominator,
        v.counties,
        v.counties_on_target,
        case
            when cat.kind = 'qualitative' and $level = 'county' then v.value = 100
            when cat.target is null or cat.direction = 'monitor' then null
            when cat.direction = 'lower' then v.value <= cat.target
            else v.value >= cat.target
        end as on_target,
        coalesce(r.district, false) as district,
        v.simulated
    from values_ v
    join regions r on r.adcode = v.adcode
    join regions p on p.adcode = coalesce(r.province_adcode, v.adcode)
    left join catalogue cat on true
    order by v.value desc nulls last, v.adcode
)

select * from final
