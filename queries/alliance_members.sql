-- One alliance's members (present and past): role, tier in the alliance's model, institution,
-- place, dates (as exact as the source: the membership's own precision, else the founding's
-- when it joined then), and the lead's point.
-- Every member in the lead role is a lead (co-founders), not only the alliance's own lead.
-- The lead's point is exact only inside the session's regions; outside them it is the centroid
-- of the lead's province (the lines of a member map end there), never the institution's place.
with

target as (
    select alliance_id, lead_site_id, founded_on, coalesce(founded_precision, 'day') as precision
    from alliances
    where alliance_id = $alliance
),

tiers as (
    select t.site_id, t.tier, l.position as tier_position, l.name_zh as tier_name,
        l.name_en as tier_name_en
    from member_tiers t
    join alliance_tiers l using (alliance_id, tier)
    where t.alliance_id = $alliance
),

lead as (
    select
        case when visible then s.lon else province.lon end as lead_lon,
        case when visible then s.lat else province.lat end as lead_lat
    from (
        select s.*, s.county_adcode in (select county_adcode from scope_counties($regions))
            as visible
        from target t
        join sites s on s.site_id = t.lead_site_id
    ) s
    left join regions province on province.adcode = s.county_adcode // 10000 * 10000
),

final as (
    select m.site_id, s.name, m.role, m.role = 'lead' or m.site_id = t.lead_site_id as is_lead,
        m.site_id = t.lead_site_id as is_main_lead,
        tiers.tier as alliance_tier, tiers.tier_name, tiers.tier_name_en,
        s.kind, s.kind = 'government' as is_government, s.tier, s.ownership, s.county_adcode, county.name as county_name,
        s.county_adcode // 10000 * 10000 as province_adcode, province.name as province_name,
        province.name_en as province_name_en, s.lon, s.lat, lead.lead_lon, lead.lead_lat,
        m.joined_on,
        coalesce(m.joined_precision,
            case when m.joined_on = t.founded_on then t.precision else 'day' end) as joined_precision,
        m.left_on, m.simulated or s.simulated as simulated
    from memberships m
    join target t using (alliance_id)
    join sites s using (site_id)
    cross join lead
    left join tiers on tiers.site_id = m.site_id
    left join regions county on county.adcode = s.county_adcode
    left join regions province on province.adcode = s.county_adcode // 10000 * 10000
    where s.county_adcode in (select county_adcode from scope_counties($regions))
    order by tiers.tier_position nulls last,
        list_position(['lead', 'party', 'chair', 'standing', 'council', 'member'], m.role),
        s.kind <> 'government',
        m.site_id <> t.lead_site_id,
        m.joined_on, s.name, m.site_id
)

select * from final
