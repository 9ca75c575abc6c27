-- Every row that breaks the data contract (DESIGN.md §4); empty when the database is sound.
with

county as (
    select adcode from regions where level = 'county'
),

pct_metric as (
    select indicator_id as metric_id from indicators where unit = '%'
),

-- each ratio's numerator and denominator measure: a share's numerator never exceeds it
shares as (
    select numerator, denominator from indicators
    where kind = 'ratio' and scale = 100 and numerator is not null and denominator is not null
),

measure_pairs as (
    select n.county_adcode, n.year, s.numerator, s.denominator, n.value as n_value,
        d.value as d_value
    from shares s
    join county_measures n on n.measure = s.numerator
    join county_measures d
        on d.measure = s.denominator and d.county_adcode = n.county_adcode and d.year = n.year
),

terms as (
    select indicator_id, 'numerator' as col, numerator as measure from indicators
    union all select indicator_id, 'denominator', denominator from indicators
    union all select indicator_id, 'numerator2', numerator2 from indicators
    union all select indicator_id, 'denominator2', denominator2 from indicators
),

checks as (
    select 'memberships' as tbl, alliance_id || '/' || site_id as row_key, 'alliance_id' as col,
        alliance_id as value, 'unknown alliance' as rule
    from memberships where alliance_id not in (select alliance_id from alliances)
    union all
    select 'memberships', alliance_id || '/' || site_id, 'site_id', site_id, 'unknown site'
    from memberships where site_id not in (select site_id from sites)
    union all
    select 'alliances', alliance_id, 'lead_site_id', lead_site_id, 'unknown site'
    from alliances where lead_site_id not in (select site_id from sites)
    union all
    select 'alliances', alliance_id, 'lead_site_id', lead_site_id, 'lead is not a member'
    from alliances a
    where not exists (
        select 1 from memberships m where m.alliance_id = a.alliance_id and m.site_id = a.lead_site_id
    )
    union all
    select 'alliances', alliance_id, 'parent_alliance_id', parent_alliance_id, 'unknown alliance'
    from alliances
    where parent_alliance_id is not null
        and parent_alliance_id not in (select alliance_id from alliances)
    union all
    select 'sites', site_id, 'county_adcode', cast(county_adcode as varchar), 'unknown county'
    from sites
    where county_adcode not in (select adcode from county)
        -- a government party's region may be a city or a province (蚌埠市卫健委: 340300)
        and not (kind = 'government' and county_adcode in (select adcode from regions))
    union all
    select 'county_metrics', county_adcode || '/' || year || '/' || metric, 'county_adcode',
        cast(county_adcode as varchar), 'unknown county'
    from county_metrics where county_adcode not in (select adcode from county)
    union all
    select 'county_metrics', county_adcode || '/' || year || '/' || metric, 'metric', metric,
        'unknown metric'
    from county_metrics where metric not in (select indicator_id from indicators)
    union all
    select 'county_metrics', county_adcode || '/' || year || '/' || metric, 'value',
        cast(value as varchar), 'rate outside 0-100'
    from county_metrics
    where metric in (select metric_id from pct_metric) and (value < 0 or value > 100)
    union all
    select 'county_metrics', county_adcode || '/' || year || '/' || metric, 'value',
        cast(value as varchar), 'negative count'
    from county_metrics where value < 0
    union all
    select 'county_metrics', county_adcode || '/' || year || '/' || metric, 'year',
        cast(year as varchar), 'future date'
    from county_metrics where year > year(cast($today as date))
    union all
    select 'county_measures', county_adcode || '/' || year || '/' || measure, 'county_adcode',
        cast(county_adcode as varchar), 'unknown county'
    from county_measures where county_adcode not in (select adcode from county)
    union all
    select 'county_measures', county_adcode || '/' || year || '/' || measure, 'measure', measure,
        'unknown measure'
    from county_measures where measure not in (select measure_id from measures)
    union all
    select 'county_measures', county_adcode || '/' || year || '/' || measure, 'year',
        cast(year as varchar), 'future date'
    from county_measures where year > year(cast($today as date))
    union all
    select 'county_measures', county_adcode || '/' || year || '/' || numerator, 'value',
        cast(n_value as varchar), 'numerator above its denominator (' || denominator || ')'
    from measure_pairs where n_value > d_value
    union all
    select 'county_judgements', county_adcode || '/' || year || '/' || indicator_id,
        'indicator_id', indicator_id, 'not a qualitative indicator'
    from county_judgements
    where indicator_id not in (select indicator_id from indicators where kind = 'qualitative')
    union all
    select 'county_judgements', county_adcode || '/' || year || '/' || indicator_id,
        'county_adcode', cast(county_adcode as varchar), 'unknown county'
    from county_judgements where county_adcode not in (select adcode from county)
    union all
    select 'indicators', indicator_id, col, measure, 'unknown measure'
    from terms where measure is not null and measure not in (select measure_id from measures)
    union all
    select 'indicators', indicator_id, 'kind', kind, 'terms missing for its kind'
    from indicators
    where (kind in ('ratio', 'per_10k', 'level_growth') and (numerator is null or denominator is null))
        or (kind = 'per_capita_ratio' and (numerator is null or denominator is null
            or numerator2 is null or denominator2 is null))
        or (kind = 'count' and numerator is null)
    union all
    select 'indicators', indicator_id, 'set_id', set_id, 'unknown indicator set'
    from indicators where set_id not in (select set_id from indicator_sets)
    union all
    select 'indicators', indicator_id, 'area', area, 'unknown area'
    from indicators where area not in (select area from indicator_areas)
    union all
    select 'activities', alliance_id || '/' || month, 'alliance_id', alliance_id, 'unknown alliance'
    from activities where alliance_id not in (select alliance_id from alliances)
    union all
    select 'activities', alliance_id || '/' || month, 'month', cast(month as varchar), 'future date'
    from activities where month > cast($today as date)
    union all
    select 'funding', alliance_id || '/' || year, 'alliance_id', alliance_id, 'unknown alliance'
    from funding where alliance_id not in (select alliance_id from alliances)
    union all
    select 'milestones', alliance_id || '/' || date, 'alliance_id', alliance_id, 'unknown alliance'
    from milestones where alliance_id not in (select alliance_id from alliances)
    union all
    select 'milestones', alliance_id || '/' || date, 'date', cast(date as varchar), 'future date'
    from milestones where date > cast($today as date)
    union all
    select 'figures', alliance_id || '/' || figure, 'alliance_id', alliance_id, 'unknown alliance'
    from figures where alliance_id not in (select alliance_id from alliances)
    union all
    select 'alliances', alliance_id, 'founded_on', cast(founded_on as varchar), 'future date'
    from alliances where founded_on > cast($today as date)
    union all
    select 'memberships', alliance_id || '/' || site_id, 'joined_on', cast(joined_on as varchar),
        'future date'
    from memberships where joined_on > cast($today as date)
    union all
    select 'memberships', alliance_id || '/' || site_id, 'left_on', cast(left_on as varchar),
        'left before joining'
    from memberships where left_on < joined_on
    union all
    select tbl, row_key, col, value, 'unknown precision'
    from (
        select 'alliances' as tbl, alliance_id as row_key, 'founded_precision' as col,
            founded_precision as value
        from alliances
        union all select 'milestones', alliance_id || '/' || date, 'date_precision', date_precision
        from milestones
        union all select 'memberships', alliance_id || '/' || site_id, 'joined_precision',
            joined_precision
        from memberships
    )
    where value is not null and value not in ('day', 'month', 'year', 'by')
    union all
    select tbl, row_key, 'source', source, 'unknown article'
    from (
        select 'alliances' as tbl, alliance_id as row_key, source from alliances
        union all select 'sites', site_id, source from sites
        union all select 'memberships', alliance_id || '/' || site_id, source from memberships
        union all select 'milestones', alliance_id || '/' || date, source from milestones
        union all select 'figures', alliance_id || '/' || figure, source from figures
    )
    where source like 'article:%'
        and source not in (select article_id from articles)
),

final as (
    select * from checks order by tbl, row_key, col
)

select * from final
