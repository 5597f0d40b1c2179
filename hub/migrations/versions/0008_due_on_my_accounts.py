"""Index what falls due on a person's accounts: agreements by due date, and complaints
by status then SLA deadline, each under its account.

Revision ID: 0008
Revises: 0007

`mine` looks these up across every account someone answers for. With only (account,
created_at) and (account, status) to go by, a member with a large book read every
agreement and complaint of each account to keep the few due.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.create_index("ix_agreement_account_due", ["account_id", "due_on"])
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_account_status")
        batch_op.create_index("ix_complaint_account_status", ["account_id", "status", "sla_due_at"])


def downgrade() -> None:
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_account_status")
        batch_op.create_index("ix_complaint_account_status", ["account_id", "status"])
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_index("ix_agreement_account_due")
