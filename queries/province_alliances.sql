-- Alliances active in one province at the end of a year (a lead or member site there), the
-- first $limit of them; total and led_total count them all.
with

-- member_years: members per alliance, county and year (stored at build)
active as (
    select alliance_id, county_adcode // 10000 * 10000 as province_adcode, members,
        county_adcode in (select county_adcode from scope_counties($regions)) as in_scope
    from member_years
    where year = least($year, (select max(year) from member_years))
),

here as (
    select distinct alliance_id
    from active
    where province_adcode = $province and in_scope
),

touching as (
    select
        alliance_id,
        sum(members)::bigint as members,
        sum(members) filter (province_adcode = $province and in_scope)::bigint as members_here,
        count(distinct province_adcode) as provinces
    from active
    where alliance_id in (select alliance_id from here)
    group by alliance_id
),

described as (
    select
        a.alliance_id,
        a.name,
        a.form,
        a.specialty,
        a.scope,
        a.founded_on,
        coalesce(a.founded_precision, 'day') as founded_precision,
        t.members,
        t.members_here,
        t.provinces,
        lead_province.adcode as lead_province_adcode,
        lead_province.name as lead_province,
        lead_province.name_en as lead_province_en,
        lead_province.adcode = $province as led_here,
        a.simulated
    from touching t
    join alliances a on a.alliance_id = t.alliance_id
    join sites lead on lead.site_id = a.lead_site_id
    join regions lead_province on lead_province.adcode = lead.county_adcode // 10000 * 10000
    where a.founded_on <= make_date($year, 12, 31)
),

final as (
    select
        *,
        count(*) over () as total,
        count(*) filter (where led_here) over () as led_total
    from described
    -- real alliances (from the articles) first, then the widest presence in the province
    order by simulated, members_here desc, members desc, alliance_id
    limit $limit
)

select * from final
