-- Headline figures for the national overview in one year.
with

scoped as (
    select * from alliances where alliance_id in (select alliance_id from scope_alliances($regions))
),

active_members as (
    select m.alliance_id, m.site_id, s.county_adcode // 10000 * 10000 as province_adcode,
        s.simulated
    from memberships m
    join sites s using (site_id)
    where m.joined_on <= make_date($year, 12, 31)
        and (m.left_on is null or m.left_on > make_date($year, 12, 31))
        and s.county_adcode in (select county_adcode from scope_counties($regions))
),

visit as (
    select count(*) as counties,
        count(*) filter (value >= (select target from metrics where metric_id = 'county_visit_rate'))
            as counties_on_target,
        bool_or(simulated) as simulated
    from county_metrics
    where metric = 'county_visit_rate' and year = $year
        and county_adcode in (select county_adcode from scope_counties($regions))
),

final as (
    select
        (select count(*) from scoped where year(founded_on) <= $year) as alliances,
        (select count(*) from scoped where year(founded_on) <= $year and not simulated)
            as real_alliances,
        (select count(distinct site_id) from active_members) as member_sites,
        (select count(distinct province_adcode) from active_members) as provinces_covered,
        (select count(*) from scoped
            where scope = 'cross_province' and year(founded_on) <= $year) as cross_province,
        visit.counties,
        visit.counties_on_target,
        visit.counties_on_target / nullif(visit.counties, 0) * 100 as pct_on_target,
        coalesce(visit.simulated or (select bool_or(simulated) from active_members), false)
            as simulated
    from visit
)

select * from final
