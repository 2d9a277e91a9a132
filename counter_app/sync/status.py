"""How the link to central stands, in one read: what the counter window's header and ``sync status`` show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.services.app import CounterApp
from counter_app.sync import outbox
from counter_app.sync.link import LinkState, link_state


@dataclass(frozen=True)
class SyncStatus:
    state: LinkState | None  # None: the link was never configured
    backlog: outbox.Backlog

    @property
    def configured(self) -> bool:
        return self.state is not None

    @property
    def connected(self) -> bool:
        """The last exchange with central succeeded."""
        return bool(self.state and self.state.last_success_at and not self.state.last_error)

    @property
    def oldest_waiting(self) -> datetime | None:
        return self.backlog.oldest


def read_sync_status(app: CounterApp) -> SyncStatus:
    state = link_state(app.db)
    with app.db.reading() as session:
        return SyncStatus(state, outbox.backlog(session))
