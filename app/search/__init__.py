"""Finding things (查询): global search, lookups by code, an order's timeline and a unit's history."""
