-- One alliance's milestones in date order.
with

events as (
    select date, coalesce(date_precision, 'day') as date_precision, title, detail, source,
        simulated
    from milestones
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select * from events order by date, title
)

select * from final
