"""Printed documents (reportlab): repair-order labels, receiving slips, waybills, letters."""
