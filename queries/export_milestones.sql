-- The whole milestones table, for download from the Data page.
with

final as (
    select * from milestones
)

select * from final
