"""The unsubscribe page behind every e-mail's link: GET asks, POST switches the kind off.

No sign-in, no cookie: the signed token in the link is the whole authority
(`resolvers.unsubscribe`). A mail program's one-click button (RFC 8058)
POSTs to the same link with `List-Unsubscribe=One-Click`; the page's form
does the same. A link that does not verify gets a plain refusal, and
nothing changes.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from orm.vocabulary import Locale
from resolvers import unsubscribe
from resolvers.mail.rendering import render_page
from resolvers.unsubscribe import UnsubscribeLinks

PAGE = "unsubscribe_page"


async def unsubscribe_page(request: Request) -> Response:
    links: UnsubscribeLinks = request.app.state.unsubscribe_links
    service: str = request.app.state.service_name
    asked = await links.verify(request.query_params.get("token", ""))
    if asked is None:
        page = render_page(PAGE, Locale.EN, {"state": "refused", "setting": "", "service": service})
        return HTMLResponse(page, status_code=400, headers={"cache-control": "no-store"})
    if request.method == "POST":
        await unsubscribe.switch_off(asked)
    values = {
        "state": "done" if request.method == "POST" else "confirm",
        "setting": asked.setting.value,
        "email": asked.user.email,
        "service": service,
        # The link itself, relative: the form posts back to what the e-mail named.
        "action": f"{request.url.path}?{request.url.query}",
    }
    page = render_page(PAGE, asked.locale, values)
    return HTMLResponse(page, headers={"cache-control": "no-store"})
