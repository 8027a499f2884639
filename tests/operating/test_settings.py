"""Operating settings fail closed like the others: a value that cannot be read stops the start."""

from __future__ import annotations

import pytest

from app import Settings, SettingsError
from schema.core.metrics import MIN_TOKEN_LENGTH


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LOG_FORMAT": "jsonl"}, "LOG_FORMAT"),
        ({"LOG_FORMAT": "yes"}, "LOG_FORMAT"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
        ({"METRICS_TOKEN": "x" * (MIN_TOKEN_LENGTH - 1)}, "METRICS_TOKEN"),
        ({"OTEL_TRACES_EXPORTER": "zipkin"}, "OTEL_TRACES_EXPORTER"),
        (
            {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"},
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        ),
        (
            {
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
                "OTEL_TRACES_EXPORTER": "otlp",
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "udp",
            },
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        ),
    ],
)
def test_a_value_that_cannot_be_used_stops_the_start_naming_it(
    env: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)

    assert named in str(refused.value)


def test_everything_is_off_by_default() -> None:
    settings = Settings.from_env({})

    assert (settings.log_format, settings.metrics_token, settings.traces) == (None, None, None)


@pytest.mark.parametrize(
    ("env", "exporter"),
    [
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, "otlp"),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, "otlp"),
        ({"OTEL_TRACES_EXPORTER": "console"}, "console"),
        ({"OTEL_TRACES_EXPORTER": "OTLP", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "otlp"),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"}, None),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"}, None),
    ],
)
def test_traces_follow_the_standard_variables(env: dict[str, str], exporter: str | None) -> None:
    assert Settings.from_env(env).traces == exporter


def test_the_readable_settings_are_taken() -> None:
    token = "t" * MIN_TOKEN_LENGTH
    settings = Settings.from_env({"LOG_FORMAT": " JSON ", "METRICS_TOKEN": token})

    assert (settings.log_format, settings.metrics_token) == ("json", token)
