"""Relationships as their participants list them: one hand-written statement.

`myRelationships` and `relationship(id)` are read far more often than
anything changes them. Through the ORM a list of 20 took eight statements
and about a hundred model instances; here one statement returns the
relationships, both participants' user ids (they decide the viewer's side)
and names and, when the query selects them, the current terms, the last
message and the viewer's unread count, as light records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orm.records import AgreementRecord, MessageRecord, RelationshipRecord, columns, reader
from orm.rules import due
from orm.rules.sides import read_marker_sql
from orm.sql import POSTGRES, Params, connection, dialect_of, fetch_bounded
from orm.vocabulary import AgreementStatus


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the query selects beyond the relationship itself."""

    agreement: bool = False
    last_message: bool = False
    unread: bool = False


@dataclass(slots=True)
class Listed:
    relationship: RelationshipRecord
    mentor_user_id: int
    mentee_user_id: int
    mentor_name: str
    mentee_name: str
    # Each None when not wanted (or, for agreement and last message, when there is none).
    agreement: AgreementRecord | None
    last_message: MessageRecord | None
    unread: int | None

    def is_due(self, now: datetime) -> bool:
        """Whether time has changed its status: expiry or completion is to be applied first."""
        return due.is_due(self.relationship, now)


_RELATIONSHIP = reader(RelationshipRecord, "r_")
_AGREEMENT = reader(AgreementRecord, "a_")
_MESSAGE = reader(MessageRecord, "m_")
_RELATIONSHIP_COLUMNS = columns(RelationshipRecord, "r_", "r")
_AGREEMENT_COLUMNS = columns(AgreementRecord, "a_", "a")
_MESSAGE_COLUMNS = columns(MessageRecord, "m_", "m")


# Which relationships a statement lists: a condition on the relationship row
# under the alias given, with its placeholders.
Scope = Callable[[Params, str], str]


def _select(
    params: Params,
    wanted: Wanted,
    viewer_id: int,
    scope: Scope,
    extra: Callable[[Params], str] | None = None,
) -> str:
    """SELECT ... FROM ... JOIN ... WHERE `scope`; `extra` adds a column (placeholders
    are taken in the order they appear in the text, as SQLite's `?` needs).

    The current terms and the unread counts are picked per row on SQLite and
    for all listed relationships at once on PostgreSQL: each engine's faster
    way (bench.http's 20 relationships, the statement alone: SQLite 0.26 ms
    per row against 0.77 ms at once; PostgreSQL 0.68 to 0.90 ms of the
    server's CPU per row against 0.43 to 0.50 ms at once). SQLite answers a
    correlated subquery from an index for each row; PostgreSQL, for a small
    table, scans and sorts it for each row, and pays more per plan node.
    """
    grouped = params.dialect == POSTGRES
    parts = [
        f"SELECT {_RELATIONSHIP_COLUMNS},"
        " mentor.user_id AS mentor_user_id, mentee.user_id AS mentee_user_id,"
        " mentor_user.display_name AS mentor_name, mentee_user.display_name AS mentee_name"
    ]
    if wanted.agreement:
        parts.append(_AGREEMENT_COLUMNS)
    if wanted.last_message:
        parts.append(_MESSAGE_COLUMNS)
    if wanted.unread:
        parts.append(
            "COALESCE(unread.n, 0) AS unread" if grouped else _unread_per_row(params, viewer_id)
        )
    if extra is not None:
        parts.append(extra(params))
    joins = [
        "FROM relationship r",
        "JOIN mentor_profile mentor ON mentor.id = r.mentor_id",
        "JOIN mentee_profile mentee ON mentee.id = r.mentee_id",
        'JOIN "user" mentor_user ON mentor_user.id = mentor.user_id',
        'JOIN "user" mentee_user ON mentee_user.id = mentee.user_id',
    ]
    if wanted.agreement:
        joins.append(_terms_at_once(params, scope) if grouped else _terms_per_row(params))
    if wanted.last_message:
        joins.append("LEFT JOIN message m ON m.relationship_id = r.id AND m.seq = r.last_seq")
    if wanted.unread and grouped:
        joins.append(_unread_at_once(params, viewer_id, scope))
    return ", ".join(parts) + " " + " ".join(joins) + f" WHERE {scope(params, 'r')}"


# The current terms: the latest accepted version, else the latest proposal.


def _terms_per_row(params: Params) -> str:
    accepted = params.add(AgreementStatus.ACCEPTED.value)
    return (
        "LEFT JOIN agreement a ON a.id = (SELECT v.id FROM agreement v"  # noqa: S608
        " WHERE v.relationship_id = r.id"
        f" ORDER BY CASE WHEN v.status = {accepted} THEN 1 ELSE 0 END DESC, v.version DESC"
        " LIMIT 1)"
    )


def _terms_at_once(params: Params, scope: Scope) -> str:
    """Every listed relationship's versions ranked in one pass."""
    accepted = params.add(AgreementStatus.ACCEPTED.value)
    return (
        "LEFT JOIN (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.relationship_id"  # noqa: S608
        f" ORDER BY CASE WHEN v.status = {accepted} THEN 1 ELSE 0 END DESC, v.version DESC)"
        " AS pick FROM agreement v JOIN relationship ar ON ar.id = v.relationship_id"
        f" WHERE ({scope(params, 'ar')})) a ON a.relationship_id = r.id AND a.pick = 1"
    )


# The viewer's unread count: messages from the partner after the viewer's own read marker.


def _unread_per_row(params: Params, viewer_id: int) -> str:
    viewer = params.add(viewer_id)
    return (
        "(SELECT COUNT(*) FROM message u WHERE u.relationship_id = r.id AND u.seq >"  # noqa: S608
        f" {read_marker_sql(viewer, 'mentor.user_id', 'r')}"
        f" AND u.sender_id <> {params.add(viewer_id)}) AS unread"
    )


def _unread_at_once(params: Params, viewer_id: int, scope: Scope) -> str:
    """Every listed relationship's count in one grouped pass over their messages."""
    listed = scope(params, "ur")
    viewer = params.add(viewer_id)
    return (
        "LEFT JOIN (SELECT u.relationship_id, COUNT(*) AS n FROM message u"  # noqa: S608
        " JOIN relationship ur ON ur.id = u.relationship_id"
        " JOIN mentor_profile um ON um.id = ur.mentor_id"
        f" WHERE ({listed}) AND u.seq > {read_marker_sql(viewer, 'um.user_id', 'ur')}"
        f" AND u.sender_id <> {params.add(viewer_id)}"
        " GROUP BY u.relationship_id) unread ON unread.relationship_id = r.id"
    )


def _listed(row: dict[str, Any], wanted: Wanted) -> Listed:
    return Listed(
        relationship=_RELATIONSHIP(row),
        mentor_user_id=row["mentor_user_id"],
        mentee_user_id=row["mentee_user_id"],
        mentor_name=row["mentor_name"],
        mentee_name=row["mentee_name"],
        agreement=_AGREEMENT(row) if wanted.agreement and row["a_id"] is not None else None,
        last_message=_MESSAGE(row) if wanted.last_message and row["m_id"] is not None else None,
        unread=int(row["unread"]) if wanted.unread else None,
    )


async def of_user(user_id: int, wanted: Wanted) -> list[Listed]:
    """Every relationship of the user, on either side, newest first."""
    db = connection()
    params = Params(dialect_of(db))

    # Every status, whatever the query asks for: the caller checks them all
    # for anything due before filtering. Matching by profile ids (rather than
    # joining on user_id) lets the mentor_id and mentee_id indexes serve.
    def users(params: Params, r: str) -> str:
        return (
            f"{r}.mentor_id IN"  # noqa: S608 - placeholders only
            f" (SELECT id FROM mentor_profile WHERE user_id = {params.add(user_id)})"
            f" OR {r}.mentee_id IN"
            f" (SELECT id FROM mentee_profile WHERE user_id = {params.add(user_id)})"
        )

    sql = f"{_select(params, wanted, user_id, users)} ORDER BY r.created_at DESC, r.id DESC"
    return [_listed(row, wanted) for row in await fetch_bounded(db, sql, params)]


async def by_ids(relationship_ids: Sequence[int]) -> list[Listed | None]:
    """The relationships with these ids, in the ids' order (None where none exists).

    Nothing fetched along: what `node`, `nodes` and the links from terms,
    feedback and messages back to their relationship read, whoever asks (the
    caller checks the viewer takes part).
    """
    db = connection()
    params = Params(dialect_of(db))
    wanted = Wanted()

    def these(params: Params, r: str) -> str:
        return f"{r}.id IN ({params.add_all(relationship_ids)})"

    rows = await fetch_bounded(db, _select(params, wanted, 0, these), params)
    found = {item.relationship.id: item for item in (_listed(row, wanted) for row in rows)}
    return [found.get(key) for key in relationship_ids]


async def one(
    relationship_id: int, viewer_id: int, wanted: Wanted, *, now: datetime
) -> tuple[Listed | None, bool]:
    """The relationship, and whether anything of its mentor's is due for settling.

    Settling one relationship settles its mentor's others too (a completion
    frees a place that `acceptingMentees` shows): the second answer says
    whether that is needed, so that a read with nothing due takes this one
    statement.
    """
    db = connection()
    params = Params(dialect_of(db))

    def mentor_has_due(params: Params) -> str:
        return (
            "EXISTS (SELECT 1 FROM relationship d WHERE d.mentor_id = r.mentor_id AND"  # noqa: S608
            f" {due.due_sql(now, params, 'd')}) AS due"
        )

    def this(params: Params, r: str) -> str:
        return f"{r}.id = {params.add(relationship_id)}"

    sql = _select(params, wanted, viewer_id, this, mentor_has_due)
    found = await fetch_bounded(db, sql, params)
    if not found:
        return None, False
    return _listed(found[0], wanted), bool(found[0]["due"])
