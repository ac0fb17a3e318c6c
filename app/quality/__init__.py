"""Field quality (质量分析): failure rates over the sales register (``rates``), the early
warning (``detector``: the rule; ``alarms``: the checks and the alarm list a supervisor
acknowledges and closes), root causes and corrective actions (``actions``), the monthly report
to engineering (``report``) and the fault knowledge base (``knowledge``). Seed 003: 严格监控新产机型的性能情况, 及时发现及时反馈.

No tab of its own: its page sits in the ledgers and dashboard tab (``ui/quality``).
"""

from __future__ import annotations

__all__: list[str] = []
