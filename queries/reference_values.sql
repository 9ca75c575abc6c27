-- Published reference values (data/catalogue/references.csv), drawn as reference lines: public,
-- they are national figures from their sources, not rows of a place.
with

final as (
    select reference_id, indicator_id, adcode, year, value, label_zh, label_en, source
    from reference_values
    order by indicator_id, year
)

select * from final
