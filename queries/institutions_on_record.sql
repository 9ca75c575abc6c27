-- 机构名录 · institutions on record: every institution in the register, whether or not it is in
-- an alliance now, by kind, tier and ownership; the directory's filters narrow it. Its sum is the
-- headline "机构名录" wherever it is shown (institutions page, downloads' captions).
with

matching as (
    select kind, tier, ownership, simulated
    from sites
    where county_adcode in (select county_adcode from scope_counties($regions))
        and ($province = 0 or county_adcode // 10000 * 10000 = $province)
        and ($kind = '' or kind = $kind)
        and ($tier = '' or tier = $tier)
        and ($ownership = '' or ownership = $ownership)
        -- a plain substring test: % and _ typed by the user are not wildcards
        and ($q = '' or contains(lower(name), lower($q)) or site_id = upper($q))
),

final as (
    select kind, tier, ownership, count(*) as institutions,
        count(*) filter (not simulated) as real_institutions, bool_or(simulated) as simulated
    from matching
    group by kind, tier, ownership
    order by
        list_position(['general', 'maternal_child', 'tcm', 'specialist', 'primary', 'other'], kind),
        list_position(['3A', '3', '2', '1', 'unrated'], tier),
        list_position(['public', 'private'], ownership)
)

select * from final
