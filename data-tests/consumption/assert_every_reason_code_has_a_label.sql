-- Every signal code the flags name has a row in the consumption_signals seed, so a report can label it.
with

consumption_flags as (

    select * from {{ ref('fct_consumption_flags') }}

),

consumption_signals as (

    select * from {{ ref('consumption_signals') }}

),

named_codes as (

    select distinct {{ split_lines("replace(reason_codes, ',', chr(10))") }} as reason_code
    from consumption_flags
    where reason_codes is not null

)

select named_codes.reason_code
from named_codes
left join consumption_signals
    on named_codes.reason_code = consumption_signals.reason_code
where consumption_signals.reason_code is null
