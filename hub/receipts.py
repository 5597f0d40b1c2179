"""Request receipts are kept for as long as a redelivery or a retry can arrive.

Slack retries within minutes and a runner settles an interrupted COMMIT within seconds;
two days leaves room for a clock that was down, and keeps the table small.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from hub.models import RequestReceipt

KEPT = timedelta(days=2)


def forget_old(session: Session, *, now: datetime) -> int:
    """Delete receipts older than KEPT; how many went."""
    result = session.execute(delete(RequestReceipt).where(RequestReceipt.created_at < now - KEPT))
    return int(getattr(result, "rowcount", 0) or 0)
