"""A participant's side of a relationship, and what belongs to that side.

The viewer is the mentor when their user id is the mentor profile's user,
else the mentee when it is the mentee profile's user, else no participant
(whom every read answers NOT_FOUND). Each side keeps its own read marker.
"""

from __future__ import annotations

from typing import Protocol

from orm.vocabulary import ViewerRole

MENTOR, MENTEE = ViewerRole.MENTOR, ViewerRole.MENTEE

READ_MARKER_COLUMNS = {MENTOR: "mentor_read_seq", MENTEE: "mentee_read_seq"}


class Markers(Protocol):
    @property
    def mentor_read_seq(self) -> int: ...
    @property
    def mentee_read_seq(self) -> int: ...


def side_of(user_id: int, mentor_user_id: int, mentee_user_id: int) -> ViewerRole | None:
    """The user's side, given both participants' user ids; None for anyone else."""
    if user_id == mentor_user_id:
        return MENTOR
    if user_id == mentee_user_id:
        return MENTEE
    return None


def partner_of(user_id: int, mentor_user_id: int, mentee_user_id: int) -> int | None:
    """The other participant's user id; None when the user takes no part."""
    side = side_of(user_id, mentor_user_id, mentee_user_id)
    if side is None:
        return None
    return mentee_user_id if side is MENTOR else mentor_user_id


def read_marker(row: Markers, side: ViewerRole) -> int:
    """The seq up to which this side has read the conversation."""
    return row.mentor_read_seq if side is MENTOR else row.mentee_read_seq


def read_marker_sql(viewer: str, mentor_user_id: str, relationship: str) -> str:
    """`read_marker` of the viewer (a placeholder) in SQL, for a participant.

    `mentor_user_id` is the column of the mentor's user id and `relationship`
    the relationship row's alias.
    """
    return (
        f"CASE WHEN {mentor_user_id} = {viewer} THEN {relationship}.mentor_read_seq"
        f" ELSE {relationship}.mentee_read_seq END"
    )
