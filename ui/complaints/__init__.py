"""The complaints and follow-up tab (客诉与回访)."""
