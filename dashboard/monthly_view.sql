-- With monthly county measures (the 10x data set), the yearly county_measures every page reads
-- is filled from them at build: a flow is the sum of its months, a stock (population, staff)
-- its December value. Materialised (not a view), so a page reads the year rows instead of
-- grouping the monthly rows on every new selection.
delete from county_measures;

insert into county_measures
    (county_adcode, year, measure, value, source, simulated, origin, batch_id)
select
    m.county_adcode,
    year(m.month) as year,
    m.measure,
    case when c.stock then arg_max(m.value, m.month) else sum(m.value) end as value,
    any_value(m.source) as source,
    bool_or(m.simulated) as simulated,
    min(m.origin) as origin,
    min(m.batch_id) as batch_id
from county_measures_monthly m
join measures c on c.measure_id = m.measure
group by m.county_adcode, year(m.month), m.measure, c.stock;
