"""The fault knowledge base on the field-quality page: search the articles (fault code → cause
→ action, per model, the most used first) and export them to Excel for the agents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.quality import knowledge
from app.quality.knowledge import Article
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.feedback import show_domain_error
from ui.widgets.sections import TableSection

ARTICLE_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Model"), lambda a: a.model_code),
    Column(QT_TRANSLATE_NOOP("Columns", "Fault"), lambda a: f"{a.fault_code} {a.fault_text}"),
    Column(QT_TRANSLATE_NOOP("Columns", "Cause"), lambda a: a.cause),
    Column(QT_TRANSLATE_NOOP("Columns", "Action"), lambda a: a.action),
    Column(QT_TRANSLATE_NOOP("Columns", "Repairs"), lambda a: str(a.repairs), None, True),
    Column(QT_TRANSLATE_NOOP("Columns", "Photos"), lambda a: str(a.photos), None, True),
)


def ask_export_path(parent: QWidget) -> Path | None:
    """Where to save the workbook (tests replace this)."""
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Export the knowledge base"), "故障知识库.xlsx", "Excel (*.xlsx)"
    )
    return Path(name) if name else None


def _articles(ctx: Context, text: str) -> list[Article]:
    """In the read worker."""
    try:
        return knowledge.knowledge_articles(ctx, text=text)
    except DomainError:
        return []


class KnowledgePanel(QWidget):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgePanel")
        self.ctx = ctx
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search the fault knowledge base"))
        self.articles = TableSection(
            self.tr("Fault knowledge base"),
            ListTableModel(
                ARTICLE_COLUMNS,
                lambda text: _articles(ctx, text),
                tables=frozenset({"repair_records"}),
                args=lambda: (self.search.text(),),
            ),
            "knowledgeTable",
        )
        self.export_button = QPushButton(self.tr("Export for agents…"), self)
        self.status = QLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.articles)
        self.search.returnPressed.connect(self.articles.reload)
        self.export_button.clicked.connect(self.export)

    def export(self) -> None:
        path = ask_export_path(self)
        if path is None:
            return
        text = self.search.text()
        self._run(
            lambda: knowledge.export_knowledge_base(self.ctx, path, text=text),
            lambda written: self.status.setText(
                self.tr("Exported: {file}").format(file=written.name)
            ),
        )

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        BackgroundOp(self, work).success(done).failure(
            lambda error: show_domain_error(self, error)
        ).run_in_background()
