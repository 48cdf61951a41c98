{#- The login an account goes by, lower-cased, for matching it against the bot patterns. A login is
    itself; an email is its local part, so `dependabot[bot]@users.noreply.github.com` and
    `ci@example.com` compare as `dependabot[bot]` and `ci`. GitHub's no-reply addresses put the user
    id in front (`49699333+dependabot[bot]@users.noreply.github.com`); the id is dropped. -#}
{% macro account_login(account_expression) -%}
    case
        when lower({{ account_expression }}) like '%+%@users.noreply.github.com'
            then {{ dbt.split_part(dbt.split_part('lower(' ~ account_expression ~ ')', "'@'", 1), "'+'", 2) }}
        when {{ account_expression }} like '%@%'
            then {{ dbt.split_part('lower(' ~ account_expression ~ ')', "'@'", 1) }}
        else lower({{ account_expression }})
    end
{%- endmacro %}
