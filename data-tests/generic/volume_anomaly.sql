{#- Fails with every recent day whose volume is off its same-weekday baseline by more than the allowed
    ratio (see the macro volume_anomaly_days). Usually a warning: a launch or a holiday is real. -#}
{% test volume_anomaly(
    model,
    date_column,
    value_expression="count(*)",
    lookback_weeks=4,
    min_ratio=0.5,
    max_ratio=2.0,
    recent_days=7,
    min_history_weeks=2,
    min_baseline_volume=1
) %}
    {{ volume_anomaly_days(
        model,
        date_column,
        value_expression,
        lookback_weeks,
        min_ratio,
        max_ratio,
        recent_days,
        min_history_weeks,
        min_baseline_volume
    ) }}
{% endtest %}
