-- The whole memberships table, for download from the Data page.
with

final as (
    select * from memberships
    where site_id in (select site_id from scope_sites($regions))
)

select * from final
