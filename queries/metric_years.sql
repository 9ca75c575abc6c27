-- Years with county data (measures, finished rates or judgements), newest first.
with

years as (
    select distinct year from county_measures
    union
    select distinct year from county_metrics
    union
    select distinct year from county_judgements
),

final as (
    select year from years order by year desc
)

select * from final
