"""The supervisor's tiles at the top of the dashboard: seven large figures (red when something is
late or the month is at its limit), each opening the list behind it. The figures are
:func:`app.ledgers.tiles.tile_figures`, read off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QGridLayout, QPushButton, QVBoxLayout, QWidget

from app.context import Context
from app.ledgers.tiles import TILE_LABELS, Tile, TileFigure, TileRow, tile_figures, tile_rows
from ui.i18n import format_time, tr_app
from ui.models.lists import ListTableModel
from ui.models.paged import Column
from ui.ops import BackgroundOp
from ui.widgets.sections import TableSection

REFRESH_MS = 60_000  # deadlines pass without any write: look again every minute
_RED = "QPushButton { background: #b3261e; color: white; border-radius: 6px; padding: 6px; }"
_CALM = "QPushButton { background: #e8f0e8; color: #1b3d1b; border-radius: 6px; padding: 6px; }"

ROW_COLUMNS = (
    Column(QT_TRANSLATE_NOOP("Columns", "Number"), lambda row: row.code),
    Column(
        QT_TRANSLATE_NOOP("Columns", "What"),
        lambda row: f"{tr_app(row.kind)}: {row.what}" if row.kind else row.what,
    ),
    Column(QT_TRANSLATE_NOOP("Columns", "Due or since"), lambda row: format_time(row.when)),
)


def tile_text(figure: TileFigure) -> str:
    if figure.target_percent is not None:  # satisfaction: the rate against the target
        rate = "—" if figure.rate is None else f"{figure.rate:.1%}"
        target = QCoreApplication.translate("Tiles", "target {target} %").format(
            target=figure.target_percent
        )
        return f"{rate} ({figure.count} / {figure.surveys or 0}) · {target}\n" + tr_app(
            TILE_LABELS[figure.tile]
        )
    count = str(figure.count) if figure.limit is None else f"{figure.count} / {figure.limit}"
    return f"{count}\n{tr_app(TILE_LABELS[figure.tile])}"


class TileList(QDialog):
    """The orders, units, complaints or calls a tile counts, most urgent first."""

    def __init__(self, tile: Tile, rows: list[TileRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileList")
        self.setWindowTitle(tr_app(TILE_LABELS[tile]))
        self.section = TableSection(
            tr_app(TILE_LABELS[tile]),
            ListTableModel(ROW_COLUMNS, lambda: rows, in_memory=True),
            "tileRows",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.section)
        self.resize(640, 420)


class Tiles(QWidget):
    def __init__(
        self, ctx: Context, now: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTiles")
        self.ctx, self.now = ctx, now
        self.figures: dict[Tile, TileFigure] = {}
        self.buttons: dict[Tile, QPushButton] = {}
        self.list_dialog: TileList | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, tile in enumerate(Tile):
            button = QPushButton(self)
            button.setObjectName(f"tile_{tile.value}")
            button.setMinimumHeight(64)
            font = button.font()
            font.setPointSize(max(font.pointSize(), 9) + 5)
            font.setBold(True)
            button.setFont(font)
            button.setToolTip(self.tr("Open the list"))
            button.clicked.connect(lambda _=False, t=tile: self.open_list(t))
            grid.addWidget(button, index // 4, index % 4)  # seven tiles: four, then three
            self.buttons[tile] = button
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def refresh(self) -> None:
        now, ctx = self.now(), self.ctx  # the work holds plain data, never this widget
        BackgroundOp(self, lambda: tile_figures(ctx, now)).success(
            self.show_figures
        ).run_in_background()
        self.timer.start()

    def show_figures(self, figures: list[TileFigure]) -> None:
        self.figures = {figure.tile: figure for figure in figures}
        for figure in figures:
            button = self.buttons[figure.tile]
            button.setText(tile_text(figure))
            button.setStyleSheet(_RED if figure.alarming else _CALM)
            button.setAccessibleName(tile_text(figure).replace("\n", " "))

    def open_list(self, tile: Tile) -> None:
        now, ctx = self.now(), self.ctx
        BackgroundOp(self, lambda: tile_rows(ctx, tile, now)).success(
            lambda rows: self._show_list(tile, rows)
        ).run_in_background()

    def _show_list(self, tile: Tile, rows: list[TileRow]) -> None:
        if self.list_dialog is not None:
            self.list_dialog.close()
        self.list_dialog = TileList(tile, rows, self)
        self.list_dialog.open()
