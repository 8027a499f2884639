"""The people most probes need: the relationship tests' mentor, mentee and outsider, on their clock.

Each probe module keeps its own `settings` (with or without rate limits), so
that what it attacks is configured where the attack is written.
"""

from tests.relationships.conftest import clock, mentee, mentor, outsider

__all__ = ["clock", "mentee", "mentor", "outsider"]
