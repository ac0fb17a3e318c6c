"""The receiving tab (收货)."""
