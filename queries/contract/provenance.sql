-- Rows whose provenance breaks the rules of DESIGN.md §11; empty when the database is sound.
-- A simulated ('demo') institution or alliance has 示例 in its name and never the name of a
-- real one (article or office); simulated is true exactly for demo rows; only office rows
-- carry a batch id, and it names a published import.
with

names as (
    select 'sites' as tbl, site_id as row_key, name, origin from sites
    union all
    select 'alliances', alliance_id, name, origin from alliances
),

real_names as (
    select distinct tbl, name from names where origin <> 'demo'
),

rows as (
    select 'sites' as tbl, site_id as row_key, simulated, origin, batch_id from sites
    union all select 'alliances', alliance_id, simulated, origin, batch_id from alliances
    union all select 'memberships', alliance_id || '/' || site_id, simulated, origin, batch_id
    from memberships
    union all select 'county_metrics', county_adcode || '/' || year || '/' || metric, simulated,
        origin, batch_id
    from county_metrics
    union all select 'county_measures', county_adcode || '/' || year || '/' || measure, simulated,
        origin, batch_id
    from county_measures
    union all select 'county_judgements', county_adcode || '/' || year || '/' || indicator_id,
        simulated, origin, batch_id
    from county_judgements
    union all select 'activities', alliance_id || '/' || month, simulated, origin, batch_id
    from activities
    union all select 'funding', alliance_id || '/' || year, simulated, origin, batch_id
    from funding
    union all select 'milestones', alliance_id || '/' || date, simulated, origin, batch_id
    from milestones
    union all select 'figures', alliance_id || '/' || figure, origin = 'demo', origin, batch_id
    from figures
),

checks as (
    select n.tbl, n.row_key, 'name' as col, n.name as value,
        'simulated name lacks the 示例 mark' as rule
    from names n
    where n.origin = 'demo' and not contains(n.name, '示例')
    union all
    select n.tbl, n.row_key, 'name', n.name, 'simulated name equals a real name'
    from names n
    join real_names r on r.tbl = n.tbl and r.name = n.name
    where n.origin = 'demo'
    union all
    select tbl, row_key, 'simulated', cast(simulated as varchar), 'simulated is not origin = demo'
    from rows where simulated <> (origin = 'demo')
    union all
    select tbl, row_key, 'batch_id', coalesce(batch_id, ''), 'office row without a batch'
    from rows where origin = 'office' and batch_id is null
    union all
    select tbl, row_key, 'batch_id', batch_id, 'batch id on a row not imported'
    from rows where origin <> 'office' and batch_id is not null
    union all
    select tbl, row_key, 'batch_id', batch_id, 'unknown batch'
    from rows
    where origin = 'office' and batch_id not in (select batch_id from imports)
),

final as (
    select * from checks order by tbl, row_key, col
)

select * from final
