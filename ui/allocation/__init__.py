"""The allocation tab (分配) and the technician's workbench (维修台)."""
