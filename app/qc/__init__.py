"""QC aging (老化测试): racking, sign-off, and what the racks and statistics show."""
