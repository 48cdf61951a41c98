-- The leaderboard snapshot is one hour of the week, or none.
select count(*) as snapshot_hours
from {{ ref('int_consumption_snapshot_inferred') }}
where is_snapshot
having count(*) > 1
