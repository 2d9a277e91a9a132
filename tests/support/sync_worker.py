"""A sync worker in its own process, for the kill test: drains the counter's outbox to central in small
batches until nothing is left (exit 0), or until it is killed.

    python -m tests.support.sync_worker DATABASE_URL BATCH_SIZE
"""

from __future__ import annotations

import sys

from counter_app.db.database import Database
from counter_app.domain.clock import SystemClock
from counter_app.sync.client import SyncClient


def main(argv: list[str]) -> int:
    url, batch_size = argv[0], int(argv[1])
    db = Database(url)
    client = SyncClient(db, SystemClock(), batch_size=batch_size)
    while True:
        report = client.run_once()
        if report.permanent:
            print(report.error, file=sys.stderr)
            return 2
        if report.drained:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
