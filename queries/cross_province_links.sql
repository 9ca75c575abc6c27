-- Pairs of provinces joined by cross-province alliances (lead's province to member's), up to a year.
with

pairs as (
    select distinct
        a.alliance_id,
        a.simulated,
        lead.county_adcode // 10000 * 10000 as from_adcode,
        member.county_adcode // 10000 * 10000 as to_adcode
    from alliances a
    join sites lead on lead.site_id = a.lead_site_id
    join member_counties member on member.alliance_id = a.alliance_id
    where year(a.founded_on) <= $year
        and member.county_adcode in (select county_adcode from scope_counties($regions))
        and lead.county_adcode // 10000 <> member.county_adcode // 10000
),

counted as (
    select from_adcode, to_adcode, count(distinct alliance_id) as alliances,
        count(distinct alliance_id) filter (not simulated) as real_alliances,
        bool_or(simulated) as simulated
    from pairs
    group by from_adcode, to_adcode
),

final as (
    select c.*, f.name as from_name, f.name_en as from_name_en, f.lon as from_lon,
        f.lat as from_lat, t.name as to_name, t.name_en as to_name_en, t.lon as to_lon,
        t.lat as to_lat
    from counted c
    join regions f on f.adcode = c.from_adcode
    join regions t on t.adcode = c.to_adcode
    order by alliances desc, from_adcode, to_adcode
)

select * from final
