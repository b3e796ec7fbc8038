"""Sessions in progress: one per kind (study, practice, exam) and bank, as JSON."""

from __future__ import annotations

from datetime import datetime

from trainer.engine.records import SavedSession
from trainer.engine.store.codec import from_us, to_us
from trainer.engine.store.connection import Connection


class Sessions(Connection):
    def saved_session(self, bank_id: str, kind: str) -> SavedSession | None:
        rows = self._q(
            "SELECT kind, state, updated FROM sessions WHERE bank_id = ? AND kind = ?",
            (bank_id, kind),
        )
        if not rows:
            return None
        r = rows[0]
        return SavedSession(
            kind=str(r["kind"]), state=str(r["state"]), updated=from_us(r["updated"])
        )

    def save_session(self, bank_id: str, kind: str, state: str, now: datetime) -> None:
        """Within the caller's write() (or in one of its own)."""
        with self.write():
            self._x(
                "INSERT INTO sessions (bank_id, kind, state, updated) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (bank_id, kind) DO UPDATE SET state = excluded.state, "
                "updated = excluded.updated",
                (bank_id, kind, state, to_us(now)),
            )

    def drop_session(self, bank_id: str, kind: str) -> None:
        with self.write():
            self._x("DELETE FROM sessions WHERE bank_id = ? AND kind = ?", (bank_id, kind))
