"""Accounts in GraphQL: the User type, register, login, logout, viewer, password changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from orm.models import User as UserRow
from resolvers import account_settings, accounts, blocks, calendar_feed, notification_settings
from resolvers.accounts import SignedIn
from schema.core.context import Info
from schema.enums import Locale
from schema.identity import Node
from schema.inputs import sent_fields
from schema.members import Member, member_id
from schema.permissions import IsAuthenticated

if TYPE_CHECKING:
    from schema.notifications import NotificationSettings
    from schema.profiles import Mentee, Mentor

MentorRef = Annotated["Mentor", strawberry.lazy("schema.profiles")]
MenteeRef = Annotated["Mentee", strawberry.lazy("schema.profiles")]
NotificationSettingsRef = Annotated["NotificationSettings", strawberry.lazy("schema.notifications")]


async def resolve_mentor_profile(root: strawberry.Parent[User], info: Info) -> MentorRef | None:
    from schema.profiles import Mentor

    row = await info.context.loaders.mentor_by_user.load(root.row.id)
    return Mentor.from_row(row, root.row) if row else None


async def resolve_mentee_profile(root: strawberry.Parent[User], info: Info) -> MenteeRef | None:
    from schema.profiles import Mentee

    row = await info.context.loaders.mentee_by_user.load(root.row.id)
    return Mentee.from_row(row, root.row) if row else None


async def resolve_calendar_feed_url(root: strawberry.Parent[User], info: Info) -> str:
    return await calendar_feed.calendar_feed_url(
        root.row, info.context.services.calendar_feeds, now=info.context.now()
    )


async def resolve_notification_settings(
    root: strawberry.Parent[User], info: Info
) -> NotificationSettingsRef:
    from schema.notifications import NotificationSettings

    return NotificationSettings.of(await notification_settings.settings_of(root.row))


async def resolve_blocked_members(root: strawberry.Parent[User], info: Info) -> list[Member]:
    blocked = await blocks.blocked_members(root.row)
    return [Member.named(each.user_id, each.display_name) for each in blocked]


@strawberry.type(
    description="The signed-in user's own account. Its id is that of the viewer's `Member`: "
    "one person, one id (`node` answers it with the `Member`)."
)
class User(Node):
    row: strawberry.Private[UserRow]
    email: str = strawberry.field(
        description="The sign-in address, lower-cased; no one else ever sees it."
    )
    display_name: str = strawberry.field(description="The name other members see.")
    locale: Locale = strawberry.field(
        description="The language of the user's e-mails and, without Accept-Language, of "
        "labels, reasons and error messages."
    )
    notification_settings: NotificationSettingsRef = strawberry.field(
        resolver=resolve_notification_settings,
        description="Which e-mails the user wants: one switch per kind.",
    )
    mentor_profile: MentorRef | None = strawberry.field(
        resolver=resolve_mentor_profile, description="The user's mentor profile, if created."
    )
    mentee_profile: MenteeRef | None = strawberry.field(
        resolver=resolve_mentee_profile, description="The user's mentee profile, if created."
    )
    blocked_members: list[Member] = strawberry.field(
        resolver=resolve_blocked_members,
        description="The members the user blocked, the most recent first: they and the user "
        "no longer see or reach each other.",
    )
    calendar_feed_url: str = strawberry.field(
        resolver=resolve_calendar_feed_url,
        description="A secret URL of an iCalendar feed of the user's confirmed (and "
        "cancelled) meetings, for Google, Outlook or Apple Calendar to subscribe to; "
        "whoever has it reads the feed, so `resetCalendarFeed` replaces it.",
    )

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            row=row,
            id=member_id(row.id),
            email=row.email,
            display_name=row.display_name,
            locale=account_settings.locale_of(row),
        )


@strawberry.type(description="A new session: its bearer token and the account it signs in.")
class AuthPayload:
    token: str = strawberry.field(
        description="Send as `Authorization: Bearer <token>` (over WebSocket, in the "
        "connection_init payload). Valid until it expires (30 days by default) "
        "or a logout revokes it."
    )
    user: User = strawberry.field(description="The account signed in.")

    @classmethod
    def of(cls, signed_in: SignedIn) -> AuthPayload:
        return cls(token=signed_in.token, user=User.from_row(signed_in.user))


@strawberry.input(description="A new account.")
class RegisterInput:
    email: str = strawberry.field(
        description="An e-mail address, matched case-insensitively: one account per address."
    )
    password: str = strawberry.field(description="8 to 128 characters.")
    display_name: str = strawberry.field(description="1 to 100 characters.")


@strawberry.input(description="The account fields to change; those left out stay as they are.")
class AccountInput:
    display_name: str | None = strawberry.field(
        default=strawberry.UNSET, description="1 to 100 characters."
    )
    locale: Locale | None = strawberry.field(
        default=strawberry.UNSET, description="The language of e-mails and responses."
    )


async def resolve_register(
    info: Info,
    input: Annotated[RegisterInput, strawberry.argument(description="The new account.")],
) -> AuthPayload:
    services = info.context.services
    signed_in = await accounts.register(
        services.passwords,
        services.tokens,
        services.rate_limiter,
        email=input.email,
        password=input.password,
        display_name=input.display_name,
        client_address=info.context.client_address,
    )
    return AuthPayload.of(signed_in)


async def resolve_login(
    info: Info,
    email: Annotated[
        str, strawberry.argument(description="The account's e-mail address, in any case.")
    ],
    password: Annotated[str, strawberry.argument(description="The account's password.")],
) -> AuthPayload:
    services = info.context.services
    signed_in = await accounts.login(
        services.passwords,
        services.tokens,
        services.rate_limiter,
        email=email,
        password=password,
        client_address=info.context.client_address,
    )
    return AuthPayload.of(signed_in)


async def resolve_logout(info: Info) -> bool:
    authenticated = await info.context.authenticated()
    assert authenticated is not None  # guarded by IsAuthenticated
    return await accounts.logout(authenticated, info.context.services.hub, now=info.context.now())


async def resolve_change_password(
    info: Info,
    current_password: Annotated[
        str, strawberry.argument(description="The password the account has now.")
    ],
    new_password: Annotated[str, strawberry.argument(description="8 to 128 characters.")],
) -> AuthPayload:
    authenticated = await info.context.authenticated()
    assert authenticated is not None  # guarded by IsAuthenticated
    services = info.context.services
    signed_in = await accounts.change_password(
        services.passwords,
        services.tokens,
        services.rate_limiter,
        services.hub,
        authenticated,
        current_password=current_password,
        new_password=new_password,
        client_address=info.context.client_address,
        now=info.context.now(),
    )
    return AuthPayload.of(signed_in)


async def resolve_logout_everywhere(info: Info) -> bool:
    authenticated = await info.context.authenticated()
    assert authenticated is not None  # guarded by IsAuthenticated
    return await accounts.logout_everywhere(
        authenticated, info.context.services.hub, now=info.context.now()
    )


async def resolve_update_account(
    info: Info,
    input: Annotated[AccountInput, strawberry.argument(description="The fields to change.")],
) -> User:
    viewer = await info.context.require_viewer()
    return User.from_row(await account_settings.update_account(viewer, sent_fields(input)))


async def resolve_viewer(info: Info) -> User | None:
    user = await info.context.viewer()
    return User.from_row(user) if user else None


@strawberry.type
class AccountQueries:
    viewer: User | None = strawberry.field(
        resolver=resolve_viewer, description="The signed-in user, or null."
    )


@strawberry.type
class AccountMutations:
    register: AuthPayload = strawberry.mutation(
        resolver=resolve_register, description="Create an account and sign in."
    )
    login: AuthPayload = strawberry.mutation(
        resolver=resolve_login,
        description="Sign in: UNAUTHENTICATED for a wrong address or password (never which); "
        "RATE_LIMITED after repeated failures.",
    )
    logout: bool = strawberry.mutation(
        resolver=resolve_logout,
        permission_classes=[IsAuthenticated],
        description="Revoke the token this request was sent with, on every process.",
    )
    change_password: AuthPayload = strawberry.mutation(
        resolver=resolve_change_password,
        permission_classes=[IsAuthenticated],
        description="Change the password (8 to 128 characters), given the current one. "
        "Every other session of the account ends at once (its live sockets close with "
        "4403); this one goes on under the returned token.",
    )
    logout_everywhere: bool = strawberry.mutation(
        resolver=resolve_logout_everywhere,
        permission_classes=[IsAuthenticated],
        description="Revoke every session of the account, this one included.",
    )
    update_account: User = strawberry.mutation(
        resolver=resolve_update_account,
        permission_classes=[IsAuthenticated],
        description="Change the display name or the locale (a partial update).",
    )
