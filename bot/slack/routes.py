"""`POST /slack/events` in `relevo serve web`: Slack's requests, handed to Bolt.

Bolt's Starlette adapter translates the request; the dispatch runs in a worker thread so
that one slow request never holds up the server's event loop (or its health checks).
"""

from __future__ import annotations

from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App
from bot.slack.config import SlackConfig


def routes(app: App) -> list[BaseRoute]:
    config = SlackConfig.from_env()
    if config is None:
        return []
    from bot.slack.app import SlackBot

    bolt = SlackBot(app, config).bolt

    async def events(request: Request) -> Response:
        body = await request.body()
        response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(response)

    return [Route("/slack/events", events, methods=["POST"])]
