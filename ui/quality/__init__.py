"""The field-quality page of the ledgers and dashboard tab."""
