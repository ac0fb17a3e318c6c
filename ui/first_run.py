"""The first-run wizard: a supervisor sets up a floor PC without a developer.

Pages: where the data lives (this PC / the center's server, with a connection test), the first
administrator, the center (name, address, phone, letterhead), this station's name, demo data.
Finish hands everything to ``app.admin.first_run.set_up`` off the UI thread; a refusal is shown on the
last page and nothing typed is lost. The chosen database and station name are remembered for the
next start (``ui/station_settings.py``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy.engine import make_url

from app.admin import first_run
from app.config import default_database_url, default_station_name
from app.errors import DomainError
from app.settings import CENTER_NAME
from ui import station_settings
from ui.i18n import domain_message, tr_app
from ui.ops import BackgroundOp

PLACE_PAGE, ADMIN_PAGE, CENTER_PAGE, STATION_PAGE, DEMO_PAGE = range(5)
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b6e20;"


def needs_first_run(db_url: str) -> bool:
    """No database yet, or nobody to sign in: the wizard comes before the sign-in."""
    return first_run.needs_first_run(db_url)


def run_first_run_wizard(db_url: str) -> str | None:
    """Show the wizard (modal); the database URL set up, or None when the supervisor cancels."""
    wizard = FirstRunWizard(db_url)
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    return wizard.chosen_url


def _message(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)


class PlacePage(QWizardPage):
    def __init__(self, db_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Where the data lives"))
        self.setSubTitle(
            self.tr(
                "One PC on its own keeps its data here; the stations of a center share a server."
            )
        )
        is_sqlite = make_url(db_url).get_backend_name() == "sqlite"
        self.local_url = db_url if is_sqlite else default_database_url()
        self.local = QRadioButton(self.tr("This PC only"))
        self.local.setObjectName("localChoice")
        self.server = QRadioButton(self.tr("The center's server"))
        self.server.setObjectName("serverChoice")
        choices = QButtonGroup(self)
        choices.addButton(self.local)
        choices.addButton(self.server)
        self.local_hint = QLabel(
            self.tr("Data file: {path}").format(path=make_url(self.local_url).database)
        )
        self.local_hint.setWordWrap(True)
        self.url = QLineEdit(self)
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText("postgresql://user:password@host/repairfloor")
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("testConnection")
        self.result = QLabel()
        self.result.setObjectName("connectionResult")
        self.result.setWordWrap(True)
        self.check: first_run.ServerCheck | None = None

        server_row = QHBoxLayout()
        server_row.addWidget(self.url, 1)
        server_row.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_hint)
        layout.addSpacing(12)
        layout.addWidget(self.server)
        layout.addLayout(server_row)
        layout.addWidget(self.result)
        layout.addStretch(1)

        if is_sqlite:
            self.local.setChecked(True)
        else:
            self.server.setChecked(True)
            self.url.setText(db_url)
        self.local.toggled.connect(self._choice_changed)
        self.url.textChanged.connect(self._url_changed)
        self.test_button.clicked.connect(self.test_connection)
        self._choice_changed()

    def uses_server(self) -> bool:
        return self.server.isChecked()

    def chosen_url(self) -> str:
        return first_run.server_url(self.url.text()) if self.uses_server() else self.local_url

    def server_already_set_up(self) -> bool:
        return self.uses_server() and self.check is not None and self.check.already_set_up

    def _choice_changed(self) -> None:
        self.url.setEnabled(self.uses_server())
        self.test_button.setEnabled(self.uses_server())
        self.completeChanged.emit()

    def _url_changed(self) -> None:
        self.check = None
        self.result.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.uses_server() or bool(self.url.text().strip())

    def test_connection(self) -> None:
        text = self.url.text()
        self.test_button.setEnabled(False)
        _message(self.result, self.tr("Connecting…"), True)
        BackgroundOp(self, lambda: first_run.check_server(text)).success(
            lambda check: self._tested(text, check)
        ).run_in_background()

    def _tested(self, text: str, check: first_run.ServerCheck) -> None:
        self.test_button.setEnabled(self.uses_server())
        if text != self.url.text():
            return  # the address changed while we were connecting
        self.check = check
        _message(self.result, check.message(tr_app), check.ok)

    def validatePage(self) -> bool:
        if not self.uses_server():
            return True
        if self.check is None:
            _message(self.result, self.tr("Test the connection first."), False)
            return False
        return self.check.ok

    def nextId(self) -> int:
        # A server another station already set up has its administrators and its center.
        return STATION_PAGE if self.server_already_set_up() else ADMIN_PAGE


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The first administrator"))
        self.setSubTitle(
            self.tr("The administrator signs in first and creates the accounts of the floor.")
        )
        self.username = QLineEdit("admin")
        self.username.setObjectName("adminUsername")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.repeated = QLineEdit()
        self.repeated.setObjectName("adminPasswordAgain")
        for field in (self.password, self.repeated):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("adminError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(
            self.tr("Password (at least {count} characters)").format(
                count=first_run.MIN_PASSWORD_LENGTH
            ),
            self.password,
        )
        form.addRow(self.tr("Password again"), self.repeated)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        try:
            first_run.check_admin(self.username.text(), self.password.text(), self.repeated.text())
        except DomainError as error:
            _message(self.error, domain_message(error), False)
            return False
        self.error.clear()
        return True


class CenterPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("The center"))
        self.setSubTitle(
            self.tr("Printed on labels, waybills and letters. You can change it later.")
        )
        self.name = QLineEdit(CENTER_NAME.default)
        self.name.setObjectName("centerName")
        self.address = QLineEdit()
        self.address.setObjectName("centerAddress")
        self.phone = QLineEdit()
        self.phone.setObjectName("centerPhone")
        self.letterhead = QPlainTextEdit()
        self.letterhead.setObjectName("centerLetterhead")
        self.letterhead.setPlaceholderText(self.tr("Empty: the center's name, address and phone"))
        self.letterhead.setMaximumHeight(80)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Letterhead"), self.letterhead)


class StationPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("This station"))
        self.setSubTitle(
            self.tr(
                "The name of this PC on the floor, e.g. Receiving 1: recorded in the audit log."
            )
        )
        self.name = QLineEdit(default_station_name())
        self.name.setObjectName("stationName")
        form = QFormLayout(self)
        form.addRow(self.tr("Station name"), self.name)

    def isComplete(self) -> bool:
        return bool(self.name.text().strip())


class DemoPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(self.tr("Finish creates the database. This takes a few seconds."))
        self.demo = QCheckBox(self.tr("Load demo data (users, orders in every state) to practise"))
        self.demo.setObjectName("loadDemo")
        self.status = QLabel()
        self.status.setObjectName("setupStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo)
        layout.addWidget(self.status)
        layout.addStretch(1)


class FirstRunWizard(QWizard):
    def __init__(self, db_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Setting up this PC"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.place = PlacePage(db_url)
        self.admin = AdminPage()
        self.center = CenterPage()
        self.station = StationPage()
        self.finish_page = DemoPage()
        for page_id, page in enumerate(
            (self.place, self.admin, self.center, self.station, self.finish_page)
        ):
            self.setPage(page_id, page)
        self.setStartId(PLACE_PAGE)
        self.chosen_url: str | None = None
        self.setup_result: first_run.FirstRunResult | None = None
        self._busy = False

    def answers(self) -> first_run.FirstRunAnswers:
        joining = self.place.server_already_set_up()
        return first_run.FirstRunAnswers(
            database_url=self.place.chosen_url(),
            admin_username="" if joining else self.admin.username.text().strip(),
            admin_password="" if joining else self.admin.password.text(),
            center_name=self.center.name.text(),
            center_address=self.center.address.text(),
            center_phone=self.center.phone.text(),
            letterhead=self.center.letterhead.toPlainText(),
            station=self.station.name.text().strip(),
            load_demo=self.finish_page.demo.isChecked(),
        )

    def validateCurrentPage(self) -> bool:
        if self.currentId() != DEMO_PAGE:
            return super().validateCurrentPage()
        if self.setup_result is not None:
            return True  # set up: Finish closes the wizard
        if not self._busy:
            self.set_up()
        return False

    def set_up(self) -> None:
        try:
            answers = self.answers()
        except DomainError as error:
            _message(self.finish_page.status, domain_message(error), False)
            return
        self._busy = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        _message(self.finish_page.status, self.tr("Setting up…"), True)
        BackgroundOp(self, lambda: first_run.set_up(answers)).success(self._set_up).failure(
            self._refused
        ).with_progress(self.tr("Creating the database…")).run_in_background()

    def _set_up(self, result: first_run.FirstRunResult) -> None:
        self._busy = False
        self.setup_result = result
        self.chosen_url = result.database_url
        # Remember the server (the local file is the default anyway) and the station's name.
        remembered = "" if result.database_url == default_database_url() else result.database_url
        station_settings.remember_database_url(remembered)
        station_settings.STATION_NAME.set(self.station.name.text().strip())
        _message(self.finish_page.status, self.tr("Done. Sign in as the administrator."), True)
        self.accept()

    def _refused(self, error: DomainError) -> None:
        self._busy = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        _message(self.finish_page.status, domain_message(error), False)
