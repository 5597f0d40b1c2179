"""Requests signed and shaped exactly as Slack sends them (v0 signatures)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier


@dataclass
class Answer:
    status: int
    body: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class SlackSender:
    def __init__(self, url: str, secret: str, team_id: str) -> None:
        self.url = f"{url}/slack/events"
        self.secret = secret
        self.team_id = team_id

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        retry: int | None = None,
    ) -> Answer:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = SignatureVerifier(secret or self.secret).generate_signature(
            timestamp=str(timestamp), body=body
        )
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature,
        }
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        request = urllib.request.Request(self.url, data=body.encode(), headers=headers)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as error:
            text, status = error.read().decode(), error.code
        return Answer(status, text, time.perf_counter() - started)

    def command_fields(
        self,
        user_id: str,
        text: str,
        *,
        response_url: str,
        team_id: str | None = None,
        channel_id: str = "C0GENERAL",
        trigger_id: str | None = None,
    ) -> dict[str, str]:
        """A slash command's fields: a form over HTTP, a JSON payload over Socket Mode."""
        return {
            "token": "legacy-verification-token",
            "team_id": team_id or self.team_id,
            "team_domain": "test",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/crm",
            "text": text,
            "api_app_id": "A0RELEVO",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}",
        }

    def command_body(self, user_id: str, text: str, **kwargs: Any) -> str:
        return urllib.parse.urlencode(self.command_fields(user_id, text, **kwargs))

    def command(self, user_id: str, text: str, **kwargs: Any) -> Answer:
        retry = kwargs.pop("retry", None)
        return self.post(
            self.command_body(user_id, text, **kwargs),
            "application/x-www-form-urlencoded",
            retry=retry,
        )

    def interaction(self, payload: dict[str, Any], *, retry: int | None = None) -> Answer:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", retry=retry)

    def event(self, event: dict[str, Any], *, retry: int | None = None) -> Answer:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "api_app_id": "A0RELEVO",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": self.team_id, "user_id": "UBOT", "is_bot": True}],
            }
        )
        return self.post(body, "application/json", retry=retry)


def trigger_id() -> str:
    return f"{uuid.uuid4().int % 10**12}.1.{uuid.uuid4().hex}"


def user_ref(user_id: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}
