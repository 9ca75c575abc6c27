-- Rows per table, and how many come from each layer: simulated (demo), the articles, imports;
-- of the session's regions only.
with

data_rows as (
    select 'sites' as table_name, origin from sites
        where county_adcode in (select county_adcode from scope_counties($regions))
    union all select 'alliances', origin from alliances
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'memberships', origin from memberships
        where site_id in (select site_id from scope_sites($regions))
    union all select 'county_measures', origin from county_measures
        where county_adcode in (select county_adcode from scope_counties($regions))
    union all select 'county_judgements', origin from county_judgements
        where county_adcode in (select county_adcode from scope_counties($regions))
    union all select 'county_metrics', origin from county_metrics
        where county_adcode in (select county_adcode from scope_counties($regions))
    union all select 'activities', origin from activities
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'funding', origin from funding
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'milestones', origin from milestones
        where alliance_id in (select alliance_id from scope_alliances($regions))
    union all select 'figures', origin from figures
        where alliance_id in (select alliance_id from scope_alliances($regions))
),

by_table as (
    select table_name, count(*) as rows,
        count(*) filter (origin = 'demo') as simulated_rows,
        count(*) filter (origin = 'article') as article_rows,
        count(*) filter (origin = 'office') as office_rows
    from data_rows
    group by table_name
),

counts as (
    select 'regions' as table_name, count(*) as rows, 0 as simulated_rows,
        0 as article_rows, 0 as office_rows, 0 as ord
    from regions
    where adcode in (
        select adcode from region_scope()
        where county_adcode in (select county_adcode from scope_counties($regions))
    )
    union all select 'indicators', count(*), 0, 0, 0, 1 from indicators
    union all select 'measures', count(*), 0, 0, 0, 1 from measures
    union all
    select t.name, coalesce(b.rows, 0), coalesce(b.simulated_rows, 0),
        coalesce(b.article_rows, 0), coalesce(b.office_rows, 0), t.ord
    from (
        values ('sites', 2), ('alliances', 3), ('memberships', 4), ('county_measures', 5),
            ('county_judgements', 5), ('county_metrics', 5), ('activities', 6), ('funding', 7),
            ('milestones', 8), ('figures', 9)
    ) as t(name, ord)
    left join by_table b on b.table_name = t.name
),

final as (
    select table_name, rows, simulated_rows, article_rows, office_rows from counts order by ord
)

select * from final
