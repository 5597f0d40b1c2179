"""`POST /slack/events` in `relevo serve web`: Slack's requests, handed to Bolt.

Bolt's Starlette adapter translates the request; the dispatch runs in a worker thread so
that one slow request never holds up the server's event loop (or its health checks).
Before Bolt, the signature is checked (401) and then the body's shape (400, see
`bot.slack.shape`), so a malformed request never reaches code that expects Slack's.
"""

from __future__ import annotations

from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App
from bot.slack import shape


def routes(app: App) -> list[BaseRoute]:
    config = app.config.slack
    if config is None:
        return []
    from bot.slack.app import SlackBot

    bolt = SlackBot(app, config).bolt
    verifier = SignatureVerifier(config.signing_secret)

    async def events(request: Request) -> Response:
        body = await request.body()
        if not verifier.is_valid_request(body, dict(request.headers)):
            return Response("invalid request signature", status_code=401)
        parsed = shape.parse(body, request.headers.get("content-type", ""))
        wrong = "not a JSON object or a form" if parsed is None else shape.problem(parsed)
        if wrong is not None:
            return Response(f"malformed request: {wrong}", status_code=400)
        response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    return [Route("/slack/events", events, methods=["POST"])]
