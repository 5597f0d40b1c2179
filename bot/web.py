"""`relevo serve web`: one HTTP server for every platform endpoint and the intakes.

Each part contributes its routes (Slack's events endpoint, Discord's interactions
endpoint, the web-form and e-mail intakes); this module only assembles them and adds the
health check that load balancers poll.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App

RouteSource = Callable[[App], list[BaseRoute]]


async def healthz(_request: Request) -> JSONResponse:
    """Answers without touching the database, so a flood elsewhere never starves it."""
    return JSONResponse({"ok": True})


def route_sources() -> list[RouteSource]:
    """The parts that serve HTTP; each returns no routes when it is not configured."""
    from bot.discord.routes import routes as discord_routes
    from bot.slack.routes import routes as slack_routes
    from integrations import web as intake_web

    def intake_routes(app: App) -> list[BaseRoute]:
        from bot.schedule import DispatchingNotifier

        return intake_web.routes(app, notifier=DispatchingNotifier(app))

    return [slack_routes, discord_routes, intake_routes]


def create_web_app(app: App) -> Starlette:
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for source in route_sources():
        routes.extend(source(app))
    return Starlette(routes=routes)


def serve(app: App, *, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_web_app(app), host=host, port=port, log_level="warning", access_log=False)
