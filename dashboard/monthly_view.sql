-- With monthly county metrics (the 10x data set), the yearly county_metrics every page reads is
-- filled from them at build: a rate is the mean of its months, a count their sum. Materialised
-- (not a view), so a page reads a few hundred thousand year rows instead of grouping 3 M
-- monthly rows on every new selection.
delete from county_metrics;

insert into county_metrics
    (county_adcode, year, metric, value, source, simulated, origin, batch_id)
select
    m.county_adcode,
    year(m.month) as year,
    m.metric,
    round(case when c.unit = '%' then avg(m.value) else sum(m.value) end, 1) as value,
    any_value(m.source) as source,
    bool_or(m.simulated) as simulated,
    min(m.origin) as origin,
    min(m.batch_id) as batch_id
from county_metrics_monthly m
join metrics c on c.metric_id = m.metric
group by m.county_adcode, year(m.month), m.metric, c.unit;
