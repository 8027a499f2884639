"""The language of the request, for the texts people read: labels, reasons, errors.

`Accept-Language` of the request (of the WebSocket's handshake for
subscriptions) when it names German or English; else the viewer's own
`locale`; else English.
"""

from __future__ import annotations

from orm.vocabulary import Locale
from resolvers.language import DEFAULT, Language, preferred
from schema.core.context import Context


def header_language(context: Context) -> Language | None:
    headers = context.request.headers if context.request is not None else None
    return preferred(headers.get("accept-language") if headers is not None else None)


def _of_locale(locale: Locale | str) -> Language:
    return Language(Locale(locale).value.lower())


async def request_language(context: Context) -> Language:
    """The header's language, else the viewer's locale, else English."""
    chosen = header_language(context)
    if chosen is not None:
        return chosen
    viewer = await context.viewer()
    return _of_locale(viewer.locale) if viewer is not None else DEFAULT


def known_language(context: object) -> Language:
    """`request_language` without waiting: the viewer counts if already signed in here.

    For errors, which are written after the operation ran: a resolver that
    refuses a signed-in member's input has authenticated them by then.
    """
    if not isinstance(context, Context):
        return DEFAULT
    chosen = header_language(context)
    if chosen is not None:
        return chosen
    viewer = context.known_viewer()
    return _of_locale(viewer.locale) if viewer is not None else DEFAULT
