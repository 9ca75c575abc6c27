-- Where a province briefing's county figures come from: rows by origin and import batch.
with

counted as (
    select origin, batch_id, count(distinct county_adcode) as n
    from (
        -- the measures the indicator is made of, and any finished rates of it
        select m.county_adcode, m.origin, m.batch_id
        from county_measures m
        join indicators i
            on m.measure in (i.numerator, i.denominator, i.numerator2, i.denominator2)
        where i.indicator_id = $metric and m.year = $year
            and m.county_adcode // 10000 * 10000 = $province
            and m.county_adcode in (select county_adcode from scope_counties($regions))
        union all
        select county_adcode, origin, batch_id
        from county_metrics
        where metric = $metric and year = $year and county_adcode // 10000 * 10000 = $province
            and county_adcode in (select county_adcode from scope_counties($regions))
        union all
        select county_adcode, origin, batch_id
        from county_judgements
        where indicator_id = $metric and year = $year
            and county_adcode // 10000 * 10000 = $province
            and county_adcode in (select county_adcode from scope_counties($regions))
    )
    group by origin, batch_id
),

final as (
    select c.origin, c.batch_id, c.n, i.imported_at, i.files
    from counted c
    left join imports i using (batch_id)
    order by list_position(['office', 'article', 'demo'], c.origin), c.batch_id
)

select * from final
