-- The floor of `airoi bench`: what a good analyst's one-off DuckDB script takes to compute, straight
-- from the landing zone's files (no ingest, no dbt), the weekly numbers behind
-- `marts.fct_engineer_weekly` per engineer and ISO week: ai_total_tokens, ai_cost_usd, prs_merged,
-- median_pr_cycle_hours (the median of the week's merged pull requests' cycle hours) and
-- reviews_given.
--
-- How to run it: replace every {landing} with the absolute path of the landing folder (the bench does
-- this with Python's str.replace), then run the statements in order on an in-memory DuckDB connection.
-- They are separated by semicolons and no comment or literal holds one, so splitting on them is safe.
-- The last statement is the select of the result: employee_id, week_start and the five measures, one
-- row per engineer and week with any of them.
--
-- It applies the warehouse's rules, so that its result equals the mart exactly:
-- - Files (orchestration/landing/find.py, ingest.py): every file under a table's folder with a known
--   ending, except names starting with `_` or `.` at any depth and empty files. Files land in the order
--   of their modification time, then path. A file with the same bytes as one landed before in the same
--   table is a replay and is not read (only files of equal size are hashed to find those).
-- - Quarantine (orchestration/landing/quarantine.py, read.py): values are typed as ingest types them
--   (text trimmed, empty text is null, text timestamps without an offset are UTC), and a row with a
--   missing required value, a value of the wrong type, a timestamp outside 2000-01-01 .. now + 2 days,
--   a negative count or cost, or a value that is not an accepted one counts nowhere. Malformed lines
--   of JSON lines files are skipped.
-- - Deduplication (orchestration/landing/merge.py): per contract key, the last landed copy wins (last
--   file, then last row in it), among the rows that passed quarantine.
-- - Identity (models/intermediate/identity): an account is its identities row (source system and
--   lower-cased account, the most recently landed row first) when that employee is in people, else the
--   people row with its email (the current employee, then the latest hire), else, for a GitHub login,
--   the one employee its commit emails resolve to. Bot logins (the patterns of seeds/bot_accounts.csv)
--   and accounts of people who are bots belong to no one.
-- - Cost (models/marts/fct_ai_usage_events.sql, int_model_prices.sql): cost_usd as billed, else the
--   event's tokens at the price of its model (or of the model's family, without a release date) on its
--   UTC day: the organisation's model_prices from their first row for a model on, the list prices of
--   seeds/model_list_prices.csv before that and for other models. Each event's cost is rounded to
--   decimal(18, 9), as the warehouse stores it, and then summed.
-- - Measures (models/intermediate/engineering/int_engineer_weeks_measured.sql): weeks are ISO weeks in
--   UTC. Tokens and cost by occurred_at, merged pull requests of non-bot authors by merged_at with
--   cycle hours from coalesce(first_commit_at, created_at) to merged_at, reviews by submitted_at that
--   are not on the reviewer's own pull request (same login or same employee), each for a non-bot people
--   row and only in the weeks from their hire to their leaving (int_engineer_weeks_spined.sql).
--
-- Limits: it reads the formats a generated landing zone (`airoi generate`) uses: usage events as
-- Parquet and JSON lines, people and model prices as CSV, identities and reviews as JSON lines, pull
-- requests and commits as Parquet (a table with no file in such a format stops it with DuckDB's "needs
-- at least one file" error). Vendor export folders are not read. DuckDB's CSV sniffer rejects a CSV
-- file with a line of the wrong number of fields, so such a file stops the script with an error where
-- ingest would quarantine the line (the generator writes those only into deployments, which no
-- measure here reads). Modification times come to the second, so two files landed within one second
-- are ordered by path.

set TimeZone = 'UTC';

set variable latest_plausible = cast(now() as timestamp) + interval 2 day;

-- Text as ingest cleans it: trimmed of spaces, tabs and line breaks, empty as null.
create or replace temp macro clean_text(value) as
    nullif(case when value[1] <= ' ' or value[-1] <= ' ' then trim(value, e' \t\r\n') else value end, '');

create or replace temp macro text_integer(value) as
    case when try_cast(clean_text(value) as double) % 1 = 0 then try_cast(clean_text(value) as bigint) end;

create or replace temp macro text_timestamp(value) as
    try_cast(try_cast(clean_text(value) as timestamptz) as timestamp);

-- Whether a typed value could not be typed (for optional columns: text present, no typed value).
create or replace temp macro untyped(value, typed) as
    clean_text(value) is not null and typed is null;

create or replace temp macro implausible(ts) as
    coalesce(ts < timestamp '2000-01-01' or ts > getvariable('latest_plausible'), false);

create or replace temp macro account_login(account) as
    case
        when lower(account) like '%+%@users.noreply.github.com'
            then split_part(split_part(lower(account), '@', 1), '+', 2)
        when account like '%@%' then split_part(lower(account), '@', 1)
        else lower(account)
    end;

create or replace temp macro is_bot_login(account) as
    account_login(account) like '%[bot]'
    or account_login(account) in (
        'dependabot', 'dependabot-preview', 'renovate', 'renovate-bot', 'github-actions', 'snyk-bot',
        'greenkeeper', 'mergify', 'imgbot', 'pre-commit-ci', 'codecov', 'sonarcloud', 'allcontributors',
        'semantic-release-bot', 'web-flow'
    );

create or replace temp macro iso_week(ts) as cast(date_trunc('week', ts) as date);

-- The landing zone's data files, in landing order.
create or replace temp table landing_files as
select
    filename,
    size,
    cast(last_modified as timestamp) as landed_at,
    relative,
    split_part(relative, '/', 1) as table_name,
    case lower(regexp_extract(relative, '\.[^./]*$'))
        when '.parquet' then 'parquet'
        when '.csv' then 'csv'
        when '.jsonl' then 'jsonl'
        when '.ndjson' then 'jsonl'
    end as reader
from (
    select
        filename,
        size,
        last_modified,
        substr(filename, length('{landing}') + 2) as relative
    from read_blob('{landing}/*/**')
)
where not regexp_matches(relative, '(^|/)[_.]');

set variable same_size_files = (
    select coalesce(list(filename), []::varchar[])
    from (
        select
            filename,
            count(*) over (partition by table_name, size) as files_of_size
        from landing_files
        where reader is not null and size > 0
    )
    where files_of_size > 1
);

create or replace temp table files as
select
    landing_files.filename,
    landing_files.table_name,
    landing_files.reader,
    landing_files.landed_at,
    row_number() over (order by landing_files.landed_at, landing_files.relative) as file_seq
from landing_files
left join (
    select
        filename,
        sha256(content) as content_hash
    from read_blob(getvariable('same_size_files'))
) as hashes
    on landing_files.filename = hashes.filename
where landing_files.reader is not null and landing_files.size > 0
qualify row_number() over (
    partition by landing_files.table_name, coalesce(hashes.content_hash, landing_files.filename)
    order by landing_files.landed_at, landing_files.relative
) = 1;

set variable usage_parquet = (
    select list(filename order by file_seq) from files
    where table_name = 'ai_usage_events' and reader = 'parquet'
);

set variable usage_jsonl = (
    select list(filename order by file_seq) from files
    where table_name = 'ai_usage_events' and reader = 'jsonl'
);

set variable people_csv = (
    select list(filename order by file_seq) from files where table_name = 'people' and reader = 'csv'
);

set variable model_prices_csv = (
    select list(filename order by file_seq) from files where table_name = 'model_prices' and reader = 'csv'
);

set variable identities_jsonl = (
    select list(filename order by file_seq) from files where table_name = 'identities' and reader = 'jsonl'
);

set variable pull_requests_parquet = (
    select list(filename order by file_seq) from files
    where table_name = 'pull_requests' and reader = 'parquet'
);

set variable pr_reviews_jsonl = (
    select list(filename order by file_seq) from files where table_name = 'pr_reviews' and reader = 'jsonl'
);

set variable commits_parquet = (
    select list(filename order by file_seq) from files where table_name = 'commits' and reader = 'parquet'
);

-- People: one row per employee_id, with whether the row is a bot.
create or replace temp table people as
with
landed as (
    select
        files.file_seq,
        source.ordinality as row_seq,
        clean_text(source.employee_id) as employee_id,
        clean_text(source.email) as email,
        clean_text(source.team_id) as team_id,
        clean_text(source.role) as role,
        try_cast(clean_text(source.hired_on) as date) as hired_on,
        try_cast(clean_text(source.left_on) as date) as left_on,
        source.hired_on as hired_on_text,
        source.left_on as left_on_text,
        source.annual_loaded_cost_usd as cost_text,
        try_cast(clean_text(source.annual_loaded_cost_usd) as decimal(18, 6)) as annual_loaded_cost_usd
    from read_csv(
        getvariable('people_csv'),
        header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ignore_errors = true,
        union_by_name = true, filename = true, hive_partitioning = false
    ) with ordinality as source
    inner join files on source.filename = files.filename
)

select
    employee_id,
    lower(email) as email,
    lower(role) as role,
    hired_on,
    left_on,
    is_bot_login(lower(email)) or coalesce(lower(role) = 'bot', false) as is_bot
from landed
where
    employee_id is not null
    and email is not null
    and team_id is not null
    and not untyped(hired_on_text, hired_on)
    and not untyped(left_on_text, left_on)
    and not untyped(cost_text, annual_loaded_cost_usd)
    and coalesce(annual_loaded_cost_usd >= 0, true)
qualify row_number() over (partition by employee_id order by file_seq desc, row_seq desc) = 1;

-- The email directory: one employee per email, the current employee first, then the latest hire.
create or replace temp table email_directory as
select
    email,
    employee_id
from people
qualify row_number() over (
    partition by email
    order by case when left_on is null then 0 else 1 end asc, hired_on desc, employee_id asc
) = 1;

-- The identity map: one employee per source system and lower-cased account, the last landed row first.
create or replace temp table identity_map as
with
landed as (
    select
        files.file_seq,
        files.landed_at,
        source.ordinality as row_seq,
        clean_text(source.source_system) as source_system,
        clean_text(source.account_id) as account_id,
        clean_text(source.employee_id) as employee_id
    from read_json(
        getvariable('identities_jsonl'),
        format = 'newline_delimited', ignore_errors = true, filename = true, hive_partitioning = false,
        columns = {source_system: 'VARCHAR', account_id: 'VARCHAR', employee_id: 'VARCHAR'}
    ) with ordinality as source
    inner join files on source.filename = files.filename
),

deduplicated as (
    select *
    from landed
    where source_system is not null and account_id is not null and employee_id is not null
    qualify row_number() over (
        partition by source_system, account_id order by file_seq desc, row_seq desc
    ) = 1
)

select
    lower(source_system) as source_system,
    lower(account_id) as account_key,
    employee_id
from deduplicated
qualify row_number() over (
    partition by lower(source_system), lower(account_id) order by landed_at desc, employee_id asc
) = 1;

-- Prices per token: the organisation's timeline of a model from its first price on, list prices before
-- it and for every model the organisation does not price.
create or replace temp table model_prices as
with
landed as (
    select
        files.file_seq,
        source.ordinality as row_seq,
        clean_text(source.model) as model,
        try_cast(clean_text(source.effective_from) as date) as effective_from,
        try_cast(clean_text(source.input_usd_per_mtok) as decimal(18, 6)) as input_usd_per_mtok,
        try_cast(clean_text(source.cached_input_usd_per_mtok) as decimal(18, 6)) as cached_input_usd_per_mtok,
        try_cast(clean_text(source.cache_write_usd_per_mtok) as decimal(18, 6)) as cache_write_usd_per_mtok,
        try_cast(clean_text(source.output_usd_per_mtok) as decimal(18, 6)) as output_usd_per_mtok
    from read_csv(
        getvariable('model_prices_csv'),
        header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', ignore_errors = true,
        union_by_name = true, filename = true, hive_partitioning = false
    ) with ordinality as source
    inner join files on source.filename = files.filename
),

deduplicated as (
    select *
    from landed
    where
        model is not null
        and effective_from is not null
        and input_usd_per_mtok >= 0
        and cached_input_usd_per_mtok >= 0
        and cache_write_usd_per_mtok >= 0
        and output_usd_per_mtok >= 0
    qualify row_number() over (partition by model, effective_from order by file_seq desc, row_seq desc) = 1
),

org_prices as (
    select
        lower(model) as model,
        effective_from,
        input_usd_per_mtok,
        cached_input_usd_per_mtok,
        cache_write_usd_per_mtok,
        output_usd_per_mtok
    from deduplicated
),

list_prices as (
    select
        model,
        cast(effective_from as date) as effective_from,
        cast(input_usd_per_mtok as decimal(18, 6)) as input_usd_per_mtok,
        cast(cached_input_usd_per_mtok as decimal(18, 6)) as cached_input_usd_per_mtok,
        cast(cache_write_usd_per_mtok as decimal(18, 6)) as cache_write_usd_per_mtok,
        cast(output_usd_per_mtok as decimal(18, 6)) as output_usd_per_mtok
    from (
        values
            ('claude-opus-4-1', '2025-01-01', '15', '1.50', '18.75', '75'),
            ('claude-sonnet-4-5', '2025-01-01', '3', '0.30', '3.75', '15'),
            ('claude-haiku-4-5', '2025-01-01', '1', '0.10', '1.25', '5'),
            ('gpt-5', '2025-01-01', '1.25', '0.125', '1.25', '10'),
            ('gpt-5-mini', '2025-01-01', '0.25', '0.025', '0.25', '2'),
            ('gpt-4.1', '2025-01-01', '2', '0.50', '2', '8')
    ) as seed (
        model, effective_from, input_usd_per_mtok, cached_input_usd_per_mtok, cache_write_usd_per_mtok,
        output_usd_per_mtok
    )
),

org_price_starts as (
    select
        model,
        min(effective_from) as first_org_effective_from
    from org_prices
    group by model
),

combined as (
    select * from org_prices

    union all

    select list_prices.*
    from list_prices
    left join org_price_starts
        on list_prices.model = org_price_starts.model
    where
        org_price_starts.model is null
        or list_prices.effective_from < org_price_starts.first_org_effective_from
)

select
    model,
    effective_from,
    lead(effective_from) over (partition by model order by effective_from) as valid_to,
    cast(input_usd_per_mtok * 0.000001 as decimal(18, 12)) as input_usd_per_token,
    cast(cached_input_usd_per_mtok * 0.000001 as decimal(18, 12)) as cached_input_usd_per_token,
    cast(cache_write_usd_per_mtok * 0.000001 as decimal(18, 12)) as cache_write_usd_per_token,
    cast(output_usd_per_mtok * 0.000001 as decimal(18, 12)) as output_usd_per_token
from combined;

-- Usage events that pass quarantine, typed as ingest types them. Each row carries its landing position
-- (file, then row) and a hash of its key.
create or replace temp table usage_rows as
with
landed as materialized (
    select
        files.file_seq * 4294967296 + source.file_row_number as landed_seq,
        clean_text(source.event_id) as event_id,
        clean_text(source.source_tool) as source_tool,
        clean_text(source.actor_id) as actor_id,
        clean_text(source.model) as model,
        try_cast(source.occurred_at as timestamp) as occurred_at,
        source.input_tokens,
        source.cached_input_tokens,
        source.cache_write_tokens,
        source.output_tokens,
        cast(source.cost_usd as decimal(18, 6)) as cost_usd,
        source.lines_suggested,
        source.lines_accepted,
        false as has_untyped_value
    from read_parquet(
        getvariable('usage_parquet'),
        filename = true, file_row_number = true, hive_partitioning = false, union_by_name = true
    ) as source
    inner join files on source.filename = files.filename

    union all

    select
        files.file_seq * 4294967296 + source.ordinality as landed_seq,
        clean_text(source.event_id) as event_id,
        clean_text(source.source_tool) as source_tool,
        clean_text(source.actor_id) as actor_id,
        clean_text(source.model) as model,
        text_timestamp(source.occurred_at) as occurred_at,
        text_integer(source.input_tokens) as input_tokens,
        text_integer(source.cached_input_tokens) as cached_input_tokens,
        text_integer(source.cache_write_tokens) as cache_write_tokens,
        text_integer(source.output_tokens) as output_tokens,
        try_cast(clean_text(source.cost_usd) as decimal(18, 6)) as cost_usd,
        text_integer(source.lines_suggested) as lines_suggested,
        text_integer(source.lines_accepted) as lines_accepted,
        untyped(source.cached_input_tokens, text_integer(source.cached_input_tokens))
        or untyped(source.cache_write_tokens, text_integer(source.cache_write_tokens))
        or untyped(source.cost_usd, try_cast(clean_text(source.cost_usd) as decimal(18, 6)))
        or untyped(source.lines_suggested, text_integer(source.lines_suggested))
        or untyped(source.lines_accepted, text_integer(source.lines_accepted)) as has_untyped_value
    from read_json(
        getvariable('usage_jsonl'),
        format = 'newline_delimited', ignore_errors = true, filename = true, hive_partitioning = false,
        columns = {
            event_id: 'VARCHAR', occurred_at: 'VARCHAR', source_tool: 'VARCHAR', actor_id: 'VARCHAR',
            model: 'VARCHAR', input_tokens: 'VARCHAR', cached_input_tokens: 'VARCHAR',
            cache_write_tokens: 'VARCHAR', output_tokens: 'VARCHAR', cost_usd: 'VARCHAR',
            lines_suggested: 'VARCHAR', lines_accepted: 'VARCHAR'
        }
    ) with ordinality as source
    inner join files on source.filename = files.filename
)

select
    landed_seq,
    hash(source_tool, event_id) as key_hash,
    event_id,
    source_tool,
    actor_id,
    model,
    occurred_at,
    input_tokens,
    coalesce(cached_input_tokens, 0) as cached_input_tokens,
    coalesce(cache_write_tokens, 0) as cache_write_tokens,
    output_tokens,
    cost_usd
from landed
where
    event_id is not null
    and source_tool is not null
    and actor_id is not null
    and model is not null
    and occurred_at is not null
    and not implausible(occurred_at)
    and input_tokens >= 0
    and output_tokens >= 0
    and coalesce(cached_input_tokens >= 0, true)
    and coalesce(cache_write_tokens >= 0, true)
    and coalesce(cost_usd >= 0, true)
    and coalesce(lines_suggested >= 0, true)
    and coalesce(lines_accepted >= 0, true)
    and not has_untyped_value;

-- Usage per account and week: each key's last landed copy (only the rows whose key hash repeats are
-- ranked to find the copies a later one replaced), priced where no cost was billed.
create or replace temp table usage_weeks as
with
superseded as (
    select landed_seq
    from usage_rows
    where key_hash in (select key_hash from usage_rows group by key_hash having count(*) > 1)
    qualify row_number() over (partition by source_tool, event_id order by landed_seq desc) > 1
),

events as (
    select
        lower(source_tool) as source_tool,
        case when actor_id like '%@%' then lower(actor_id) else actor_id end as actor_id,
        lower(model) as model,
        occurred_at,
        cast(occurred_at as date) as usage_date,
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        cost_usd
    from usage_rows
    anti join superseded using (landed_seq)
),

unpriced_days as (
    select distinct
        model,
        usage_date
    from events
    where cost_usd is null
),

-- A price per token has twelve decimals: as an integer count of 1e-12 dollars, an event's cost is
-- exact in integer arithmetic, then rounded half up to the nine decimals the warehouse stores.
day_prices as (
    select
        unpriced_days.model,
        unpriced_days.usage_date,
        cast(
            1000000000000 * coalesce(exact_prices.input_usd_per_token, family_prices.input_usd_per_token)
            as bigint
        ) as input_price,
        cast(
            1000000000000
            * coalesce(exact_prices.cached_input_usd_per_token, family_prices.cached_input_usd_per_token)
            as bigint
        ) as cached_input_price,
        cast(
            1000000000000
            * coalesce(exact_prices.cache_write_usd_per_token, family_prices.cache_write_usd_per_token)
            as bigint
        ) as cache_write_price,
        cast(
            1000000000000 * coalesce(exact_prices.output_usd_per_token, family_prices.output_usd_per_token)
            as bigint
        ) as output_price
    from unpriced_days
    left join model_prices as exact_prices
        on
            unpriced_days.model = exact_prices.model
            and unpriced_days.usage_date >= exact_prices.effective_from
            and (exact_prices.valid_to is null or unpriced_days.usage_date < exact_prices.valid_to)
    left join model_prices as family_prices
        on
            regexp_replace(unpriced_days.model, '-(20[0-9]{6}|20[0-9]{2}-[0-9]{2}-[0-9]{2})$', '')
            = family_prices.model
            and unpriced_days.usage_date >= family_prices.effective_from
            and (family_prices.valid_to is null or unpriced_days.usage_date < family_prices.valid_to)
),

billed_weeks as (
    select
        source_tool,
        actor_id,
        iso_week(occurred_at) as week_start,
        sum(input_tokens + cached_input_tokens + cache_write_tokens + output_tokens) as ai_total_tokens,
        sum(cast(cost_usd as decimal(18, 9))) as ai_cost_usd
    from events
    where cost_usd is not null
    group by all
),

priced_weeks as (
    select
        events.source_tool,
        events.actor_id,
        iso_week(events.occurred_at) as week_start,
        sum(
            events.input_tokens
            + events.cached_input_tokens
            + events.cache_write_tokens
            + events.output_tokens
        ) as ai_total_tokens,
        cast(
            sum(
                (
                    events.input_tokens * day_prices.input_price
                    + events.cached_input_tokens * day_prices.cached_input_price
                    + events.cache_write_tokens * day_prices.cache_write_price
                    + events.output_tokens * day_prices.output_price
                    + 500
                ) // 1000
            ) as decimal(18, 0)
        ) * cast(0.000000001 as decimal(10, 9)) as ai_cost_usd
    from events
    left join day_prices
        on events.model = day_prices.model and events.usage_date = day_prices.usage_date
    where events.cost_usd is null
    group by all
)

select
    source_tool,
    actor_id,
    week_start,
    sum(ai_total_tokens) as ai_total_tokens,
    sum(ai_cost_usd) as ai_cost_usd
from (
    select * from billed_weeks
    union all
    select * from priced_weeks
)
group by all;

-- Pull requests, one row per (repo, pr_number): the last landed copy of those that pass quarantine.
create or replace temp table pull_requests as
with
valid as materialized (
    select *
    from (
        select
            files.file_seq * 4294967296 + source.file_row_number as landed_seq,
            clean_text(source.repo) as repo,
            try_cast(source.pr_number as bigint) as pr_number,
            clean_text(source.author_login) as author_login,
            try_cast(source.created_at as timestamp) as created_at,
            try_cast(source.ready_for_review_at as timestamp) as ready_for_review_at,
            try_cast(source.first_commit_at as timestamp) as first_commit_at,
            try_cast(source.merged_at as timestamp) as merged_at,
            try_cast(source.closed_at as timestamp) as closed_at,
            source.additions,
            source.deletions,
            source.changed_files
        from read_parquet(
            getvariable('pull_requests_parquet'),
            filename = true, file_row_number = true, hive_partitioning = false, union_by_name = true
        ) as source
        inner join files on source.filename = files.filename
    )
    where
        repo is not null
        and pr_number is not null
        and author_login is not null
        and created_at is not null
        and not implausible(created_at)
        and not implausible(ready_for_review_at)
        and not implausible(first_commit_at)
        and not implausible(merged_at)
        and not implausible(closed_at)
        and coalesce(additions >= 0, true)
        and coalesce(deletions >= 0, true)
        and coalesce(changed_files >= 0, true)
),

superseded as (
    select landed_seq
    from valid
    where hash(repo, pr_number) in (select hash(repo, pr_number) from valid group by all having count(*) > 1)
    qualify row_number() over (partition by repo, pr_number order by landed_seq desc) > 1
)

select
    repo,
    pr_number,
    author_login,
    created_at,
    first_commit_at,
    merged_at
from valid
anti join superseded using (landed_seq);

-- Reviews, one row per (repo, review_id): the last landed copy of those that pass quarantine.
create or replace temp table pr_reviews as
with
valid as materialized (
    select *
    from (
        select
            files.file_seq * 4294967296 + source.ordinality as landed_seq,
            clean_text(source.repo) as repo,
            text_integer(source.pr_number) as pr_number,
            clean_text(source.review_id) as review_id,
            clean_text(source.reviewer_login) as reviewer_login,
            upper(clean_text(source.state)) as state,
            text_timestamp(source.submitted_at) as submitted_at
        from read_json(
            getvariable('pr_reviews_jsonl'),
            format = 'newline_delimited', ignore_errors = true, filename = true, hive_partitioning = false,
            columns = {
                repo: 'VARCHAR', pr_number: 'VARCHAR', review_id: 'VARCHAR', reviewer_login: 'VARCHAR',
                state: 'VARCHAR', submitted_at: 'VARCHAR'
            }
        ) with ordinality as source
        inner join files on source.filename = files.filename
    )
    where
        repo is not null
        and pr_number is not null
        and review_id is not null
        and reviewer_login is not null
        and state in ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED')
        and submitted_at is not null
        and not implausible(submitted_at)
),

superseded as (
    select landed_seq
    from valid
    where hash(repo, review_id) in (select hash(repo, review_id) from valid group by all having count(*) > 1)
    qualify row_number() over (partition by repo, review_id order by landed_seq desc) > 1
)

select
    repo,
    pr_number,
    reviewer_login,
    submitted_at
from valid
anti join superseded using (landed_seq);

-- The (login, email) pairs that author commits together, of the last landed copies of the commits
-- that pass quarantine.
create or replace temp table commit_authors as
with
valid as materialized (
    select
        landed_seq,
        repo,
        sha,
        author_login,
        author_email
    from (
        select
            files.file_seq * 4294967296 + source.file_row_number as landed_seq,
            clean_text(source.repo) as repo,
            clean_text(source.sha) as sha,
            clean_text(source.author_email) as author_email,
            clean_text(source.author_login) as author_login,
            try_cast(source.authored_at as timestamp) as authored_at,
            try_cast(source.committed_at as timestamp) as committed_at,
            source.additions,
            source.deletions
        from read_parquet(
            getvariable('commits_parquet'),
            filename = true, file_row_number = true, hive_partitioning = false, union_by_name = true
        ) as source
        inner join files on source.filename = files.filename
    )
    where
        repo is not null
        and sha is not null
        and author_email is not null
        and authored_at is not null
        and not implausible(authored_at)
        and not implausible(committed_at)
        and coalesce(additions >= 0, true)
        and coalesce(deletions >= 0, true)
),

superseded as (
    select landed_seq
    from valid
    where hash(repo, sha) in (select hash(repo, sha) from valid group by all having count(*) > 1)
    qualify row_number() over (partition by repo, sha order by landed_seq desc) > 1
)

select distinct
    lower(author_login) as login_key,
    lower(author_email) as author_email
from valid
anti join superseded using (landed_seq)
where author_login is not null;

-- Every account a measure names, resolved to an employee (null: a bot or nobody's).
create or replace temp table accounts as
with
named as (
    select distinct
        source_tool as source_system,
        actor_id as account_id
    from usage_weeks

    union

    select
        'github' as source_system,
        author_login as account_id
    from pull_requests

    union

    select
        'github' as source_system,
        reviewer_login as account_id
    from pr_reviews
),

-- The employee of each commit email, as its own `git` account resolves.
commit_emails as (
    select
        emails.author_email,
        coalesce(mapped_people.employee_id, email_directory.employee_id) as employee_id
    from (select distinct author_email from commit_authors) as emails
    left join identity_map
        on identity_map.source_system = 'git' and emails.author_email = identity_map.account_key
    left join people as mapped_people
        on identity_map.employee_id = mapped_people.employee_id
    left join email_directory
        on emails.author_email like '%@%' and emails.author_email = email_directory.email
),

direct_emails as (
    select
        commit_emails.author_email,
        commit_emails.employee_id
    from commit_emails
    left join people
        on commit_emails.employee_id = people.employee_id
    where
        commit_emails.employee_id is not null
        and not coalesce(is_bot_login(commit_emails.author_email) or people.is_bot, false)
),

logins_via_commits as (
    select
        commit_authors.login_key,
        min(direct_emails.employee_id) as employee_id
    from commit_authors
    inner join direct_emails
        on commit_authors.author_email = direct_emails.author_email
    group by commit_authors.login_key
    having count(distinct direct_emails.employee_id) = 1
),

candidates as (
    select
        named.source_system,
        named.account_id,
        coalesce(mapped_people.employee_id, email_directory.employee_id) as candidate_employee_id
    from named
    left join identity_map
        on
            named.source_system = identity_map.source_system
            and lower(named.account_id) = identity_map.account_key
    left join people as mapped_people
        on identity_map.employee_id = mapped_people.employee_id
    left join email_directory
        on named.account_id like '%@%' and lower(named.account_id) = email_directory.email
)

select
    candidates.source_system,
    candidates.account_id,
    case
        when not coalesce(is_bot_login(candidates.account_id) or candidate_people.is_bot, false)
            then coalesce(candidates.candidate_employee_id, logins_via_commits.employee_id)
    end as employee_id
from candidates
left join people as candidate_people
    on candidates.candidate_employee_id = candidate_people.employee_id
left join logins_via_commits
    on
        candidates.source_system = 'github'
        and candidates.candidate_employee_id is null
        and lower(candidates.account_id) = logins_via_commits.login_key;

-- The result: per engineer and week employed, the five measures.
with
ai_weeks as (
    select
        accounts.employee_id,
        usage_weeks.week_start,
        sum(usage_weeks.ai_total_tokens) as ai_total_tokens,
        sum(usage_weeks.ai_cost_usd) as ai_cost_usd
    from usage_weeks
    inner join accounts
        on usage_weeks.source_tool = accounts.source_system and usage_weeks.actor_id = accounts.account_id
    where accounts.employee_id is not null
    group by all
),

pr_weeks as (
    select
        authors.employee_id,
        iso_week(pull_requests.merged_at) as week_start,
        count(*) as prs_merged,
        quantile_cont(
            cast(
                (
                    epoch(pull_requests.merged_at)
                    - epoch(coalesce(pull_requests.first_commit_at, pull_requests.created_at))
                ) / 3600.0 as double
            ),
            0.5
        ) as median_pr_cycle_hours
    from pull_requests
    inner join accounts as authors
        on authors.source_system = 'github' and pull_requests.author_login = authors.account_id
    where pull_requests.merged_at is not null and authors.employee_id is not null
    group by all
),

review_weeks as (
    select
        reviewers.employee_id,
        iso_week(pr_reviews.submitted_at) as week_start,
        count(*) as reviews_given
    from pr_reviews
    inner join accounts as reviewers
        on reviewers.source_system = 'github' and pr_reviews.reviewer_login = reviewers.account_id
    left join pull_requests
        on pr_reviews.repo = pull_requests.repo and pr_reviews.pr_number = pull_requests.pr_number
    left join accounts as authors
        on authors.source_system = 'github' and pull_requests.author_login = authors.account_id
    where
        reviewers.employee_id is not null
        and not coalesce(
            lower(pr_reviews.reviewer_login) = lower(pull_requests.author_login)
            or reviewers.employee_id = authors.employee_id,
            false
        )
    group by all
),

measured as (
    select
        employee_id,
        week_start,
        ai_weeks.ai_total_tokens,
        ai_weeks.ai_cost_usd,
        pr_weeks.prs_merged,
        pr_weeks.median_pr_cycle_hours,
        review_weeks.reviews_given
    from ai_weeks
    full outer join pr_weeks using (employee_id, week_start)
    full outer join review_weeks using (employee_id, week_start)
)

select
    measured.employee_id,
    measured.week_start,
    cast(coalesce(measured.ai_total_tokens, 0) as bigint) as ai_total_tokens,
    cast(coalesce(measured.ai_cost_usd, 0) as decimal(18, 9)) as ai_cost_usd,
    cast(coalesce(measured.prs_merged, 0) as bigint) as prs_merged,
    cast(measured.median_pr_cycle_hours as double) as median_pr_cycle_hours,
    cast(coalesce(measured.reviews_given, 0) as bigint) as reviews_given
from measured
inner join people
    on measured.employee_id = people.employee_id
where
    not people.is_bot
    and (people.hired_on is null or measured.week_start >= iso_week(people.hired_on))
    and (people.left_on is null or measured.week_start <= iso_week(people.left_on))
order by measured.employee_id, measured.week_start
