-- Alliances founded per year and form, optionally in one province (0 = all): the four forms of
-- the 2017 guideline first, then each other kind of cooperation on its own.
with

located as (
    select a.alliance_id, a.form, year(a.founded_on) as year, a.simulated,
        s.county_adcode // 10000 * 10000 as province_adcode
    from alliances a
    join sites s on s.site_id = a.lead_site_id
    where a.alliance_id in (select alliance_id from scope_alliances($regions))
),

final as (
    select year, form, count(*) as alliances, bool_or(simulated) as simulated
    from located
    where $province = 0 or province_adcode = $province
    group by year, form
    order by year,
        list_position(['city_group', 'county_community', 'specialist', 'telemedicine',
            'hospital_government', 'hospital_pair', 'regional_centre', 'reform_zone',
            'partner_network', 'area_programme'], form)
)

select * from final
