"""The administration tab (系统管理)."""
