"""The message catalogue: every text the API writes for people, in German and English.

gettext through Babel. The English texts are the message ids, so English
needs no catalogue; each other language has a `.po` file in
`resolvers/locales/<lang>/LC_MESSAGES/messages.po`, read and compiled in
memory at first use (Babel's `read_po` and `write_mo`), so that the
service runs from a checkout without a build step. Fuzzy entries are not
used: a translation someone has not confirmed falls back to English.

A text is marked where it is written, with `_` (or `ngettext` where a
count decides the form), and rendered late, in the language of the reader
(`Text.in_language`): an error raised deep in a resolver is translated only
when its answer leaves. Values go in as named `{placeholders}`; a value that
is itself a `Text` (or a `Localised` value: a language or country name, a
number) is rendered in the same language, and a tuple of them as a list.
`tests/test_catalogue.py` extracts every marked text with Babel and fails
when the German catalogue lacks one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol, runtime_checkable

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from resolvers.language import Language

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
# What `_` and `ngettext` mark here, and `N_` in `orm.vocabulary` (texts kept
# in English there and translated where they are read), for Babel's extraction.
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}


def catalogue_path(language: Language) -> Path:
    return LOCALES / language.value / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: Language) -> NullTranslations:
    """The compiled catalogue of `language`; English is the message ids themselves."""
    if language is Language.EN:
        return NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language.value, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@runtime_checkable
class Localised(Protocol):
    def in_language(self, language: Language) -> str: ...


def _render(value: object, language: Language) -> object:
    # Most values are plain: answered before the Protocol check, which costs
    # about a hundred times more (the calendar feed renders two per meeting).
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Localised):
        return value.in_language(language)
    if isinstance(value, tuple):
        return ", ".join(str(_render(each, language)) for each in value)
    return value


@dataclass(frozen=True)
class Text:
    """A text to be read by someone, rendered in their language when it is shown."""

    msgid: str
    params: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    count: int = 1

    def in_language(self, language: Language) -> str:
        catalogue = translations(language)
        if self.plural is None:
            template = catalogue.gettext(self.msgid)
        else:
            template = catalogue.ngettext(self.msgid, self.plural, self.count)
        if not self.params:
            return template
        return template.format(**{name: _render(value, language) for name, value in self.params})

    def __str__(self) -> str:
        return self.in_language(Language.EN)

    def with_params(self, **params: object) -> Text:
        """The same text with more values: for a sentence chosen before its values are known."""
        return replace(self, params=(*self.params, *params.items()))


def _(msgid: str, **params: object) -> Text:
    """A text to translate; `{name}` placeholders take `params`."""
    return Text(msgid, tuple(params.items()))


def ngettext(singular: str, plural: str, count: int, **params: object) -> Text:
    """A text whose form depends on `count` (also given as the placeholder `{count}`)."""
    return Text(singular, (("count", count), *params.items()), plural, count)


def as_text(message: Text | str) -> Text:
    """A text as given; a plain string (a library's own words) stays as it is in every language."""
    return message if isinstance(message, Text) else Text(message)


def in_language(message: Text | str, language: Language) -> str:
    return as_text(message).in_language(language)


@cache
def _locale(language: Language) -> Locale:
    return Locale.parse(language.value)


@dataclass(frozen=True)
class LanguageName:
    """An ISO 639-1 language, named in the reader's language (CLDR, through Babel)."""

    code: str

    def in_language(self, language: Language) -> str:
        name = _locale(language).languages.get(self.code)
        return str(name) if name else self.code


@dataclass(frozen=True)
class CountryName:
    """An ISO 3166-1 alpha-2 country, named in the reader's language."""

    code: str

    def in_language(self, language: Language) -> str:
        name = _locale(language).territories.get(self.code)
        return str(name) if name else self.code


@dataclass(frozen=True)
class Number:
    """A number as the reader writes it: `1.5` in English, `1,5` in German."""

    value: float

    def in_language(self, language: Language) -> str:
        return str(format_decimal(self.value, format="#,##0.#", locale=language.value))
