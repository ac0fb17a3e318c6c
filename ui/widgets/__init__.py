"""Widgets shared by the floor tabs."""
