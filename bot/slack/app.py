"""The Slack adapter: a Bolt app that turns Slack's requests into `/crm` commands.

Bolt does what Slack requires (signature and timestamp checks, the 3-second ack, running
slow work after the ack in lazy listeners, Socket Mode); this package only translates.
One pipeline: the middleware (pipeline.py) checks the workspace, the rate limit and who
is asking, once; the listeners (listeners/: commands, actions, views, home, shortcuts)
run every command through the runner and answer through answer.py.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App as BoltApp

from bot.bootstrap import App
from bot.slack import listeners
from bot.slack.answer import Answers
from bot.slack.config import SlackConfig
from bot.slack.people import SlackPeople
from bot.slack.pipeline import Pipeline
from bot.slack.transport import slack_client

log = logging.getLogger(__name__)


class SlackBot:
    def __init__(self, app: App, config: SlackConfig) -> None:
        self.app = app
        self.config = config
        client = slack_client(config.bot_token, config.api_url)
        self.client = client
        self.bolt = BoltApp(
            client=client,
            signing_secret=config.signing_secret,
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        self.limiter = app.limiter
        self.people = SlackPeople(app, client, config.team_ids or self._own_team())
        self.answers = Answers(app, client)
        self.bolt.middleware(Pipeline(self.people, self.limiter))
        listeners.register(self)
        self.bolt.error(_on_error)

    def _own_team(self) -> frozenset[str]:
        """Without SLACK_TEAM_IDS, the workspace the bot token belongs to."""
        return frozenset({self.client.auth_test()["team_id"]})


def _on_error(error: Exception, body: dict[str, Any]) -> None:
    error_id = uuid.uuid4().hex[:8]
    log.error("slack request failed [%s]: %s", error_id, type(error).__name__, exc_info=error)
