{#- Fails with every row whose value lies outside [min_value, max_value] (or the open interval when
    `inclusive` is false); nulls pass. Restrict the rows with the test's `where` config. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
    {{ rows_outside_range(model, column_name, min_value, max_value, inclusive) }}
{% endtest %}
