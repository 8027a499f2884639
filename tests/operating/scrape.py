"""Reading `/metrics` as Prometheus does."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

METRICS_TOKEN = "metrics-token-long-enough-for-the-setting-0123"


def scrape(
    base_url: str, token: str = METRICS_TOKEN
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of one scrape, by name and labels; a new connection each time."""
    reply = httpx.get(f"{base_url}/metrics", headers={"authorization": f"Bearer {token}"})
    assert reply.status_code == 200, reply.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(reply.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    """A sample's value, 0 when the scrape has none such (a series not yet counted)."""
    return samples.get((name, frozenset(labels.items())), 0.0)
