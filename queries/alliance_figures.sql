-- Figures an article states about one alliance (e.g. "110+ experts signed"), in the article's order.
with

stated as (
    select rowid as position, figure, label_zh, label_en, value, qualifier, unit, as_of, source
    from figures
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select * exclude (position) from stated order by position
)

select * from final
