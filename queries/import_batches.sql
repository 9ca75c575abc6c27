-- The published import batches, oldest first: when, which files, scope, rows per table.
with

batches as (
    select
        batch_id,
        imported_at,
        array_to_string(from_json(files, '["VARCHAR"]'), ', ') as files,
        scope,
        tables,
        cast((select coalesce(sum(cast(e.value as bigint)), 0) from json_each(tables) as e)
            as bigint) as rows,
        json_array_length(warnings) as n_warnings,
        changes
    from imports
    -- the office's files' report is for a national scope only, as import_last
    where list_contains($regions, 100000)
),

final as (
    select * from batches order by imported_at, batch_id
)

select * from final
