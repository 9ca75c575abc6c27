-- A province's counties (县域; with $districts its 市辖区 too) × the catalogue's indicators in one year, and the province's own row
-- (adcode = the province): value, numerator and denominator as summed, whether it meets the
-- target, the rank within the province (1 = best, direction-aware; none for indicators only
-- monitored), how many were ranked, and the position within the province (0 worst … 1 best,
-- for colouring by fifths where there is no target).
with

ind as (
    select indicator_id, kind, direction, target from indicators
),

counties as (
    select c.adcode, c.name, c.name_en, c.district, coalesce(city.name, p.name) as city_name
    from regions c
    join regions p on p.adcode = c.province_adcode
    left join regions city on city.adcode = c.parent_adcode and city.level = 'city'
    where c.level = 'county' and c.province_adcode = $province
        and c.adcode in (select county_adcode from scope_counties($regions))
        -- 县域 (counties, county-level cities, 旗) by default; 市辖区 when asked
        and ($districts or not c.district)
),

values_ as (
    select *
    from indicator_values(
        $regions, (select list(indicator_id) from ind), $year, $year, 'county', $province
    )
),

ranked as (
    select
        v.*,
        case
            when i.direction = 'higher' and i.kind <> 'qualitative'
                then rank() over (partition by v.indicator_id order by v.value desc)
            when i.direction = 'lower'
                then rank() over (partition by v.indicator_id order by v.value asc)
        end as rank,
        count(*) over (partition by v.indicator_id) as ranked,
        case
            when i.direction = 'lower' then 1 - percent_rank() over (
                partition by v.indicator_id order by v.value
            )
            else percent_rank() over (partition by v.indicator_id order by v.value)
        end as position
    from values_ v
    join ind i using (indicator_id)
    where v.adcode in (select adcode from counties)
),

cells as (
    select
        c.adcode,
        c.name,
        c.name_en,
        c.city_name,
        c.district,
        i.indicator_id,
        r.value,
        r.weighted,
        case when i.kind = 'per_capita_ratio' then r.n1 / nullif(r.d1, 0) else r.n1 end
            as numerator,
        case when i.kind = 'per_capita_ratio' then r.n2 / nullif(r.d2, 0) else r.d1 end
            as denominator,
        r.value - r.previous_value as change_1y,
        case
            when i.kind = 'qualitative' then r.value = 100
            when i.target is null or i.direction = 'monitor' then null
            when i.direction = 'lower' then r.value <= i.target
            else r.value >= i.target
        end as on_target,
        case when i.kind <> 'qualitative' and i.direction <> 'monitor' then r.rank end as rank,
        case when i.kind <> 'qualitative' and i.direction <> 'monitor' then r.ranked end
            as ranked,
        r.position,
        r.simulated
    from counties c
    cross join ind i
    left join ranked r on r.adcode = c.adcode and r.indicator_id = i.indicator_id
),

province_row as (
    select
        p.adcode,
        p.name,
        p.name_en,
        null as city_name,
        false as district,
        v.indicator_id,
        v.value,
        v.weighted,
        case when i.kind = 'per_capita_ratio' then v.n1 / nullif(v.d1, 0) else v.n1 end,
        case when i.kind = 'per_capita_ratio' then v.n2 / nullif(v.d2, 0) else v.d1 end,
        v.value - v.previous_value,
        case
            when i.kind = 'qualitative' or i.target is null or i.direction = 'monitor' then null
            when i.direction = 'lower' then v.value <= i.target
            else v.value >= i.target
        end,
        null::bigint,
        v.counties,
        null::double,
        v.simulated
    from indicator_values(
        $regions, (select list(indicator_id) from ind), $year, $year, 'province', $province
    ) v
    join ind i using (indicator_id)
    join regions p on p.adcode = v.adcode
),

final as (
    select *, false as is_province from cells
    union all
    select *, true from province_row
    order by is_province desc, adcode, indicator_id
)

select * from final
