-- Years with county metrics, newest first.
with

final as (
    select distinct year from county_metrics order by year desc
)

select * from final
