"""Business rules that more than one layer or engine asks, each defined once.

A module per rule holds its Python predicate beside its SQL rendering (and
its ORM filter, where Tortoise asks it), so that a change to the rule is one
change, and `tests/rules` holds each rendering to the same answer on sample
rows of a real database. They live under `orm/` because SQL belongs here and
every other layer may import it; they import nothing above `orm/`.
"""
