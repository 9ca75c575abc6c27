-- Figures an article states about one alliance (e.g. "110+ experts signed"), in the article's order,
-- each with the article's sentence it comes from (quote).
with

stated as (
    select rowid as position, figure, label_zh, label_en, value, qualifier, unit, as_of, quote,
        source
    from figures
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select * exclude (position) from stated order by position
)

select * from final
