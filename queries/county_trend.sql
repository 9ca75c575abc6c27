-- One county's indicators by year (Σ its measures, the formula; a judged indicator 100 when met).
with

county as (
    select adcode, province_adcode
    from regions
    where adcode = $county and level = 'county'
        and adcode in (select county_adcode from scope_counties($regions))
),

final as (
    select indicator_id, year, value, weighted, simulated
    from indicator_values(
        $regions, (select list(indicator_id) from indicators), 1900, 2100, 'county',
        coalesce((select province_adcode from county), -1)
    )
    where adcode = (select adcode from county)
    order by indicator_id, year
)

select * from final
