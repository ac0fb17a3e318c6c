"""Shipping (发货): shipments, waybills, and what is ready to go."""
