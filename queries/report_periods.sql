-- The years an office has reported county data for (newest first), for 报送进度's period choice.
with

years as (
    select year from county_measures where origin = 'office'
    union
    select year from county_metrics where origin = 'office'
    union
    select year from county_judgements where origin = 'office'
),

final as (
    select distinct year from years order by year desc
)

select * from final
