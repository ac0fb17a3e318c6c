"""Headquarters (服务管理部): every center's month, the warnings and their decisions."""
