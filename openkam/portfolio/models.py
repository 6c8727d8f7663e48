"""The portfolio cockpit stores nothing of its own: it reads the metrics snapshots
(openkam.metrics) and the key-account records (openkam.keyaccounts)."""
