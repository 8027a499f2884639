"""The mail settings: SMTP_URL, MAIL_FROM and PUBLIC_URL, parsed strictly.

    smtp://user:password@host:587?starttls=true    STARTTLS (the default for smtp://)
    smtp://host:1025?starttls=false                plain, for a relay on this machine
    smtps://user:password@host:465                 implicit TLS

`cafile=/path/ca.pem` trusts a private certificate authority besides the
system's. Any other query parameter, scheme or a missing host is refused
(`ValueError`, which the settings turn into an error naming the variable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import parse_qsl, unquote, urlsplit

SMTP_PORT, SMTPS_PORT, SUBMISSION_PORT = 25, 465, 587
TRUE_WORDS = frozenset({"true", "1", "yes", "on"})
FALSE_WORDS = frozenset({"false", "0", "no", "off"})
KNOWN_OPTIONS = frozenset({"starttls", "cafile"})
# Anything but a plain address part: whitespace, controls, angle brackets, quotes.
_UNSAFE = re.compile(r"[\s<>\"(),;:\\\[\]\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool
    cafile: str | None

    def __repr__(self) -> str:  # never print the password
        return f"SmtpServer({self.host}:{self.port}, tls={self.implicit_tls or self.starttls})"


def _flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean: use true or false")


def parse_smtp_url(value: str) -> SmtpServer:
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError("must start with smtp:// or smtps://")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    if not host:
        raise ValueError("names no host")
    if parts.path not in ("", "/") or parts.fragment:
        raise ValueError("may have no path or fragment")
    options: dict[str, str] = {}
    for name, option in parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False):
        if name not in KNOWN_OPTIONS:
            raise ValueError(f"has an unknown option {name!r} (known: starttls, cafile)")
        options[name] = option
    implicit_tls = scheme == "smtps"
    starttls = _flag("starttls", options["starttls"]) if "starttls" in options else True
    if implicit_tls and "starttls" in options:
        raise ValueError("smtps:// is TLS from the start: starttls does not apply")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    if (username is None) != (password is None):
        raise ValueError("needs both a user and a password, or neither")
    default_port = SMTPS_PORT if implicit_tls else SUBMISSION_PORT
    return SmtpServer(
        host=host,
        port=port or default_port,
        username=username,
        password=password,
        implicit_tls=implicit_tls,
        starttls=starttls and not implicit_tls,
        cafile=options.get("cafile") or None,
    )


def parse_mail_from(value: str) -> Address:
    """`Name <address@domain>` or a bare address; the address must be a plain one."""
    name, address = parseaddr(value.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or _UNSAFE.search(address):
        raise ValueError("must be an address like `Mentoring <no-reply@example.org>`")
    if any(ord(character) < 32 for character in name):
        raise ValueError("has a control character in its name")
    return Address(display_name=name, username=local, domain=domain)


def parse_public_url(value: str) -> str:
    """An http(s) URL without query or fragment; kept without a trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("may have no query, fragment or credentials")
    return value.strip().rstrip("/")
