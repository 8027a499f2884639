"""Turning a partial-update input into the fields the client actually sent."""

from __future__ import annotations

import dataclasses
from typing import Any

from strawberry import UNSET
from strawberry.utils.str_converters import to_camel_case


def sent_fields(input_object: Any) -> dict[str, Any]:
    """Input field name (as in the schema) -> value, for every field that was sent.

    An omitted field is UNSET and stays untouched; an explicit null is sent
    (it clears the field).
    """
    return {
        to_camel_case(field.name): getattr(input_object, field.name)
        for field in dataclasses.fields(input_object)
        if getattr(input_object, field.name) is not UNSET
    }
