-- Whether the database has the imports table (files built before it existed do not).
with

final as (
    select count(*) > 0 as available
    from duckdb_tables()
    where table_name = 'imports' and database_name = current_database()
)

select * from final
