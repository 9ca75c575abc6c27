-- Members of one alliance over time: joins and departures per date, and the running total, carried
-- on to the data's as-of date.
with

events as (
    select joined_on as date, 1 as change, simulated
    from memberships
    where alliance_id = $alliance
        and alliance_id in (select alliance_id from scope_alliances($regions))
    union all
    select left_on, -1, simulated
    from memberships
    where alliance_id = $alliance and left_on is not null
        and alliance_id in (select alliance_id from scope_alliances($regions))
),

as_of as (
    select try_cast(value as date) as date from meta where key = 'as_of'
),

-- A flat tail to the as-of date, so a line does not seem to stop at the last join.
tail as (
    select a.date, 0 as change, bool_or(e.simulated) as simulated
    from as_of a, events e
    group by a.date
    having a.date > max(e.date)
),

by_date as (
    select date,
        count(*) filter (change > 0) as joined,
        count(*) filter (change < 0) as departed,
        sum(change) as change,
        bool_or(simulated) as simulated
    from events
    group by date
    union all
    select date, 0, 0, 0, simulated from tail
),

final as (
    select date, joined, departed,
        cast(sum(change) over (order by date rows unbounded preceding) as integer) as members,
        simulated
    from by_date
    order by date
)

select * from final
