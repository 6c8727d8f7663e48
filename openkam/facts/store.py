"""Where order lines live on disk, and how a batch appears all at once or not at all.

    <root>/order_lines/batch_id=<id>/part-0.parquet   published batches (what readers see)
    <root>/_staging/<id>-<random>/                      a batch being written
    <root>/_trash/                                       batches being deleted
    <root>/sellout/batch_id=<id>/part-0.parquet          sell-out batches (`SelloutArea`)

A batch is written into staging, flushed, then renamed into `order_lines/` in one atomic
`rename` (same file system). Readers only ever see whole batches. A crash leaves at most a
staging folder, which `reconcile` removes; a batch the database does not know as committed is
removed too (the crash came between the rename and the database commit).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

BATCH_PREFIX = "batch_id="


class FactStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def order_lines_dir(self) -> Path:
        return self.root / "order_lines"

    def order_lines_glob(self) -> str:
        return str(self.order_lines_dir / f"{BATCH_PREFIX}*" / "*.parquet")

    def batch_dir(self, batch_id: int) -> Path:
        return self.order_lines_dir / f"{BATCH_PREFIX}{batch_id}"

    def new_staging_dir(self, batch_id: int) -> Path:
        path = self.root / "_staging" / f"{batch_id}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def publish(self, staging: Path, batch_id: int) -> Path:
        for file in staging.iterdir():
            _fsync(file)
        self.order_lines_dir.mkdir(parents=True, exist_ok=True)
        target = self.batch_dir(batch_id)
        if target.exists():
            raise FileExistsError(f"{target} exists already: batch {batch_id} was published")
        os.rename(staging, target)
        _fsync_dir(self.order_lines_dir)
        return target

    def published_batch_ids(self) -> set[int]:
        if not self.order_lines_dir.exists():
            return set()
        return {
            int(path.name.removeprefix(BATCH_PREFIX))
            for path in self.order_lines_dir.iterdir()
            if path.name.startswith(BATCH_PREFIX)
        }

    def has_order_lines(self) -> bool:
        return bool(self.published_batch_ids())

    def delete_batch(self, batch_id: int) -> None:
        """Remove a published batch: it disappears for readers in one rename."""
        source = self.batch_dir(batch_id)
        if not source.exists():
            return
        trash = self.root / "_trash" / f"{batch_id}-{uuid.uuid4().hex[:8]}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def reconcile(self, committed: set[int], running: set[int] = frozenset()) -> list[str]:
        """Remove what a crash left behind (but not the staging of a `running` batch);
        returns what was removed, for the log."""
        removed = []
        for leftover in ("_staging", "_trash"):
            folder = self.root / leftover
            if folder.exists():
                for path in folder.iterdir():
                    batch_id = path.name.split("-", 1)[0]
                    if leftover == "_staging" and batch_id.isdigit() and int(batch_id) in running:
                        continue
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(str(path))
        for batch_id in self.published_batch_ids() - committed:
            self.delete_batch(batch_id)
            removed.append(f"batch {batch_id}")
        return removed


class SelloutArea:
    """The `sellout` fact table beside the order lines: the same atomic publication, its own
    staging and trash folders (the order lines' `reconcile` never touches them)."""

    def __init__(self, store: FactStore) -> None:
        self.root = store.root / "sellout"
        self._staging = store.root / "_sellout_staging"
        self._trash = store.root / "_sellout_trash"

    def glob(self) -> str:
        return str(self.root / f"{BATCH_PREFIX}*" / "*.parquet")

    def batch_dir(self, batch_id: int) -> Path:
        return self.root / f"{BATCH_PREFIX}{batch_id}"

    def new_staging_dir(self, batch_id: int) -> Path:
        path = self._staging / f"{batch_id}-{uuid.uuid4().hex[:8]}"
        path.mkdir(parents=True)
        return path

    def publish(self, staging: Path, batch_id: int) -> Path:
        for file in staging.iterdir():
            _fsync(file)
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.batch_dir(batch_id)
        if target.exists():
            raise FileExistsError(f"{target} exists already: batch {batch_id} was published")
        os.rename(staging, target)
        _fsync_dir(self.root)
        return target

    def published_batch_ids(self) -> set[int]:
        if not self.root.exists():
            return set()
        return {
            int(path.name.removeprefix(BATCH_PREFIX))
            for path in self.root.iterdir()
            if path.name.startswith(BATCH_PREFIX)
        }

    def delete_batch(self, batch_id: int) -> None:
        source = self.batch_dir(batch_id)
        if not source.exists():
            return
        trash = self._trash / f"{batch_id}-{uuid.uuid4().hex[:8]}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def reconcile(self, committed: set[int]) -> list[str]:
        """Remove leftover staging and trash, and published batches not committed."""
        removed = []
        for folder in (self._staging, self._trash):
            if folder.exists():
                for path in folder.iterdir():
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(str(path))
        for batch_id in self.published_batch_ids() - committed:
            self.delete_batch(batch_id)
            removed.append(f"sellout batch {batch_id}")
        return removed


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
