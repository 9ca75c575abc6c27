-- Extra lines of the national map (the South China Sea dash line).
with

final as (
    select name, geojson from map_lines
)

select * from final
