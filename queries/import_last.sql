-- The last published import: when, which files, how many tables, rows and warnings.
with

last as (
    select * from imports
    -- the office's files cover the whole country: their report is for a national scope only
    where list_contains($regions, 100000)
    order by imported_at desc, batch_id desc
    limit 1
),

final as (
    select
        imported_at,
        batch_id,
        scope,
        array_to_string(from_json(files, '["VARCHAR"]'), ', ') as files,
        json_array_length(from_json(files, '["VARCHAR"]')::json) as n_files,
        (select count(*) from json_each(tables)) as n_tables,
        json_array_length(warnings) as n_warnings
    from last
)

select * from final
