"""The QC aging tab (QC老化测试)."""
