-- Where a province briefing's county figures come from: rows by origin and import batch.
with

counted as (
    select origin, batch_id, count(*) as n
    from county_metrics
    where county_adcode // 10000 * 10000 = $province and metric = $metric and year = $year
        and county_adcode in (select county_adcode from scope_counties($regions))
    group by origin, batch_id
),

final as (
    select c.origin, c.batch_id, c.n, i.imported_at, i.files
    from counted c
    left join imports i using (batch_id)
    order by list_position(['office', 'article', 'demo'], c.origin), c.batch_id
)

select * from final
