-- The alliances formed under one alliance (e.g. Quzhou's five vertical alliances under R-A05).
with

children as (
    select alliance_id, name, form, founded_on, simulated
    from alliances
    where parent_alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select * from children order by alliance_id
)

select * from final
