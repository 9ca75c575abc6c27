-- The warnings of the last import's report, in report order.
with

last as (
    select * from imports
    -- the office's files cover the whole country: their report is for a national scope only
    where list_contains($regions, 100000)
    order by imported_at desc, batch_id desc
    limit 1
),

items as (
    select cast(e.key as integer) as n, e.value as item
    from last, json_each(last.warnings) as e
),

final as (
    select
        item ->> 'file' as file,
        cast(item ->> 'row' as integer) as row,
        item ->> 'column' as column_name,
        item ->> 'value' as value,
        item ->> 'rule' as rule,
        item ->> 'rule_zh' as rule_zh,
        item ->> 'rule_en' as rule_en
    from items
    order by n
)

select * from final
