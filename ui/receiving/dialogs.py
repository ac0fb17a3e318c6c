"""The receiving desk's dialogs: open a box (sender + declared quantity), close it (a note on a
difference), and check a sales-register file before applying it. Each is opened with
``open()``; the service call happens on OK and a refusal keeps the dialog open with the reason."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import DomainError
from app.receiving import BoxSummary, close_box, open_box
from app.receiving.condition import condition_form
from app.receiving.desk import WaybillCheck, add_sender, search_senders
from app.receiving.pending_checks import PendingCheck, mark_all_intact, pending_checks
from ui.receiving.condition import ConditionDialog, all_intact_button
from ui.widgets.feedback import MessageLine, Outcome, show_domain_error
from ui.widgets.floor_action import busy, run_floor_action
from ui.widgets.lifetime import tolerant_filter


class OpenBoxDialog(QDialog):
    """The sender of the box and how many units they declared; Enter opens the box."""

    box_opened = Signal(int)

    def __init__(self, ctx: Context, waybill: WaybillCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openBoxDialog")
        self.ctx = ctx
        self.waybill = waybill
        self.setWindowTitle(self.tr("Open box {waybill}").format(waybill=waybill.waybill_no))
        heading = QLabel(
            self.tr("Waybill {waybill} ({carrier})").format(
                waybill=waybill.waybill_no, carrier=waybill.carrier_name
            ),
            self,
        )
        heading.setStyleSheet("QLabel { font-weight: bold; font-size: 14px; }")
        self.search = QLineEdit(self)
        self.search.setObjectName("senderSearch")
        self.search.setPlaceholderText(self.tr("Type the start of the name or phone"))
        self.sender = QComboBox(self)
        self.sender.setObjectName("senderCombo")
        self.sender.setPlaceholderText(self.tr("Choose the sender (type, then ↓ ↑)"))
        self.search.textChanged.connect(self._search)
        self.search.installEventFilter(self)
        self.new_sender = QCheckBox(self.tr("New sender"), self)
        self.new_sender.setObjectName("newSenderCheck")
        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("newSenderName")
        self.new_phone = QLineEdit(self)
        self.new_phone.setObjectName("newSenderPhone")
        self.new_address = QLineEdit(self)
        self.new_address.setObjectName("newSenderAddress")
        self.new_form = QWidget(self)
        new_layout = QFormLayout(self.new_form)
        new_layout.setContentsMargins(0, 0, 0, 0)
        new_layout.addRow(self.tr("Name"), self.new_name)
        new_layout.addRow(self.tr("Phone"), self.new_phone)
        new_layout.addRow(self.tr("Address"), self.new_address)
        self.new_form.setVisible(False)
        self.new_sender.toggled.connect(self._toggle_new)
        self.declared = QSpinBox(self)
        self.declared.setObjectName("declaredQuantity")
        self.declared.setRange(1, 9999)
        self.message = MessageLine(self)
        self.message.setObjectName("openBoxMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Open box"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Sender"), self.search)
        form.addRow("", self.sender)
        form.addRow("", self.new_sender)
        form.addRow("", self.new_form)
        form.addRow(self.tr("Declared quantity"), self.declared)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # One Tab from the search reaches the quantity; the arrows pick among the matches.
        QWidget.setTabOrder(self.search, self.declared)
        QWidget.setTabOrder(self.declared, self.sender)
        QWidget.setTabOrder(self.sender, self.new_sender)
        self._search("")

    def _search(self, text: str) -> None:
        """The senders matching the text; one is chosen only when it is the only match (never
        silently the first of a list)."""
        self.sender.clear()
        for sender in search_senders(self.ctx, text):
            label = f"{sender.name} · {sender.phone}" if sender.phone else sender.name
            self.sender.addItem(label, sender.id)
        self.sender.setCurrentIndex(0 if text.strip() and self.sender.count() == 1 else -1)

    @tolerant_filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.sender.count():
                index = self.sender.currentIndex() + step
                self.sender.setCurrentIndex(max(0, min(index, self.sender.count() - 1)))
                return True
        return super().eventFilter(watched, event)

    def _toggle_new(self, on: bool) -> None:
        self.new_form.setVisible(on)
        self.search.setEnabled(not on)
        self.sender.setEnabled(not on)
        (self.new_name if on else self.search).setFocus()

    def accept(self) -> None:
        """Save on the floor worker (the new sender first, then the box); the dialog closes
        when the box is open and stays open with the reason on a refusal."""
        if busy(self.ok_button):
            return
        if self.new_sender.isChecked():
            ctx, name = self.ctx, self.new_name.text()
            phone, address = self.new_phone.text(), self.new_address.text()
            self._save(lambda: add_sender(ctx, name, phone, address), self._sender_added)
            return
        sender_id = self.sender.currentData()
        if sender_id is None:
            self.message.show_message(Outcome.ERROR, self.tr("Choose the sender of this box."))
            return
        self._open(sender_id)

    def _sender_added(self, sender_id: int) -> None:
        self.new_sender.setChecked(False)  # added: a retry must not add it twice
        self.search.setText(self.new_name.text().strip())
        self.sender.setCurrentIndex(max(self.sender.findData(sender_id), 0))
        self._open(sender_id)

    def _open(self, sender_id: int) -> None:
        ctx, waybill_no, declared = self.ctx, self.waybill.waybill_no, self.declared.value()
        self._save(
            lambda: open_box(ctx, waybill_no, sender_id=sender_id, declared_quantity=declared),
            self._opened,
        )

    def _opened(self, box_id: int) -> None:
        super().accept()
        self.box_opened.emit(box_id)

    def _save(self, work: Callable[[], int], done: Callable[[int], None]) -> None:
        run_floor_action(
            self,
            work,
            done,
            failed=lambda error: show_domain_error(self, error, self.message),
            button=self.ok_button,
        )


class CloseBoxDialog(QDialog):
    """Scanned against declared; a difference needs a note (the customer will be contacted).
    The units whose appearance check is still pending are listed, with "all intact" on one key
    (F4) and a double click to check one that is damaged."""

    def __init__(
        self,
        ctx: Context,
        summary: BoxSummary,
        closed: Callable[[BoxSummary], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("closeBoxDialog")
        self.ctx, self.box_id, self._closed = ctx, summary.id, closed
        self.pending: list[PendingCheck] = []
        self.check_dialog: ConditionDialog | None = None
        self.setWindowTitle(self.tr("Close box {waybill}").format(waybill=summary.waybill_no))
        count = QLabel(
            self.tr("Declared {declared}, scanned {scanned}.").format(
                declared=summary.declared_quantity, scanned=summary.scanned_quantity
            ),
            self,
        )
        count.setObjectName("closeBoxCount")
        count.setStyleSheet("QLabel { font-size: 15px; font-weight: bold; }")
        self.pending_title = QLabel(self)
        self.pending_title.setObjectName("pendingChecksTitle")
        self.pending_title.setWordWrap(True)
        self.pending_title.setStyleSheet("QLabel { color: #8a4b00; font-weight: bold; }")
        self.pending_list = QListWidget(self)
        self.pending_list.setObjectName("pendingChecksList")
        self.pending_list.itemDoubleClicked.connect(self._check_one)
        self.all_intact = all_intact_button(self, self._all_intact)
        self.note = QLineEdit(self)
        self.note.setObjectName("differenceNote")
        differs = summary.difference != 0
        self.note.setPlaceholderText(
            self.tr("What differs? (the customer will be contacted)")
            if differs
            else self.tr("Note (optional)")
        )
        self.message = MessageLine(self)
        self.message.setObjectName("closeBoxMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Close box"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(count)
        layout.addWidget(self.pending_title)
        layout.addWidget(self.pending_list)
        layout.addWidget(self.all_intact)
        if differs:
            warning = QLabel(
                self.tr("The count differs from the declared quantity: write what differs."),
                self,
            )
            warning.setStyleSheet("QLabel { color: #8a1010; }")
            layout.addWidget(warning)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reload_pending()
        self.note.setFocus()

    def reload_pending(self) -> None:
        try:
            self.pending = pending_checks(self.ctx, self.box_id)
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        self.pending_list.clear()
        for check in self.pending:
            item = QListWidgetItem(
                self.tr("{order_no} · {serial} · {model} — missing: {items}").format(
                    order_no=check.order_no,
                    serial=check.serial,
                    model=check.model_name,
                    items="、".join(check.missing),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, check.order_id)
            self.pending_list.addItem(item)
        self.pending_title.setText(
            self.tr(
                "{count} unit(s) still need the appearance check: they cannot be allocated "
                "before it. All intact (F4), or double-click a damaged one to check it."
            ).format(count=len(self.pending))
        )
        for widget in (self.pending_title, self.pending_list, self.all_intact):
            widget.setVisible(bool(self.pending))

    def _all_intact(self) -> None:
        if not self.pending or busy(self.all_intact):
            return
        ctx, checks = self.ctx, [(c.order_id, c.version) for c in self.pending]

        def marked(done: list[int]) -> None:
            self.message.show_message(
                Outcome.OK,
                self.tr("Appearance check complete for {count} unit(s).").format(count=len(done)),
            )
            self.reload_pending()
            self.note.setFocus()

        def refused(error: DomainError) -> None:
            show_domain_error(self, error, self.message)
            self.reload_pending()

        run_floor_action(
            self,
            lambda: mark_all_intact(ctx, checks),
            marked,
            failed=refused,
            button=self.all_intact,
        )

    def _check_one(self, item: QListWidgetItem) -> None:
        order_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            form = condition_form(self.ctx, order_id)
        except DomainError as error:
            show_domain_error(self, error, self.message)
            return
        self.check_dialog = ConditionDialog(self.ctx, form, self)
        self.check_dialog.recorded.connect(lambda _missing: self.reload_pending())
        self.check_dialog.open()

    def accept(self) -> None:
        """Close the box on the floor worker; the dialog stays open with the reason on a
        refusal (a difference with no note)."""
        if busy(self.ok_button):
            return
        ctx, box_id, note = self.ctx, self.box_id, self.note.text()
        run_floor_action(
            self,
            lambda: close_box(ctx, box_id, difference_note=note),
            self._box_closed,
            failed=lambda error: show_domain_error(self, error, self.message),
            button=self.ok_button,
        )

    def _box_closed(self, closed: BoxSummary) -> None:
        super().accept()
        self._closed(closed)
