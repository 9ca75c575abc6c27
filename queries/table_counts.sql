-- Rows per table, and how many of them are simulated.
with

counts as (
    select 'regions' as table_name, count(*) as rows, 0 as simulated_rows from regions
        where adcode in (
            select adcode from region_scope()
            where county_adcode in (select county_adcode from scope_counties($regions))
        )
    union all select 'metrics', count(*), 0 from metrics
    union all select 'sites', count(*), count(*) filter (simulated) from sites
        where site_id in (select site_id from scope_sites($regions))
    union all select 'alliances', count(*), count(*) filter (simulated) from alliances
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'memberships', count(*), count(*) filter (simulated) from memberships
        where site_id in (select site_id from scope_sites($regions))
    union all select 'county_metrics', count(*), count(*) filter (simulated) from county_metrics
        where county_adcode in (select county_adcode from scope_counties($regions))
    union all select 'activities', count(*), count(*) filter (simulated) from activities
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'funding', count(*), count(*) filter (simulated) from funding
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'milestones', count(*), count(*) filter (simulated) from milestones
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'figures', count(*), 0 from figures
        where alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select * from counts
)

select * from final
