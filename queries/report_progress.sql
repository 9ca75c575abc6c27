-- 报送进度: for one year, each county of the session's regions with what its office has
-- published for that year (measures, rates, judgements, from the import batches), the date of
-- its last report for the year and of its last report of any period. Simulated and built-in rows
-- are no report.
with

counties as (
    select c.adcode as county_adcode, c.name as county_name, c.province_adcode,
        p.name as province_name
    from regions c
    join regions p on p.adcode = c.province_adcode
    where c.level = 'county'
        and c.adcode in (select county_adcode from scope_counties($regions))
),

reported as (
    select county_adcode, year, 'county_measures' as table_name, measure as item, batch_id
    from county_measures where origin = 'office'
    union all
    select county_adcode, year, 'county_metrics', metric, batch_id
    from county_metrics where origin = 'office'
    union all
    select county_adcode, year, 'county_judgements', indicator_id, batch_id
    from county_judgements where origin = 'office'
),

dated as (
    select r.*, i.imported_at
    from reported r
    join imports i using (batch_id)
    where r.county_adcode in (select county_adcode from counties)
),

this_year as (
    select county_adcode,
        count(distinct item) filter (where table_name = 'county_measures') as measures,
        count(distinct item) filter (where table_name = 'county_metrics') as metrics,
        count(distinct item) filter (where table_name = 'county_judgements') as judgements,
        max(imported_at) as reported_at
    from dated
    where year = $year
    group by county_adcode
),

ever as (
    select county_adcode, max(imported_at) as last_report from dated group by county_adcode
),

final as (
    select c.province_adcode, c.province_name, c.county_adcode, c.county_name,
        coalesce(y.measures, 0) as measures,
        (select count(*) from measures) as measures_total,
        coalesce(y.metrics, 0) as metrics,
        coalesce(y.judgements, 0) as judgements,
        (select count(*) from indicators where kind = 'qualitative') as judgements_total,
        y.reported_at,
        e.last_report,
        y.county_adcode is not null as reported
    from counties c
    left join this_year y using (county_adcode)
    left join ever e using (county_adcode)
    order by reported, c.province_adcode, c.county_adcode
)

select * from final
