-- Where two vendor sources describe the same usage, the published events count it once: per
-- organisation and day, the tokens on an API bill are at least the larger of the two token sources
-- and less than their sum (equal to the usage report while Claude Code stays within it, model by
-- model), the spend is the billed cost report where there is one (to the cent, after sharing it
-- out), and Cursor's BYOK tokens count nowhere in Cursor.
with

reconciliation as (

    select * from {{ ref('fct_ai_usage_reconciliation') }}

),

final as (

    select
        comparison,
        organization_id,
        usage_date,
        total_a,
        total_b,
        counted_total
    from reconciliation
    where
        (
            comparison = 'claude_code_vs_usage_report'
            and (
                counted_total < greatest(coalesce(total_a, 0), coalesce(total_b, 0))
                or (total_a > 0 and total_b > 0 and counted_total >= total_a + total_b)
            )
        )
        or (
            comparison in ('claude_code_estimate_vs_cost_report', 'openai_usage_at_list_vs_costs')
            and total_b is not null
            and abs(counted_total - total_b) >= 0.01
        )
        or (comparison = 'cursor_byok_vs_model_vendor' and counted_total <> 0)

)

select * from final
