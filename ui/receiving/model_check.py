"""Asking the clerk to confirm the intake panel's model when the core refused it for a model
disagreement (the sales register or the IMEI's TAC says otherwise).

The dialog's default button is "Cancel" and the confirmation is never a default or auto-default
button: a stray scan ending in Enter while it is open cancels, it never confirms. "Use {known}"
sets the panel back to automatic and receives the unit as the model that is known.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.receiving.intake import ModelDisagreement
from ui.i18n import domain_message


class ModelConfirmDialog(QMessageBox):
    def __init__(
        self,
        disagreement: ModelDisagreement,
        confirm: Callable[[], None],
        use_known: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelConfirmDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Which model is {serial}?").format(serial=disagreement.serial))
        self.setText(domain_message(disagreement))
        self.setInformativeText(
            self.tr("Receive it as {chosen} only if the unit in your hand is a {chosen}.").format(
                chosen=disagreement.chosen
            )
        )
        self.confirm_button = self.addButton(
            self.tr("Receive as {chosen}").format(chosen=disagreement.chosen),
            QMessageBox.ButtonRole.AcceptRole,
        )
        self.confirm_button.setObjectName("confirmModelButton")
        self.known_button = self.addButton(
            self.tr("Receive as {known}").format(known=disagreement.known),
            QMessageBox.ButtonRole.ApplyRole,
        )
        self.known_button.setObjectName("useKnownModelButton")
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancelModelButton")
        for button in (self.confirm_button, self.known_button):
            button.setAutoDefault(False)  # Enter on a focused button must not press it
            button.setDefault(False)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        self.buttonClicked.connect(self._clicked)
        self._confirm, self._use_known = confirm, use_known

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        # After the tab's own "focus back on the scan field" (queued before the dialog opened):
        # the dialog keeps the keyboard, so a stray scan lands here and Enter cancels.
        QTimer.singleShot(0, self, self._take_focus)

    def _take_focus(self) -> None:
        self.activateWindow()
        self.cancel_button.setFocus()

    def _clicked(self, button) -> None:
        if button is self.confirm_button:
            self._confirm()
        elif button is self.known_button:
            self._use_known()
