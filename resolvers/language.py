"""The language people read the API's texts in: the request's `Accept-Language`.

Two languages, German and English. A client's preference is read from the
`Accept-Language` header (RFC 9110: tags with optional `q` weights; `de-AT`
is German); without one that names either, the caller's fallback holds (the
viewer's locale, where there is one), else English.
"""

from __future__ import annotations

from enum import Enum


class Language(Enum):
    DE = "de"
    EN = "en"


DEFAULT = Language.EN
_BY_TAG = {language.value: language for language in Language}
# A header lists a handful of languages; more are read no further.
MAX_RANGES = 20


def _weight(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def preferred(accept_language: str | None) -> Language | None:
    """The language the header prefers most among ours; None when it names neither."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, Language]] = []
    for index, entry in enumerate(accept_language.split(",")[:MAX_RANGES]):
        tag, _, parameters = entry.partition(";")
        language = _BY_TAG.get(tag.strip().split("-")[0].lower())
        weight = _weight(parameters)
        if language is not None and weight > 0:
            ranked.append((-weight, index, language))
    return min(ranked)[2] if ranked else None


def negotiate(accept_language: str | None, fallback: Language | None = None) -> Language:
    """The language to answer in: the header's choice, else `fallback`, else English."""
    return preferred(accept_language) or fallback or DEFAULT
