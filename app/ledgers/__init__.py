"""Ledgers and dashboard (台账与看板): Excel ledgers, KPIs."""
