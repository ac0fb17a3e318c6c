"""The shipping tab (发货)."""
