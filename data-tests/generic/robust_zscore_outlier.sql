{#- Fails with every row whose robust z-score (median and MAD, optionally per group) exceeds the
    threshold (see the macro robust_zscore_outliers). Usually a warning: a heavy user is legitimate. -#}
{% test robust_zscore_outlier(model, column_name, group_by=[], threshold=3.5) %}
    {{ robust_zscore_outliers(model, column_name, group_by, threshold) }}
{% endtest %}
