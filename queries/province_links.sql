-- One province's links to other provinces through alliances active at the end of a year:
-- 'out' = led from this province with members there, 'in' = led from there with members here.
with

active as (
    select distinct alliance_id, county_adcode // 10000 * 10000 as province_adcode
    from member_years
    where year = least($year, (select max(year) from member_years))
        and county_adcode in (select county_adcode from scope_counties($regions))
),

leads as (
    select a.alliance_id, a.simulated, s.county_adcode // 10000 * 10000 as lead_adcode
    from alliances a
    join sites s on s.site_id = a.lead_site_id
    where a.founded_on <= make_date($year, 12, 31)
),

pairs as (
    select distinct
        l.alliance_id,
        l.simulated,
        case when l.lead_adcode = $province then 'out' else 'in' end as direction,
        case when l.lead_adcode = $province then m.province_adcode else l.lead_adcode end
            as other_adcode
    from leads l
    join active m on m.alliance_id = l.alliance_id
    where m.province_adcode <> l.lead_adcode
        and (l.lead_adcode = $province or m.province_adcode = $province)
),

counted as (
    select
        other_adcode,
        direction,
        count(*) as alliances,
        count(*) filter (not simulated) as real_alliances,
        bool_or(simulated) as simulated
    from pairs
    group by other_adcode, direction
),

final as (
    select
        c.*,
        o.name,
        o.name_en,
        here.lon as from_lon,
        here.lat as from_lat,
        o.lon as to_lon,
        o.lat as to_lat,
        (select count(distinct alliance_id) from pairs) as cross_alliances
    from counted c
    join regions o on o.adcode = c.other_adcode
    join regions here on here.adcode = $province
    order by c.alliances desc, c.other_adcode, c.direction
)

select * from final
