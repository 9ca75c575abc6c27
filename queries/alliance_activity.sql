-- One alliance's cooperation activity per month and kind (empty for the articles' alliances).
with

monthly as (
    select month, kind, cast(sum(count) as bigint) as count, bool_or(simulated) as simulated
    from activities
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
    group by month, kind
),

final as (
    select * from monthly order by month, kind
)

select * from final
