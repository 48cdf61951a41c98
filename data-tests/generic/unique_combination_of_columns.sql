{#- Fails with one row per key value that occurs more than once. Composite keys are the norm in
    the landing contract ((source_tool, event_id), (repo, pr_number), ...), and the built-in
    `unique` test takes a single column only. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ find_duplicate_keys(model, combination_of_columns) }}
{% endtest %}
