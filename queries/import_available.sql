-- Whether the database has the imports table with its batches (files built before either
-- existed do not; a build brings them).
with

final as (
    select count(*) > 0 as available
    from duckdb_columns()
    where table_name = 'imports' and column_name = 'batch_id'
        and database_name = current_database()
)

select * from final
