"""Persistence: Tortoise models, named query functions, migrations and seeding.

Nothing in this package imports Strawberry: it speaks rows and plain values.
"""
