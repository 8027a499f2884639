"""GraphQL over HTTP: Strawberry's ASGI view, answering as the specification asks.

- Content negotiation: `application/graphql-response+json` when the client
  prefers it, else `application/json` (also with no Accept header or `*/*`);
  406 when the client accepts neither.
- With `application/graphql-response+json`, a request error (the document
  does not parse or validate, its variables do not coerce, or it is over a
  query limit: no execution, so no `data` entry) answers 400; with
  `application/json` such errors answer 200, as older clients expect.
- POST needs `application/json` (415 otherwise); GET runs queries only
  (405 with `Allow: POST` for a mutation); batched (array) requests are
  refused with 400, and so are subscriptions, by either method: they are
  served over WebSocket (`graphql-transport-ws`) at the same path.
- Every refusal has a GraphQL-shaped JSON body whose error carries
  `extensions.code`; RATE_LIMITED answers carry a `Retry-After` header.
- A request may name its document by hash instead of sending its text
  (`extensions.persistedQuery`, in the body or GET's `extensions`
  parameter; see `schema.core.persisted`). The answer that the hash is
  unknown (PERSISTED_QUERY_NOT_FOUND) says `Cache-Control: private,
  no-cache, must-revalidate`: the client's next request registers it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.types import HTTPMethod
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from schema.core.connections import TOO_MANY_CONNECTIONS, ConnectionsPerAddress
from schema.core.context import Context, Services
from schema.core.errors import GENERIC_MESSAGE
from schema.core.limits import MAX_BODY_BYTES
from schema.core.metrics import open_websocket
from schema.core.negotiation import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from schema.core.persisted import NOT_FOUND_CODE
from schema.core.sockets import TRY_AGAIN_LATER, BoundedSendAdapter, TransportWSHandler

BATCHING_REFUSED = "Batched requests (a JSON array) are not supported: send one operation each."
SUBSCRIPTIONS_REFUSED = "Subscriptions are served over WebSocket at /graphql"
CLIENT_ERROR_CODE = "BAD_USER_INPUT"
NOT_CACHED = "private, no-cache, must-revalidate"


class MethodNotAllowed(HTTPException):
    def __init__(self, reason: str, allow: str) -> None:
        super().__init__(405, reason)
        self.allow = allow


def error_response(
    status: int,
    message: str,
    *,
    media_type: str = JSON,
    headers: Mapping[str, str] | None = None,
    code: str = CLIENT_ERROR_CODE,
) -> Response:
    """A refusal in the shape of a GraphQL response, so that every error has a code."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(
        orjson.dumps(body), status_code=status, media_type=media_type, headers=dict(headers or {})
    )


async def internal_error(request: Request, error: Exception) -> Response:
    """The answer to an exception nothing else handled: generic, with a code.

    Starlette logs the exception with its traceback after this answer is sent.
    """
    media_type = negotiate(request.headers.get("accept")) or JSON
    return error_response(500, GENERIC_MESSAGE, media_type=media_type, code="INTERNAL_SERVER_ERROR")


def _is_request_error(result: ExecutionResult) -> bool:
    # Errors without a path arose before execution began: the whole request failed.
    errors = result.errors or []
    return result.data is None and bool(errors) and all(error.path is None for error in errors)


def _coded(
    response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], code: str
) -> list[dict[str, Any]]:
    """The extensions of the answer's errors with `code`."""
    if not isinstance(response_data, dict):
        return []
    return [
        extensions
        for error in response_data.get("errors") or ()
        if isinstance(error, dict)
        and (extensions := error.get("extensions") or {}).get("code") == code
    ]


def _retry_after(response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> int | None:
    waits = [int(extensions["retryAfter"]) for extensions in _coded(response_data, "RATE_LIMITED")]
    return max(waits) if waits else None


def _request_data(data: dict[str, Any]) -> GraphQLRequestData:
    """The parameters of a POST body, checked as Strawberry checks them."""
    expected = {"query": str, "operationName": str, "variables": dict, "extensions": dict}
    for name, kind in expected.items():
        value = data.get(name)
        if value is not None and not isinstance(value, kind):
            shape = "a string" if kind is str else "an object"
            raise HTTPException(400, f"`{name}` must be {shape} or null.")
    return GraphQLRequestData(
        query=data.get("query"),
        variables=data.get("variables"),
        operation_name=data.get("operationName"),
        extensions=data.get("extensions"),
    )


# Browser pages and their committed assets (GraphiQL, /demo): see web/README.md.
WEB = Path(__file__).resolve().parents[2] / "web"


@cache
def graphiql_page() -> str:
    return (WEB / "templates" / "graphiql.html").read_text(encoding="utf-8")


class GraphQLView(GraphQL[Context, None]):
    websocket_adapter_class = BoundedSendAdapter
    graphql_transport_ws_handler_class = TransportWSHandler
    # The largest WebSocket message taken (1009 past it), as for HTTP bodies:
    # checked here, since servers differ (uvicorn takes 16 MiB by default).
    max_message_bytes: int = MAX_BODY_BYTES

    def __init__(
        self,
        *args: Any,
        max_connections_per_address: int,
        send_timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.connections = ConnectionsPerAddress(max_connections_per_address)
        # Seconds a WebSocket send or close may take (see schema.core.sockets).
        self.send_timeout = send_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            with self.connections.place(scope) as admitted, open_websocket():
                if admitted:
                    await super().__call__(scope, receive, send)
                else:
                    await self.refuse_connection(WebSocket(scope, receive, send))
            return
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            if request.method == "POST":
                response = await self.post(request)
            else:
                response = await self.run(request)
        except HTTPException as error:
            headers = (
                {"Allow": getattr(error, "allow", "GET, POST")} if error.status_code == 405 else {}
            )
            response = error_response(
                error.status_code,
                error.reason,
                media_type=negotiate(request.headers.get("accept")) or JSON,
                headers=headers,
            )
        await response(scope, receive, send)

    async def refuse_connection(self, websocket: WebSocket) -> None:
        """One connection too many for its address: accepted, then closed with a reason.

        Accepted first, because a refused handshake tells the client nothing
        but a 403; the close names the reason and asks it to come back later.
        """
        await websocket.accept(subprotocol=await self.pick_websocket_subprotocol(websocket))
        await websocket.close(code=TRY_AGAIN_LATER, reason=TOO_MANY_CONNECTIONS)

    async def post(self, request: Request) -> Response:
        """A POST, served without Strawberry's `run`.

        `run` decides between WebSocket, GraphiQL, GET and streaming answers,
        and wraps the request, its body and a sub-response in objects of its
        own; none of it is needed here, and together it cost more than
        executing `{ __typename }` (about a seventh of such a request in-process).
        The checks and answers are the same as on the GET path.
        """
        media_type = _acceptable(request.headers.get("accept"))
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != JSON:
            raise HTTPException(415, f"Send the request body as {JSON}.")
        request_data = _request_data(_json_object(self.parse_json(await request.body())))
        context = await self.get_context(request, response=None)
        result = await self.execute_request("POST", context, request_data)
        return _answer(await self.process_result(request, result), media_type)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET that names its document by hash has no `query` either.
        if "extensions" in request.query_params:
            return False
        return super().should_render_graphql_ide(request)

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our own page on the GraphiQL bundled in web/static, not Strawberry's
        # CDN one: it must work offline. GRAPHIQL=false never gets here.
        return HTMLResponse(graphiql_page())

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        services: Services = request.app.state.services
        return Context(services=services, request=request)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # Remembered for `create_response`, which does not see the request.
        sub_response.media_type = negotiate(request.headers.get("accept"))
        return sub_response

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses lone surrogates, which no later layer could store or hash.
        return orjson.loads(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        # Only GET comes here (POST has its own path, `post`).
        _acceptable(request.headers.get("accept"))
        return await super().parse_http_body(request)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # GET, through Strawberry's `run`.
        return await self.execute_request(request_adapter.method, context, request_data)

    async def execute_request(
        self, method: HTTPMethod, context: Context, request_data: GraphQLRequestData
    ) -> ExecutionResult:
        """Execute the request's operation; a request the method cannot run is an HTTP error."""
        try:
            return await self.schema.execute(
                request_data.query,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=OperationType.from_http(method),
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            if error.operation_type is OperationType.SUBSCRIPTION:
                # No method over HTTP runs it, so not 405: the request is wrong.
                raise HTTPException(400, SUBSCRIPTIONS_REFUSED) from error
            # A mutation sent with GET: the method is wrong for it, so 405
            # (GraphQL over HTTP), where Strawberry says 400.
            reason = error.as_http_error_reason(method)
            if method == "GET":
                raise MethodNotAllowed(reason, allow="POST") from error
            raise HTTPException(400, reason) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response_data = await super().process_result(request, result)
        if _is_request_error(result):
            response_data.pop("data", None)
        return response_data

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        # GET's answer: resolvers set nothing on the sub-response (the
        # Context does not carry it), so the answer depends on the data alone.
        return _answer(response_data, sub_response.media_type or JSON)


def _acceptable(accept: str | None) -> str:
    """The media type to answer in; 406 when the client accepts none we offer."""
    media_type = negotiate(accept)
    if media_type is None:
        raise HTTPException(406, f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON}.")
    return media_type


def _json_object(data: object) -> dict[str, Any]:
    if isinstance(data, list):
        raise HTTPException(400, BATCHING_REFUSED)
    if not isinstance(data, dict):
        # Strawberry would fail on `null` or `42` with an AttributeError (a 500).
        raise HTTPException(400, "The request body must be a JSON object.")
    return data


def _answer(
    response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], media_type: str
) -> Response:
    # orjson: several times faster than the json module on large answers
    # (WebSocket messages keep Strawberry's text).
    response = Response(orjson.dumps(response_data), media_type=f"{media_type}; charset=utf-8")
    is_request_error = isinstance(response_data, dict) and "data" not in response_data
    if media_type == GRAPHQL_RESPONSE_JSON and is_request_error:
        response.status_code = 400
    if isinstance(response_data, dict) and response_data.get("errors"):
        retry_after = _retry_after(response_data)
        if retry_after is not None:
            response.headers["retry-after"] = str(retry_after)
        if _coded(response_data, NOT_FOUND_CODE):
            # The client registers the document next: no cache may keep this answer.
            response.headers["cache-control"] = NOT_CACHED
    return response
