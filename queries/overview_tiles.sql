-- Headline figures for the national overview in one year. Alliances are the four forms of the
-- 2017 guideline; the other kinds of cooperation (院府合作, 院院合作, 区域医疗中心, 改革示范区, an
-- institution's partner network, an area's programme) are counted apart, never among them.
-- Member institutions and the provinces they cover: queries/member_institutions.sql.
with

all_scoped as (
    select *,
        form in ('city_group', 'county_community', 'specialist', 'telemedicine') as guideline
    from alliances where alliance_id in (select alliance_id from scope_alliances($regions))
),

scoped as (
    select * from all_scoped where guideline
),

others as (
    select * from all_scoped where not guideline and year(founded_on) <= $year
),

-- counties reaching the county visit rate's target (its own value, from its measures)
visit as (
    select counties, counties_on_target, simulated
    from indicator_values($regions, ['county_visit_rate'], $year, $year, 'nation', 0)
),

final as (
    select
        (select count(*) from scoped where year(founded_on) <= $year) as alliances,
        (select count(*) from scoped where year(founded_on) <= $year and not simulated)
            as real_alliances,
        (select count(*) from scoped
            where scope = 'cross_province' and year(founded_on) <= $year) as cross_province,
        (select count(*) from others) as other_kinds,
        (select count(*) from others where not simulated) as other_kinds_real,
        coalesce(visit.counties, 0) as counties,
        coalesce(visit.counties_on_target, 0) as counties_on_target,
        visit.counties_on_target / nullif(visit.counties, 0) * 100 as pct_on_target,
        coalesce(visit.simulated, false) as simulated
    from (select 1) as one
    left join visit on true
)

select * from final
