-- One alliance's funding per year and source (yuan), with the article's sentence(s) it comes from.
with

yearly as (
    select year, source, cast(sum(amount_cny) as bigint) as amount_cny, bool_or(simulated) as simulated,
        string_agg(distinct quote, '；') as quote
    from funding
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
    group by year, source
),

final as (
    select * from yearly
    order by year, list_position(['central', 'provincial', 'special_bond', 'other'], source)
)

select * from final
