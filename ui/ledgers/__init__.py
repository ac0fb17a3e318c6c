"""The ledgers and dashboard tab (台账与看板)."""
