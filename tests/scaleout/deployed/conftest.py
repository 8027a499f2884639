"""One deployment per test module here: two `uvicorn app:app` processes, their
PostgreSQL database and their Redis, as a deployment serves many users.

Each test signs up people of its own (`tag`), and starts once every process
answers ready again and Redis has forgotten the previous test's rate-limit
counts. Each module here runs its tests in the module's event loop
(`pytestmark = pytest.mark.asyncio(loop_scope="module")`); `make test` keeps
a file's tests on one worker (`--dist loadfile`), so the deployment starts
once per module.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from tests.clock import FakeClock
from tests.people import Person, new_mentee, new_mentor, reach
from tests.postgres import scratch_database
from tests.scaleout.cluster import Cluster, Node, cluster
from tests.scaleout.services import PrivateRedis, private_redis
from tests.support import Client

_tags = itertools.count(1)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def postgres_url() -> AsyncIterator[str]:
    async with scratch_database(migrated=True) as url:
        yield url


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path_factory.mktemp("redis")) as started:
        yield started


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def deployment(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str, redis: PrivateRedis
) -> AsyncIterator[Cluster]:
    env = {"DATABASE_URL": postgres_url, "BROADCAST_URL": redis.url}
    async with cluster(tmp_path_factory.mktemp("processes"), env) as started:
        await started.start(2)
        yield started


@pytest_asyncio.fixture(loop_scope="module")
async def running(deployment: Cluster, redis: PrivateRedis) -> Cluster:
    """The deployment as a test finds it: every process ready, no counts left over."""
    for node in deployment.nodes:
        await node.until_ready(200)
    redis.forget_everything()
    return deployment


@pytest.fixture
def first(running: Cluster) -> Node:
    return running.nodes[0]


@pytest.fixture
def second(running: Cluster) -> Node:
    return running.nodes[1]


@pytest.fixture
def tag() -> int:
    """This test's own number, for the e-mail addresses of the people it signs up."""
    return next(_tags)


@pytest_asyncio.fixture(loop_scope="module")
async def pair(first: Node, tag: int) -> tuple[Person, Person, str]:
    """A mentor and a mentee, signed in through the first process, in an ACCEPTED relationship."""
    anon = Client(http=first.http)
    mentor = await new_mentor(anon, f"mentor-{tag}@example.org", "Marta Mentor")
    mentee = await new_mentee(anon, f"mentee-{tag}@example.org", "Mika Mentee")
    chat = await reach("ACCEPTED", mentor, mentee, FakeClock())
    return mentor, mentee, chat
