-- Rows per table, and how many of them are simulated.
with

counts as (
    select 'regions' as table_name, count(*) as rows, 0 as simulated_rows from regions
    union all select 'metrics', count(*), 0 from metrics
    union all select 'sites', count(*), count(*) filter (simulated) from sites
    union all select 'alliances', count(*), count(*) filter (simulated) from alliances
    union all select 'memberships', count(*), count(*) filter (simulated) from memberships
    union all select 'county_metrics', count(*), count(*) filter (simulated) from county_metrics
    union all select 'activities', count(*), count(*) filter (simulated) from activities
    union all select 'funding', count(*), count(*) filter (simulated) from funding
    union all select 'milestones', count(*), count(*) filter (simulated) from milestones
    union all select 'figures', count(*), 0 from figures
),

final as (
    select * from counts
)

select * from final
