"""Repair orders shared by every area: the state transitions, the row lock, the order lists."""
