"""Qt item models over the read queries of the core."""
