"""The floor of the HTTP stack: a bare Starlette endpoint that parses JSON and answers.

It serves, for each query text the benchmark sends, the answer the real app
gave to it (read once from the file named by `BENCH_ANSWERS`), encoded anew
on every request: no GraphQL, no database, just the transport and JSON.

    BENCH_ANSWERS=answers.json uvicorn bench.floor_starlette:app
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def load_answers() -> dict[str, Any]:
    """Query text -> the JSON answer the real app gave to it."""
    answers: dict[str, Any] = orjson.loads(Path(os.environ["BENCH_ANSWERS"]).read_bytes())
    return answers


ANSWERS = load_answers() if "BENCH_ANSWERS" in os.environ else {}


async def graphql(request: Request) -> Response:
    body = orjson.loads(await request.body())
    answer = ANSWERS.get(body.get("query"), {"errors": [{"message": "unknown query"}]})
    return Response(orjson.dumps(answer), media_type="application/json")


async def healthz(request: Request) -> Response:
    return Response("ok")


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)])
