"""The e-mails' words: Jinja2 templates in files, one pair per kind and locale.

`templates/<locale>/<kind>.txt` holds the subject (its `subject` block) and
the plain-text part; `templates/<locale>/<kind>.html` the HTML part, escaped
by Jinja2's autoescape (a display name is text, never markup). Both extend
the locale's `base` layout, which adds the greeting, the link and the
unsubscribe footer. A variable a template names but the caller did not pass
is an error, not an empty string (`StrictUndefined`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from orm.vocabulary import Locale, NotificationKind

TEMPLATES = Path(__file__).parent / "templates"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    auto_reload=False,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def template_name(kind: NotificationKind, locale: Locale, extension: str) -> str:
    return f"{locale.value.lower()}/{kind.value.lower()}.{extension}"


def render(kind: NotificationKind, locale: Locale, values: Mapping[str, Any]) -> Rendered:
    """The subject and both parts of one e-mail, in `locale`."""
    text = _environment.get_template(template_name(kind, locale, "txt"))
    subject_block = text.blocks["subject"]
    subject = " ".join("".join(subject_block(text.new_context(dict(values)))).split())
    html = _environment.get_template(template_name(kind, locale, "html"))
    return Rendered(
        subject=subject,
        text=text.render(values),
        html=html.render({**values, "subject": subject}),
    )


def render_page(name: str, locale: Locale, values: Mapping[str, Any]) -> str:
    """One of the small HTML pages mail links lead to (`templates/<locale>/<name>.html`)."""
    template = _environment.get_template(f"{locale.value.lower()}/{name}.html")
    return template.render(values)
