"""Scheduled messages on Slack, through slack_sdk against the local fake Web API: a chart
whose upload failed is retried without posting its message twice, and a refusal no retry
can mend is reported as such."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError

from benchmarks.fake_slack import FakeSlack
from bot.schedule.transport import Attachment, ChannelTarget, Undeliverable
from bot.slack.transport import SlackTransport, slack_client
from commands.reply import Reply

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def transport(fake: FakeSlack) -> SlackTransport:
    return SlackTransport(slack_client("xoxb-test", fake.api_url))


def test_a_failed_chart_upload_is_retried_without_posting_the_message_twice(
    fake: FakeSlack, transport: SlackTransport
) -> None:
    sales = ChannelTarget("slack", "#C0SALES")
    chart = (Attachment("funnel.png", PNG),)
    digest = Reply(title="Weekly pipeline digest")
    fake.fail("files.getUploadURLExternal", "internal_error")
    with pytest.raises(SlackApiError):
        transport.post_channel(sales, digest, chart)
    transport.post_channel(sales, digest, chart)  # the dispatcher's retry
    assert len(fake.recorded("chat.postMessage")) == 1
    assert list(fake.uploads.values()) == [PNG]
    # Next week's digest is a new message, whatever happened to the last one.
    transport.post_channel(sales, Reply(title="Weekly pipeline digest"), chart)
    assert len(fake.recorded("chat.postMessage")) == 2


def test_a_channel_that_is_gone_is_undeliverable_not_retried(
    fake: FakeSlack, transport: SlackTransport
) -> None:
    fake.fail("chat.postMessage", "channel_not_found")
    with pytest.raises(Undeliverable, match="channel_not_found"):
        transport.post_channel(ChannelTarget("slack", "#C0GONE"), Reply(title="Digest"))
    fake.fail("chat.postMessage", "internal_error")  # a passing fault: worth a retry
    with pytest.raises(SlackApiError):
        transport.post_channel(ChannelTarget("slack", "#C0SALES"), Reply(title="Digest"))
