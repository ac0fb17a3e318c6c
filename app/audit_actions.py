"""Every action the audit log records, with its label (one vocabulary: the timeline, the audit
viewer and its Excel export all show these labels).

Values are what the audit table stores: never rename a value. A repair-order transition
(:class:`app.states.Action`) and a stock move (:class:`app.models.MoveKind`) are recorded under
their own value, so each of those has its member here (tests check both stay covered).
"""

from __future__ import annotations

import enum

from app.errors import N_


class AuditAction(enum.StrEnum):
    # Repair-order transitions (app.states.Action)
    ALLOCATE = "allocate"
    START_REPAIR = "start_repair"
    WAIT_FOR_PARTS = "wait_for_parts"
    PARTS_ARRIVED = "parts_arrived"
    PROPOSE_CHARGE = "propose_charge"
    ACCEPT_CHARGE = "accept_charge"
    REFUSE_CHARGE = "refuse_charge"
    WAIVE_CHARGE = "waive_charge"  # not a transition: the order stays where it is
    FINISH_REPAIR = "finish_repair"
    START_QC = "start_qc"
    PASS_QC = "pass_qc"
    FAIL_QC = "fail_qc"
    SHIP = "ship"
    REQUEST_SPECIAL = "request_special"
    APPROVE_SPECIAL = "approve_special"
    REJECT_SPECIAL = "reject_special"
    RETURN_UNREPAIRED = "return_unrepaired"
    # Receiving
    RECEIVE = "receive"
    RECORD_CONDITION = "record_condition"
    ATTACH_PHOTO = "attach_photo"
    OPEN_BOX = "open_box"
    CLOSE_BOX = "close_box"
    ADD_CUSTOMER = "add_customer"
    IMPORT_SALES_REGISTER = "import_sales_register"
    CORRECT_UNIT_MODEL = "correct_unit_model"
    # Allocation and the workbench
    REASSIGN = "reassign"
    RECORD_REPAIR = "record_repair"
    SWAP_SERIAL = "swap_serial"
    # Parts
    RECEIVE_STOCK = "receive_stock"
    ISSUE_PART = "issue_part"
    RETURN_UNUSED = "return_unused"
    RETURN_FAULTY = "return_faulty"
    SCRAP = "scrap"
    SALE = "sale"
    ADJUSTMENT = "adjustment"
    SUPPLIER_RETURN = "supplier_return"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    REQUEST_PURCHASE = "request_purchase"
    WAIT_FOR_PART = "wait_for_part"
    IMPORT_PARTS_MASTER = "import_parts_master"
    ADD_PART = "add_part"
    EDIT_PART_MASTER = "edit_part_master"
    EDIT_PART_STOCK = "edit_part_stock"
    # QC
    QC_OVERRIDE = "qc_override"
    # Shipping
    CREATE_SHIPMENT = "create_shipment"
    PACK = "pack"
    UNPACK = "unpack"
    SET_WAYBILL = "set_waybill"
    CANCEL_SHIPMENT = "cancel_shipment"
    # Complaints and follow-ups
    REGISTER_COMPLAINT = "register_complaint"
    COMPLAINT_FIRST_CONTACT = "complaint_first_contact"
    COMPLAINT_ANSWER = "complaint_answer"
    SETTLE_COMPLAINT = "settle_complaint"
    COMPLAINT_ASSIGN = "complaint_assign"
    COMPLAINT_FACTS = "complaint_facts"
    COMPLAINT_REMEDIES = "complaint_remedies"
    COMPLAINT_APPROVE_REMEDIES = "complaint_approve_remedies"
    COMPLAINT_CHOICE = "complaint_choice"
    COMPLAINT_VALIDITY = "complaint_validity"
    CLOSE_COMPLAINT = "close_complaint"
    FOLLOW_UP_CALL = "follow_up_call"
    # Customer care (app.complaints: survey, notices, accountability, handler)
    SATISFACTION_SURVEY = "satisfaction_survey"
    APOLOGY_CALL = "apology_call"
    NOTICE_CONSENT = "notice_consent"
    NOTICE_QUEUED = "notice_queued"
    NOTICE_SENT = "notice_sent"
    NOTICE_FAILED = "notice_failed"
    NOTICE_SENT_BY_HAND = "notice_sent_by_hand"
    COMPLAINT_HANDLER = "complaint_handler"
    COMPLAINT_ACCOUNTABILITY = "complaint_accountability"
    CONSEQUENCE_ADDED = "consequence_added"
    APPROVE_ACCOUNTABILITY_SHEET = "approve_accountability_sheet"
    WATCHED_CUSTOMER_BACK = "watched_customer_back"
    # Users and sign-in
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    SIGNATURE_REFUSED = "signature_refused"
    CHANGE_PASSWORD = "change_password"
    SET_PIN = "set_pin"
    CREATE_USER = "create_user"
    ENABLE_USER = "enable_user"
    DISABLE_USER = "disable_user"
    RESET_PASSWORD = "reset_password"
    UNLOCK_USER = "unlock_user"
    CHANGE_ROLES = "change_roles"
    CHANGE_BADGE = "change_badge"
    RENAME_USER = "rename_user"
    # Administration
    CHANGE_SETTING = "change_setting"
    CATALOG_ADD = "catalog_add"
    CATALOG_EDIT = "catalog_edit"
    CATALOG_ACTIVATE = "catalog_activate"
    CATALOG_DEACTIVATE = "catalog_deactivate"
    CATALOG_DELETE = "catalog_delete"
    CATALOG_IMPORT = "catalog_import"
    FILL_CALENDAR = "fill_calendar"
    LOAD_DEMO_CATALOGUES = "load_demo_catalogues"
    RESTORE_BACKUP = "restore_backup"
    MOVE_DATABASE = "move_database"
    # Documents
    REPRINT_DOCUMENT = "reprint_document"
    # Field quality (app/quality)
    QUALITY_ALARM = "quality_alarm"
    ACKNOWLEDGE_ALARM = "acknowledge_alarm"
    CLOSE_ALARM = "close_alarm"
    # Headquarters
    RAISE_CENTER_WARNING = "raise_center_warning"
    DECIDE_CENTER_WARNING = "decide_center_warning"
    ESCALATE_COMPLAINT = "escalate_complaint"
    TAKE_ESCALATION = "take_escalation"
    ANSWER_ESCALATION = "answer_escalation"
    RECORD_ROOT_CAUSE = "record_root_cause"
    EDIT_CORRECTIVE_ACTION = "edit_corrective_action"
    FINISH_CORRECTIVE_ACTION = "finish_corrective_action"
    VERIFY_CORRECTIVE_ACTION = "verify_corrective_action"


A = AuditAction
AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    A.ALLOCATE: N_("Allocated to a technician"),
    A.START_REPAIR: N_("Repair started"),
    A.WAIT_FOR_PARTS: N_("Waiting for parts"),
    A.PARTS_ARRIVED: N_("Parts arrived"),
    A.PROPOSE_CHARGE: N_("Charge proposed"),
    A.ACCEPT_CHARGE: N_("Charge accepted by the customer"),
    A.REFUSE_CHARGE: N_("Charge refused by the customer"),
    A.WAIVE_CHARGE: N_("Charge waived by a supervisor"),
    A.FINISH_REPAIR: N_("Repair finished"),
    A.START_QC: N_("QC aging started"),
    A.PASS_QC: N_("QC passed"),
    A.FAIL_QC: N_("QC failed"),
    A.SHIP: N_("Shipped"),
    A.REQUEST_SPECIAL: N_("Special handling requested"),
    A.APPROVE_SPECIAL: N_("Special handling approved"),
    A.REJECT_SPECIAL: N_("Special handling rejected"),
    A.RETURN_UNREPAIRED: N_("To be returned unrepaired"),
    A.RECEIVE: N_("Received"),
    A.RECORD_CONDITION: N_("Condition recorded"),
    A.ATTACH_PHOTO: N_("Photo attached"),
    A.OPEN_BOX: N_("Inbound box opened"),
    A.CLOSE_BOX: N_("Inbound box closed"),
    A.ADD_CUSTOMER: N_("Customer added"),
    A.IMPORT_SALES_REGISTER: N_("Sales register imported"),
    A.CORRECT_UNIT_MODEL: N_("Unit's model corrected"),
    A.REASSIGN: N_("Reassigned"),
    A.RECORD_REPAIR: N_("Repair recorded"),
    A.SWAP_SERIAL: N_("Serial swapped"),
    A.RECEIVE_STOCK: N_("Parts received into stock"),
    A.ISSUE_PART: N_("Part issued"),
    A.RETURN_UNUSED: N_("Unused part returned"),
    A.RETURN_FAULTY: N_("Faulty part returned"),
    A.SCRAP: N_("Parts scrapped"),
    A.SALE: N_("Parts sold"),
    A.ADJUSTMENT: N_("Stock adjusted at stocktake"),
    A.SUPPLIER_RETURN: N_("Parts returned to the supplier"),
    A.TRANSFER_OUT: N_("Parts transferred to another center"),
    A.TRANSFER_IN: N_("Parts transferred from another center"),
    A.REQUEST_PURCHASE: N_("Purchase requested"),
    A.WAIT_FOR_PART: N_("Waiting for a part out of stock"),
    A.IMPORT_PARTS_MASTER: N_("Parts master imported"),
    A.ADD_PART: N_("Part added to the center's stock"),
    A.EDIT_PART_MASTER: N_("Part changed in the network's parts master"),
    A.EDIT_PART_STOCK: N_("Part's bin or stock levels changed"),
    A.QC_OVERRIDE: N_("QC aging cut short by a supervisor"),
    A.CREATE_SHIPMENT: N_("Shipment created"),
    A.PACK: N_("Packed"),
    A.UNPACK: N_("Taken out of the parcel"),
    A.SET_WAYBILL: N_("Waybill number entered"),
    A.CANCEL_SHIPMENT: N_("Shipment cancelled"),
    A.REGISTER_COMPLAINT: N_("Complaint registered"),
    A.COMPLAINT_FIRST_CONTACT: N_("Complaint: customer contacted"),
    A.COMPLAINT_ANSWER: N_("Complaint answered"),
    A.SETTLE_COMPLAINT: N_("Complaint settled"),
    A.COMPLAINT_ASSIGN: N_("Complaint: person responsible named"),
    A.COMPLAINT_FACTS: N_("Complaint: facts recorded"),
    A.COMPLAINT_REMEDIES: N_("Complaint: remedies proposed"),
    A.COMPLAINT_APPROVE_REMEDIES: N_("Complaint: remedies approved"),
    A.COMPLAINT_CHOICE: N_("Complaint: customer's choice recorded"),
    A.COMPLAINT_VALIDITY: N_("Complaint validity overruled"),
    A.CLOSE_COMPLAINT: N_("Complaint closed"),
    A.FOLLOW_UP_CALL: N_("Follow-up call made"),
    A.SATISFACTION_SURVEY: N_("Satisfaction survey recorded"),
    A.APOLOGY_CALL: N_("Apology call made"),
    A.NOTICE_CONSENT: N_("Customer's consent to notices recorded"),
    A.NOTICE_QUEUED: N_("Notice queued"),
    A.NOTICE_SENT: N_("Notice sent"),
    A.NOTICE_FAILED: N_("Notice failed"),
    A.NOTICE_SENT_BY_HAND: N_("Notice sent by hand"),
    A.COMPLAINT_HANDLER: N_("Complaint: handler named"),
    A.COMPLAINT_ACCOUNTABILITY: N_("Complaint: accountability figures recorded"),
    A.CONSEQUENCE_ADDED: N_("Accountability line added"),
    A.APPROVE_ACCOUNTABILITY_SHEET: N_("Accountability sheet approved"),
    A.WATCHED_CUSTOMER_BACK: N_("Customer under watch back: new order flagged"),
    A.LOGIN: N_("Signed in"),
    A.LOGIN_FAILED: N_("Sign-in failed"),
    A.SIGNATURE_REFUSED: N_("Password refused (signature or approval)"),
    A.CHANGE_PASSWORD: N_("Password changed"),
    A.SET_PIN: N_("Sign-in PIN set"),
    A.CREATE_USER: N_("User created"),
    A.ENABLE_USER: N_("User enabled"),
    A.DISABLE_USER: N_("User disabled"),
    A.RESET_PASSWORD: N_("Password reset"),
    A.UNLOCK_USER: N_("User unlocked"),
    A.CHANGE_ROLES: N_("Roles changed"),
    A.CHANGE_BADGE: N_("Badge changed"),
    A.RENAME_USER: N_("User renamed"),
    A.CHANGE_SETTING: N_("Setting changed"),
    A.CATALOG_ADD: N_("Catalogue entry added"),
    A.CATALOG_EDIT: N_("Catalogue entry edited"),
    A.CATALOG_ACTIVATE: N_("Catalogue entry activated"),
    A.CATALOG_DEACTIVATE: N_("Catalogue entry deactivated"),
    A.CATALOG_DELETE: N_("Catalogue entry deleted"),
    A.CATALOG_IMPORT: N_("Catalogue imported"),
    A.FILL_CALENDAR: N_("Working-day calendar filled for a year"),
    A.LOAD_DEMO_CATALOGUES: N_("Demo catalogues loaded"),
    A.RESTORE_BACKUP: N_("Database restored from a backup"),
    A.MOVE_DATABASE: N_("Database moved to the server"),
    A.REPRINT_DOCUMENT: N_("Document printed again"),
    A.QUALITY_ALARM: N_("Early-warning alarm raised"),
    A.ACKNOWLEDGE_ALARM: N_("Early-warning alarm acknowledged"),
    A.CLOSE_ALARM: N_("Early-warning alarm closed"),
    A.RAISE_CENTER_WARNING: N_("Headquarters: two valid complaints in a month, warning raised"),
    A.DECIDE_CENTER_WARNING: N_("Headquarters: decision on a warning recorded and approved"),
    A.ESCALATE_COMPLAINT: N_("Complaint escalated to headquarters"),
    A.TAKE_ESCALATION: N_("Headquarters: escalated complaint taken"),
    A.ANSWER_ESCALATION: N_("Headquarters: escalated complaint answered"),
    A.RECORD_ROOT_CAUSE: N_("Root cause and corrective action recorded"),
    A.EDIT_CORRECTIVE_ACTION: N_("Corrective action changed"),
    A.FINISH_CORRECTIVE_ACTION: N_("Corrective action done"),
    A.VERIFY_CORRECTIVE_ACTION: N_("Corrective action verified"),
}
del A


def action_label(action: str) -> str:
    """The English label (marked ``N_``) of a stored action; a value unknown to this version
    (a row written by an older one) is shown as stored."""
    try:
        return AUDIT_ACTION_LABELS[AuditAction(action)]
    except ValueError:
        return action
