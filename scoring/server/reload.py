"""Hot swap: the running server follows the registry's champion pointer with zero downtime.

`loan-advisor scoring retrain` (or `set-champion`, `rollback`) replaces `models/CHAMPION`
atomically. A watcher thread polls that pointer; when it names another model, the new model is
loaded beside the old one (the server keeps answering meanwhile) and then swapped in with one
reference assignment. A request reads the service's state once when it starts, so in-flight
requests finish on the old model and no request ever sees a half-loaded one. A champion that
fails to load is logged and the old model stays in service.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Protocol

from scoring.registry import CHAMPION_FILE, champion_id
from scoring.server.loading import ModelState, load_state

log = logging.getLogger("scoring.server")


class HoldsState(Protocol):
    """What the watcher swaps the model of (the scoring service)."""

    state: ModelState


def registry_root(source: Path) -> Path | None:
    """Return the registry root whose champion `source` follows, None for a fixed model folder."""
    source = Path(source)
    if (source / "models").is_dir():  # a champion may be set after the server started
        return source
    if source.name == "models" and (source / CHAMPION_FILE).is_file():
        return source.parent
    return None


class ChampionWatcher:
    """Polls the champion pointer and swaps a newly named model in (see the module docstring)."""

    def __init__(self, service: HoldsState, root: Path, interval: float = 1.0) -> None:
        self._service = service
        self._root = root
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="champion-watcher", daemon=True)
        self.swaps = 0
        self._failed: str | None = None  # a champion that did not load is not retried

    def _current(self) -> str | None:
        model = self._service.state.model
        return model.model_id if model is not None else None

    def check(self) -> bool:
        """Swap in the champion if the pointer moved; return whether a swap happened."""
        wanted = champion_id(self._root)
        if wanted is None or wanted in (self._current(), self._failed):
            return False
        fresh = load_state(self._root)  # loads while the old model keeps serving
        if not fresh.ready or fresh.model is None or fresh.model.model_id != wanted:
            log.error("champion %s not swapped in: %s", wanted, fresh.reason or "pointer moved")
            self._failed = wanted
            return False
        old = self._current()
        self._service.state = fresh  # one reference assignment: requests see old or new
        self.swaps += 1
        log.info("scoring model swapped", extra={"model_version": wanted, "previous": old})
        return True

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.check()
            except Exception:  # a bad poll must never stop the watcher or the server
                log.exception("champion check failed")

    def start(self) -> ChampionWatcher:
        """Start polling in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()
        self._thread.join(timeout=5)
