-- The years an office has reported county data for (newest first), for 报送进度's period choice:
-- only the years of counties within the session's regions.
with

scope as (
    select county_adcode from scope_counties($regions)
),

years as (
    select year from county_measures
    where origin = 'office' and county_adcode in (select county_adcode from scope)
    union
    select year from county_metrics
    where origin = 'office' and county_adcode in (select county_adcode from scope)
    union
    select year from county_judgements
    where origin = 'office' and county_adcode in (select county_adcode from scope)
),

final as (
    select distinct year from years order by year desc
)

select * from final
