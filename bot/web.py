"""`relevo serve web`: one HTTP server for every platform endpoint and the intakes.

Each part contributes its routes (Slack's events endpoint, Discord's interactions
endpoint, the web-form and e-mail intakes, the operators' /metrics); this module only
assembles them, times every request (bot/metrics.py) and adds the health check that load
balancers poll.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bot import metrics
from bot.bootstrap import App, bootstrap

log = logging.getLogger(__name__)
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

        return intake_web.routes(app, intake=app.config.intake, notifier=DispatchingNotifier(app))

    return [slack_routes, discord_routes, intake_routes, metrics.routes]


def create_web_app(app: App) -> Starlette:
    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    for source in route_sources():
        routes.extend(source(app))
    return Starlette(routes=routes, middleware=[Middleware(metrics.AckTimer, routes=routes)])


def serve(app: App, *, host: str, port: int, workers: int = 1) -> None:
    """Listen on host:port with `workers` processes. uvicorn reads WEB_CONCURRENCY by
    itself and cannot start workers from an application object, so the count is always
    passed, and several workers each build their app by name (`app_from_env`)."""
    import uvicorn

    log.warning("relevo serve web: listening on %s:%d, %d worker process(es)", host, port, workers)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning"}
    with metrics.worker_files(workers):  # before any worker starts
        if workers == 1:
            uvicorn.run(create_web_app(app), workers=1, access_log=False, **options)
        else:
            # The parent has migrated the embedded database, if any, once for all.
            uvicorn.run(
                "bot.web:app_from_env", factory=True, workers=workers, access_log=False, **options
            )


def app_from_env() -> Starlette:
    """A worker process's application, built from the environment it inherits."""
    return create_web_app(bootstrap(migrate=False))
