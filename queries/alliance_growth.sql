-- Members of one alliance over time: joins and departures per date (each date as exact as its
-- source: a month, a year, or "not later than"), and the running total, carried on to the date
-- the data know of: the article's date for an alliance from an article (what it says holds
-- then, not later), else the data's as-of date.
with

target as (
    select a.alliance_id, a.founded_on, coalesce(a.founded_precision, 'day') as precision,
        art.published_on
    from alliances a
    left join articles art on art.article_id = a.source
    where a.alliance_id = $alliance
        and a.alliance_id in (select alliance_id from scope_alliances($regions))
),

events as (
    select m.joined_on as date, 1 as change, m.simulated,
        coalesce(m.joined_precision,
            case when m.joined_on = t.founded_on then t.precision else 'day' end) as precision
    from memberships m
    join target t using (alliance_id)
    union all
    select m.left_on, -1, m.simulated, 'day'
    from memberships m
    join target t using (alliance_id)
    where m.left_on is not null
),

known_to as (
    select coalesce(
        (select published_on from target),
        (select try_cast(value as date) from meta where key = 'as_of')) as date
),

-- A flat tail to that date, so a line does not seem to stop at the last join.
tail as (
    select k.date, 0 as change, bool_or(e.simulated) as simulated
    from known_to k, events e
    group by k.date
    having k.date > max(e.date)
),

by_date as (
    select date,
        count(*) filter (change > 0) as joined,
        count(*) filter (change < 0) as departed,
        sum(change) as change,
        bool_or(simulated) as simulated,
        -- a date shared by a day-exact and a vaguer event reads as the vaguer
        max(precision) filter (precision <> 'day') as precision
    from events
    group by date
    union all
    select date, 0, 0, 0, simulated, 'day' from tail
),

final as (
    select date, coalesce(precision, 'day') as date_precision, joined, departed,
        cast(sum(change) over (order by date rows unbounded preceding) as integer) as members,
        simulated
    from by_date
    order by date
)

select * from final
