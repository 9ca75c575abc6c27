-- The whole memberships table, for download from the Data page.
with

final as (
    select * from memberships
)

select * from final
