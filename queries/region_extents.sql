-- Bounding box of every unit at one level ('province' or 'county'), precomputed at build
-- (dashboard/precompute.py): geography, the same for every official.
with

boxes as (
    select adcode, lon0, lat0, lon1, lat1
    from region_extents
    where level = $level
),

final as (
    select * from boxes order by adcode
)

select * from final
