"""Allocation (分配): the dispatcher's queue and badges, and the technician's workbench (维修台)."""
