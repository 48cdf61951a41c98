{{ config(severity='warn') }}

-- Claude Code Analytics of an API organisation repeats tokens of its usage report, so per day and
-- model it can never report more of a token type than the report. Whether Claude Code's
-- `tokens.input` leaves cache reads out is undocumented: the loader assumes it does, and a row here
-- says the assumption (or the organisation the report was assigned to) is wrong for that day.
with

vendor_usage as (

    select * from {{ ref('int_ai_usage_vendor_resolved') }}
    where is_kept

),

by_source as (

    select
        organization_id,
        usage_date,
        model,
        sum(case when source = 'anthropic.claude_code' then input_tokens else 0 end) as claude_code_input,
        sum(case when source = 'anthropic.usage_report' then input_tokens else 0 end) as report_input,
        sum(case when source = 'anthropic.claude_code' then cached_input_tokens else 0 end)
            as claude_code_cached,
        sum(case when source = 'anthropic.usage_report' then cached_input_tokens else 0 end) as report_cached,
        sum(case when source = 'anthropic.claude_code' then output_tokens else 0 end) as claude_code_output,
        sum(case when source = 'anthropic.usage_report' then output_tokens else 0 end) as report_output,
        count(case when source = 'anthropic.usage_report' then 1 end) as report_rows
    from vendor_usage
    where
        source = 'anthropic.usage_report'
        or (source = 'anthropic.claude_code' and record_kind = 'tokens' and customer_type = 'api')
    group by organization_id, usage_date, model

),

final as (

    select *
    from by_source
    where
        report_rows > 0
        and (
            claude_code_input > report_input
            or claude_code_cached > report_cached
            or claude_code_output > report_output
        )

)

select * from final
