-- Alliances founded per year and form, optionally in one province (0 = all).
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
    order by year, form
)

select * from final
