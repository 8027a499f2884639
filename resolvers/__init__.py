"""Domain rules, one module per domain: authorisation, validation, state.

Functions here take plain values and return ORM rows or plain values; nothing
here depends on GraphQL beyond the arguments it is handed.
"""
