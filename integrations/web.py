"""HTTP intakes in `relevo serve web`: `POST /intake/form` and `POST /intake/email`.

Each sender (a website form, the inbound-mail service) is a named source with a secret,
configured as `RELEVO_INTAKE_FORMS=website:SECRET,email:SECRET`. A request names its
source (`X-Relevo-Form` header or `?form=`; /intake/email defaults to "email") and proves
it knows the secret either by sending it (`X-Relevo-Token`, `Authorization: Bearer`,
`?token=` or a `_token` form field) or by signing the raw body:
`X-Relevo-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`. Secrets and
signatures are compared in constant time; a request that fails gets 401 and writes
nothing. The source named `email` is the mail service and opens only /intake/email; every
other source is a web form and opens only /intake/form, so a form's token (public in the
page that posts it) can never forge mail, nor the mail secret create leads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub.errors import HubError, Invalid
from hub.inbound import Assignment
from integrations.intake import EmailIntake, Lead, LeadIntake, message_from_payload
from integrations.notify import Notifier

log = logging.getLogger(__name__)
MAX_BODY = 1_000_000
MAIL_SOURCE = "email"


@dataclass(frozen=True)
class IntakeConfig:
    """The intake sources and their secrets (RELEVO_INTAKE_FORMS) and who gets new leads
    (RELEVO_INTAKE_RULES, RELEVO_INTAKE_OWNERS)."""

    secrets: Mapping[str, str] = field(default_factory=dict)
    assignment: Assignment = field(default_factory=Assignment)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> IntakeConfig:
        return cls(secrets=intake_secrets(env), assignment=Assignment.from_env(env))


def intake_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """`name:secret,name:secret` -> {name: secret}."""
    secrets: dict[str, str] = {}
    for item in (env.get("RELEVO_INTAKE_FORMS") or "").split(","):
        name, sep, secret = item.strip().partition(":")
        if sep and name.strip() and secret.strip():
            secrets[name.strip()] = secret.strip()
    return secrets


def sign(secret: str, body: bytes) -> str:
    """The `X-Relevo-Signature` value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def authenticated(
    secrets: Mapping[str, str],
    request: Request,
    body: bytes,
    fields: Mapping[str, Any],
    *,
    mail: bool,
) -> str | None:
    """The name of the source that sent the request, or None when it did not prove it
    or is not a source of this kind (mail or form)."""
    name = request.headers.get("x-relevo-form") or request.query_params.get("form")
    if mail:
        name = name or MAIL_SOURCE
    elif name is None and len(secrets) == 1:
        name = next(iter(secrets))
    if (name == MAIL_SOURCE) != mail:
        return None
    secret = secrets.get(name or "")
    if secret is None:
        return None
    signature = request.headers.get("x-relevo-signature")
    if signature is not None:
        return (
            name if hmac.compare_digest(signature.encode(), sign(secret, body).encode()) else None
        )
    bearer = request.headers.get("authorization", "")
    token = (
        request.headers.get("x-relevo-token")
        or (bearer[7:] if bearer.lower().startswith("bearer ") else None)
        or request.query_params.get("token")
        or str(fields.get("_token") or "")
    )
    if token and hmac.compare_digest(token.encode(), secret.encode()):
        return name
    return None


async def _read(request: Request) -> tuple[bytes, dict[str, Any]] | JSONResponse:
    body = await request.body()
    if len(body) > MAX_BODY:
        return JSONResponse({"error": "body too large"}, status_code=413)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            return body, {k: v for k, v in form.items() if isinstance(v, str)}
        payload = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JSONResponse({"error": "send JSON or a form"}, status_code=400)
    if not isinstance(payload, dict):
        return JSONResponse({"error": "send a JSON object"}, status_code=400)
    return body, payload


UNAUTHORIZED = {"error": "unauthorized: unknown form, bad token or bad signature"}


def routes(app: Any, *, intake: IntakeConfig, notifier: Notifier) -> list[BaseRoute]:
    """The intake endpoints; none when no intake source is configured."""
    secrets = intake.secrets
    if not secrets:
        return []
    leads = LeadIntake(
        database=app.database,
        settings=app.settings,
        clock=app.runner.clock,
        notifier=notifier,
        assignment=intake.assignment,
    )
    mail = EmailIntake(database=app.database, settings=app.settings, clock=app.runner.clock)

    async def form(request: Request) -> JSONResponse:
        read = await _read(request)
        if isinstance(read, JSONResponse):
            return read
        body, fields = read
        name = authenticated(secrets, request, body, fields, mail=False)
        if name is None:
            return JSONResponse(UNAUTHORIZED, status_code=401)
        try:
            lead = Lead.from_fields(fields, form=name)
            outcome = await run_in_threadpool(leads.receive, lead)
        except Invalid as error:  # what the sender sent, and only that
            return JSONResponse({"error": str(error)}, status_code=422)
        except HubError as error:
            # Anything else is the hub's business, not the public's (a form's token is
            # public): the operator reads it in the log.
            log.warning("lead from form %s not saved: %s", name, error)
            return JSONResponse({"error": "the lead could not be saved"}, status_code=503)
        # The form's token sits in a public page, so the answer says nothing of the hub
        # (whether the company is a customer, who owns it); the log keeps the outcome.
        log.info("lead from form %s: %s", name, outcome.as_json())
        return JSONResponse({"status": "received"}, status_code=201)

    async def inbound_email(request: Request) -> JSONResponse:
        read = await _read(request)
        if isinstance(read, JSONResponse):
            return read
        body, payload = read
        if authenticated(secrets, request, body, payload, mail=True) is None:
            return JSONResponse(UNAUTHORIZED, status_code=401)
        try:
            message = message_from_payload(payload)
            outcome = await run_in_threadpool(mail.receive, message)
        except HubError as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        status = 201 if outcome.status != "duplicate" else 200
        return JSONResponse(outcome.as_json(), status_code=status)

    return [
        Route("/intake/form", form, methods=["POST"]),
        Route("/intake/email", inbound_email, methods=["POST"]),
    ]
