-- The most recently founded alliances, with the province of their lead.
with

latest as (
    select a.alliance_id, a.name, a.form, a.founded_on,
        coalesce(a.founded_precision, 'day') as founded_precision, a.simulated,
        s.county_adcode // 10000 * 10000 as province_adcode
    from alliances a
    join sites s on s.site_id = a.lead_site_id
    where a.alliance_id in (select alliance_id from scope_alliances($regions))
    order by a.founded_on desc, a.alliance_id
    limit $n
),

final as (
    select l.*, r.name as province_name, r.name_en as province_name_en
    from latest l
    join regions r on r.adcode = l.province_adcode
    order by l.founded_on desc, l.alliance_id
)

select * from final
