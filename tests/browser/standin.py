"""The real app with one stand-in subscription, for GraphiQL's WebSocket test.

    python -m tests.browser.standin --port P

The schema has no subscription of its own until the Messaging issue lands, so
this serves the real Query and Mutation plus `greetings`, which streams a few
greetings to whoever its connection_init token names: enough to prove that
GraphiQL subscribes over graphql-transport-ws and sends its headers along.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncGenerator

import strawberry
import uvicorn

import app as service
from schema import Mutation, Query
from schema.context import Info
from schema.profiles import Mentee, Mentor


@strawberry.type
class Greetings:
    @strawberry.subscription
    async def greetings(self, info: Info, count: int = 3) -> AsyncGenerator[str, None]:
        viewer = await info.context.viewer()
        name = viewer.display_name if viewer else "anonymous"
        for number in range(1, count + 1):
            await asyncio.sleep(0.2)
            yield f"Hello {name} #{number}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # create_app asks `configured_schema` for its schema: swap it before the app is built.
    standin = strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Greetings, types=[Mentor, Mentee]
    )
    service.configured_schema = lambda **_: standin  # type: ignore[attr-defined,assignment]
    application = service.create_app(service.Settings.from_env(demo_data=True))
    uvicorn.run(application, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
