"""Administration (系统管理): users, catalogues, the audit log, backups, diagnostics, first run."""
