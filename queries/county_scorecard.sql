-- One county's scorecard in one year: every indicator with the county's value (Σ its measures,
-- the formula), the province's and the nation's (within the session's regions), the target,
-- the rank within the province (1 = best), the change on the year before, the qualitative
-- judgement with its evidence, and the measures the county did not report.
with

county as (
    select adcode, province_adcode
    from regions
    where adcode = $county and level = 'county'
        and adcode in (select county_adcode from scope_counties($regions))
),

ind as (
    select * from indicators
),

ids as (
    select list(indicator_id) as ids from ind
),

in_province as (
    select *
    from indicator_values(
        $regions, (select ids from ids), $year, $year, 'county',
        coalesce((select province_adcode from county), -1)
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
        count(*) over (partition by v.indicator_id) as ranked
    from in_province v
    join ind i using (indicator_id)
),

province as (
    select *
    from indicator_values(
        $regions, (select ids from ids), $year, $year, 'province',
        coalesce((select province_adcode from county), -1)
    )
),

nation as (
    select * from indicator_values($regions, (select ids from ids), $year, $year, 'nation', 0)
),

terms as (
    select indicator_id, unnest([numerator, denominator, numerator2, denominator2]) as measure
    from ind
),

missing as (
    select t.indicator_id, list(t.measure order by m.position) as missing_measures
    from terms t
    join measures m on m.measure_id = t.measure
    where t.measure is not null
        and not exists (
            select 1 from county_measures x
            where x.county_adcode = (select adcode from county) and x.year = $year
                and x.measure = t.measure
        )
    group by t.indicator_id
),

judged as (
    select indicator_id, met, evidence, judged_on, judged_by, source
    from county_judgements
    where county_adcode = (select adcode from county) and year = $year
),

final as (
    select
        i.indicator_id,
        r.value,
        r.weighted,
        case when i.kind = 'per_capita_ratio' then r.n1 / nullif(r.d1, 0) else r.n1 end
            as numerator,
        case when i.kind = 'per_capita_ratio' then r.n2 / nullif(r.d2, 0) else r.d1 end
            as denominator,
        r.previous_value,
        r.value - r.previous_value as change_1y,
        case
            when r.previous_value > 0 and i.kind = 'level_growth'
                then round((r.value / r.previous_value - 1) * 100, 1)
        end as growth_pct,
        case
            when i.kind = 'qualitative' then r.value = 100
            when i.target is null or i.direction = 'monitor' then null
            when i.direction = 'lower' then r.value <= i.target
            else r.value >= i.target
        end as on_target,
        case when i.kind <> 'qualitative' and i.direction <> 'monitor' then r.rank end as rank,
        case when i.kind <> 'qualitative' and i.direction <> 'monitor' then r.ranked end
            as ranked,
        p.value as province_value,
        p.weighted as province_weighted,
        n.value as nation_value,
        n.weighted as nation_weighted,
        j.met,
        j.evidence,
        j.judged_on,
        j.judged_by,
        coalesce(ms.missing_measures, []) as missing_measures,
        coalesce(r.simulated, false) as simulated
    from ind i
    join indicator_sets s using (set_id)
    join indicator_areas a using (area)
    left join ranked r on r.indicator_id = i.indicator_id and r.adcode = (select adcode from county)
    left join province p on p.indicator_id = i.indicator_id
    left join nation n on n.indicator_id = i.indicator_id
    left join judged j on j.indicator_id = i.indicator_id
    left join missing ms on ms.indicator_id = i.indicator_id
    where exists (select 1 from county)
    order by s.position, a.position, i.number
)

select * from final
