-- Rows per table replaced by the last import.
with

last as (
    select * from imports
    -- the office's files cover the whole country: their report is for a national scope only
    where list_contains($regions, 100000)
    order by imported_at desc, batch_id desc
    limit 1
),

final as (
    select e.key as table_name, cast(e.value as bigint) as rows
    from last, json_each(last.tables) as e
    order by table_name
)

select * from final
