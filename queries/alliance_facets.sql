-- The values the alliance register can be filtered by: forms, scopes, single specialties, years,
-- tags (value: the Chinese tag; label_zh/label_en: the tag under its kind, e.g. 协作形式 · 远程会诊).
with

scoped as (
    select * from alliances where alliance_id in (select alliance_id from scope_alliances($regions))
),

forms as (
    select distinct 'form' as facet, form as value,
        list_position(['city_group', 'county_community', 'specialist', 'telemedicine',
            'hospital_government', 'hospital_pair', 'regional_centre', 'reform_zone',
            'partner_network', 'area_programme'], form)
            as sort_key
    from scoped
),

scopes as (
    select distinct 'scope' as facet, scope as value,
        list_position(['cross_province', 'province', 'city', 'county'], scope) as sort_key
    from scoped
),

-- "妇产科、儿科" is two specialties: each is offered on its own.
specialties as (
    select distinct 'specialty' as facet, trim(unnest(string_split(specialty, '、'))) as value,
        0 as sort_key
    from scoped
    where specialty is not null
),

years as (
    select distinct 'year' as facet, cast(year(founded_on) as varchar) as value,
        year(founded_on) as sort_key
    from scoped
),

tags as (
    select distinct 'tag' as facet, tag_zh as value, tag_en,
        list_position(
            ['form', 'platform', 'share', 'transfer', 'workstation', 'vertical', 'mechanism'], kind)
            as sort_key,
        kind
    from alliance_tags
    where alliance_id in (select alliance_id from scoped)
),

final as (
    select facet, value, sort_key, null as kind, null as tag_en from forms
    union all select facet, value, sort_key, null, null from scopes
    union all select facet, value, sort_key, null, null from specialties where value <> ''
    union all select facet, value, sort_key, null, null from years
    union all select facet, value, sort_key, kind, tag_en from tags
    order by facet, sort_key, value
)

select * from final
