"""Erasing an account for good (`deleteAccount`), with the password.

A wrong password is UNAUTHENTICATED, changes nothing and counts against the
sign-in limits like a failed sign-in (`resolvers.ratelimit_signin`): whoever
holds a stolen token may not guess the password here either.

Then, in ONE transaction: the member's open requests are withdrawn (or
declined, where they are the mentor) and their running relationships end,
so that each partner hears RELATIONSHIP_ENDED; the account is overwritten
and what it holds deleted (`orm.erasure`). Only after that commit is the
member's data key destroyed (`orm.member_keys`): the messages they wrote can
then be opened by no one, in the live database or in any backup of it. A
process stopped between the commit and the key's destruction leaves an
erased account with its key still there; `destroy_erased_keys` finishes
the job when the service starts. Last, every session's live sockets close
(4403) on every process, through the hub, as a logout does.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from orm import erasure as erasure_rows
from orm import relationships as rows
from orm.member_keys import MessageKeys
from orm.models import User
from resolvers import events, ratelimit_signin, severing
from resolvers.catalogue import _
from resolvers.errors import Unauthenticated
from resolvers.hub import Hub
from resolvers.lifecycle import Outbox
from resolvers.passwords import MAX_PASSWORD_LENGTH, Passwords
from resolvers.ratelimit import RateLimiter


async def delete_account(
    viewer: User,
    password: str,
    *,
    passwords: Passwords,
    limiter: RateLimiter,
    keys: MessageKeys,
    hub: Hub,
    client_address: str,
    now: datetime,
    outbox: Outbox,
) -> bool:
    await ratelimit_signin.admit(limiter, account=viewer.email, address=client_address)
    fits = len(password) <= MAX_PASSWORD_LENGTH
    if not fits or not await passwords.verify(viewer.password_hash, password):
        await ratelimit_signin.failed(limiter, account=viewer.email, address=client_address)
        raise Unauthenticated(_("Wrong password: the account is unchanged."))
    await severing.settle_for(viewer.id, now, outbox)
    async with rows.transaction():
        ended = await severing.end_running(viewer.id, None, now)
        sessions = await erasure_rows.erase_account(viewer.id, now)
    outbox.add(*ended)
    # After the commit that no longer needs it, never before: a rollback keeps the key.
    await asyncio.to_thread(keys.destroy, viewer.id)
    for session_id in sessions:
        await events.publish_revocation(hub, session_id)
    return True


async def destroy_erased_keys(keys: MessageKeys) -> int:
    """Destroy the keys erasures left behind (a process stopped after commit): how many."""
    destroyed = 0
    for user_id in await erasure_rows.erased_user_ids():
        destroyed += await asyncio.to_thread(keys.destroy, user_id)
    return destroyed
