-- One alliance's members (present and past): role, institution, place, dates, and the lead's point.
with

target as (
    select alliance_id, lead_site_id from alliances where alliance_id = $alliance
),

lead as (
    select s.lon as lead_lon, s.lat as lead_lat
    from target t
    join sites s on s.site_id = t.lead_site_id
),

final as (
    select m.site_id, s.name, m.role, m.site_id = t.lead_site_id as is_lead,
        s.kind, s.tier, s.ownership, s.county_adcode, county.name as county_name,
        s.county_adcode // 10000 * 10000 as province_adcode, province.name as province_name,
        province.name_en as province_name_en, s.lon, s.lat, lead.lead_lon, lead.lead_lat,
        m.joined_on, m.left_on, m.simulated or s.simulated as simulated
    from memberships m
    join target t using (alliance_id)
    join sites s using (site_id)
    cross join lead
    left join regions county on county.adcode = s.county_adcode
    left join regions province on province.adcode = s.county_adcode // 10000 * 10000
    where s.county_adcode in (select county_adcode from scope_counties($regions))
    order by list_position(['lead', 'chair', 'standing', 'council', 'member'], m.role),
        m.joined_on, s.name, m.site_id
)

select * from final
