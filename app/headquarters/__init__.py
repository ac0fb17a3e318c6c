"""Headquarters (服务管理部): every center's figures of a month, the two-valid-complaints warning
and its decision, for a user whose home center is headquarters."""
