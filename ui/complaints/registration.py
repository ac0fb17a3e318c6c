"""The register form (客怨处理登记表): customer (search by name or phone), channel, what happened,
what they ask for, the orders concerned (scanned into the tab's scan field or typed), grade and
category. The customers found and a customer's watch are read on the read worker; a scanned
order's customers come with the scan (read on the floor worker: ``customers_of``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app import complaints
from app.complaints import watchlist
from app.context import Context
from app.errors import N_, NotFound
from app.models import ComplaintCategory, ComplaintChannel, ComplaintGrade
from app.orders.listing import OrderRow
from app.search.lookup import order_by_code
from app.vocabulary import COMPLAINT_CATEGORY_LABELS, label
from ui.i18n import format_time, tr_app
from ui.ops import LatestRead
from ui.widgets.shortcuts import routine

Customers = list[tuple[int, str, str | None]]


def customers_of(ctx: Context, order: OrderRow | None) -> Customers | None:
    """The customers named as the order's (on the floor worker, with the scan's lookup)."""
    return None if order is None else complaints.find_customers(ctx, order.customer_name)


class RegisterForm(QGroupBox):
    registered = Signal(str)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintRegisterForm")
        self.setTitle(self.tr("Register a complaint"))
        self.ctx = ctx
        self.order_ids: list[int] = []
        self.customer_search = QLineEdit(self)
        self.customer_search.setObjectName("complaintCustomerSearch")
        self.customer_search.setPlaceholderText(self.tr("Name or phone, then Enter"))
        self.customer = QComboBox(self)
        self.customer.setObjectName("complaintCustomer")
        self.channel = QComboBox(self)
        self.channel.setObjectName("complaintChannel")
        for channel in ComplaintChannel:
            self.channel.addItem(tr_app(label(channel)), channel)
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("complaintDescription")
        self.description.setFixedHeight(60)
        self.request = QLineEdit(self)
        self.request.setObjectName("complaintRequest")
        self.order_entry = QLineEdit(self)
        self.order_entry.setObjectName("complaintOrderEntry")
        self.order_entry.setPlaceholderText(self.tr("Order no. or serial, then Enter"))
        self.orders = QListWidget(self)
        self.orders.setObjectName("complaintOrders")
        self.orders.setFixedHeight(48)
        self.grade = QComboBox(self)
        self.grade.setObjectName("complaintGrade")
        for grade in ComplaintGrade:
            self.grade.addItem(tr_app(label(grade)), grade)
        self.category = QComboBox(self)
        self.category.setObjectName("complaintCategory")
        for category in ComplaintCategory:
            self.category.addItem(tr_app(COMPLAINT_CATEGORY_LABELS[category]), category)
        self.submit = QPushButton(self.tr("Register"), self)
        self.submit.setObjectName("registerComplaintButton")
        routine(self.submit, "F5")
        clear_orders = QPushButton(self.tr("Clear orders"), self)
        clear_orders.clicked.connect(self.clear_orders)
        order_row = QHBoxLayout()
        order_row.addWidget(self.order_entry, 1)
        order_row.addWidget(clear_orders)

        layout = QFormLayout(self)
        layout.addRow(self.tr("Customer"), self.customer_search)
        layout.addRow("", self.customer)
        self.watch = QLabel(self)
        self.watch.setObjectName("customerWatchFlag")
        self.watch.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")
        self.watch.setVisible(False)
        layout.addRow("", self.watch)
        self.customer.currentIndexChanged.connect(self._show_watch)
        layout.addRow(self.tr("Channel"), self.channel)
        layout.addRow(self.tr("What happened"), self.description)
        layout.addRow(self.tr("What they ask for"), self.request)
        layout.addRow(self.tr("Orders concerned"), order_row)
        layout.addRow("", self.orders)
        layout.addRow(self.tr("Grade"), self.grade)
        layout.addRow(self.tr("Category"), self.category)
        layout.addRow("", self.submit)
        self.customer_search.returnPressed.connect(self.search_customers)
        self.order_entry.returnPressed.connect(self._order_entered)
        self._customers = LatestRead(self, self._fill_customers)
        self._watched = LatestRead(self, self._show_until)

    def search_customers(self) -> None:
        """The customers whose name or phone holds the search text (read on the read worker)."""
        ctx, text = self.ctx, self.customer_search.text()
        self._customers.run(lambda: complaints.find_customers(ctx, text))

    def _fill_customers(self, found: Customers) -> None:
        self._customers.drop_pending()  # a scan's customers overtake a search in flight
        self.customer.clear()
        for customer_id, name, phone in found:
            self.customer.addItem(f"{name}  {phone or ''}".strip(), customer_id)

    def _show_watch(self) -> None:
        """The customer's complaint watch (3 months after a settled complaint), at the phone."""
        customer_id, ctx = self.customer.currentData(), self.ctx
        if customer_id is None:
            self._watched.drop_pending()
            self._show_until(None)
            return
        self._watched.run(lambda: watchlist.watched_until(ctx, customer_id))

    def _show_until(self, until: datetime | None) -> None:
        self.watch.setVisible(until is not None)
        if until is not None:
            self.watch.setText(
                self.tr("Under watch after a complaint until {date}: handle with care.").format(
                    date=format_time(until)
                )
            )

    def _order_entered(self) -> None:
        self.add_order(self.order_entry.text())
        self.order_entry.clear()

    def add_order(self, code: str) -> str:
        """Add the order a scan or typed number names; its customer is chosen if none is."""
        return self.add_found(order_by_code(self.ctx, code), code)

    def add_found(
        self, order: OrderRow | None, code: str, customers: Customers | None = None
    ) -> str:
        """Add the order a scan found (looked up on the floor worker, with its ``customers``);
        its customer is chosen if none is."""
        if order is None:
            raise NotFound(N_("No repair order or serial {code}. Scan the label again."), code=code)
        if order.id not in self.order_ids:
            self.order_ids.append(order.id)
            self.orders.addItem(f"{order.order_no}  {order.model_name}  {order.serial}")
        if self.customer.count() == 0:
            self.customer_search.setText(order.customer_name)
            if customers is not None:
                self._fill_customers(customers)
            else:
                self.search_customers()
        return order.order_no

    def wants_customer(self) -> bool:
        """No customer chosen yet: the next order added chooses its own."""
        return self.customer.count() == 0

    def clear_orders(self) -> None:
        self.order_ids.clear()
        self.orders.clear()

    def registration(self) -> Callable[[], str]:
        """The complaint as the form says now, to register on the floor worker (its number)."""
        customer_id = self.customer.currentData()
        if customer_id is None:
            raise NotFound(N_("Choose the customer who complains."))
        ctx, channel, grade = self.ctx, self.channel.currentData(), self.grade.currentData()
        description, request = self.description.toPlainText(), self.request.text()
        category, order_ids = self.category.currentData(), tuple(self.order_ids)
        return lambda: complaints.register_complaint(
            ctx,
            customer_id=customer_id,
            channel=channel,
            description=description,
            customer_request=request,
            grade=grade,
            category=category,
            order_ids=order_ids,
        )

    def cleared_after(self, number: str) -> None:
        """Registered as ``number``: the form is empty for the next complaint."""
        self.description.clear()
        self.request.clear()
        self.clear_orders()
        self.registered.emit(number)
