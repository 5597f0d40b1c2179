"""`POST /discord/interactions` in `relevo serve web`, for deployments without a gateway
connection. Each request's Ed25519 signature (Discord's public key over timestamp + body)
is checked before anything else; a bad one gets 401 and no work is done. A payload not
shaped like Discord's gets 400 (see `bot.discord.shape`).
"""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.bootstrap import App
from bot.discord import shape


def routes(app: App) -> list[BaseRoute]:
    config = app.config.discord
    if config is None:
        return []
    from bot.discord.interactions import DiscordInteractions

    key = VerifyKey(bytes.fromhex(config.public_key))
    interactions = DiscordInteractions(app, config)

    async def interaction(request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get("X-Signature-Ed25519", "")
        timestamp = request.headers.get("X-Signature-Timestamp", "")
        try:
            key.verify(timestamp.encode() + body, bytes.fromhex(signature))
        except (BadSignatureError, ValueError):
            return Response("invalid request signature", status_code=401)
        try:
            payload = await request.json()
        except ValueError:
            return Response("not JSON", status_code=400)
        wrong = shape.problem(payload)
        if wrong is not None:
            return Response(f"malformed interaction: {wrong}", status_code=400)
        return JSONResponse(await run_in_threadpool(interactions.handle, payload))

    return [Route("/discord/interactions", interaction, methods=["POST"])]
