"""The customer-care settings (a supervisor edits them on the administration tab's care page);
read and saved through app.settings like every other.

The provider's secret (the AccessKey secret) is never a setting: it is kept by
:mod:`app.credentials` on the station that sends.
"""

from __future__ import annotations

from typing import Any

from app.errors import N_
from app.setting_types import ChoiceSetting, IntSetting, ListSetting, SettingSpec, TextSetting

NO_PROVIDER = "none"
ALIYUN = "aliyun"
NOTICE_PROVIDER = ChoiceSetting(
    "notices.provider",
    NO_PROVIDER,
    N_("Text messages: provider"),
    choices=((NO_PROVIDER, N_("None: send by hand")), (ALIYUN, N_("Alibaba Cloud SMS"))),
)
ALIYUN_ENDPOINT = TextSetting(
    "notices.aliyun_endpoint", "https://dysmsapi.aliyuncs.com/", N_("Alibaba Cloud SMS: endpoint")
)
ALIYUN_ACCESS_KEY_ID = TextSetting(
    "notices.aliyun_access_key_id", "", N_("Alibaba Cloud SMS: AccessKey ID"), max_length=128
)
ALIYUN_SIGN_NAME = TextSetting(
    "notices.aliyun_sign_name", "", N_("Alibaba Cloud SMS: signature name"), max_length=64
)
# The outbox is sent on a timer, at one station at a time (app.complaints.notice_runner).
NOTICE_SEND_EVERY_MINUTES = IntSetting(
    "notices.send_every_minutes",
    5,
    N_("Text messages: queue and send every (minutes, 0: only by hand)"),
    minimum=0,
    maximum=1440,
)
WAITING_PARTS_NOTICE_DAYS = IntSetting(
    "notices.waiting_parts_days",
    3,
    N_("Tell the customer when a unit waits for parts longer than (days)"),
    minimum=1,
    maximum=60,
)
# Seed 001 一: 「電話溝通填寫[客戶回訪調查表]給客戶進行滿意度調查」: the questionnaire's items.
SURVEY_ITEMS = ListSetting(
    "survey.items",
    ["总体满意度", "维修速度", "维修质量", "服务态度"],
    N_("Satisfaction survey items"),
)
SURVEY_SATISFIED_FROM = IntSetting(
    "survey.satisfied_from",
    4,
    N_("Survey: an item is satisfied from (score 1-5)"),
    minimum=2,
    maximum=5,
)
APOLOGY_CALL_HOURS = IntSetting(
    "survey.apology_call_hours", 24, N_("Apology call within (hours)"), minimum=1, maximum=240
)
# DOMAIN.md targets (seed 003): 「满意度 ≥ 98%」.
SATISFACTION_TARGET_PERCENT = IntSetting(
    "survey.target_percent", 98, N_("Satisfaction target (%)"), minimum=50, maximum=100
)
# Seed 000: 「找到處理人——按照部門和崗位職責快速確定處理人(1小時)」.
HANDLER_WITHIN_MINUTES = IntSetting(
    "complaints.handler_minutes",
    60,
    N_("Complaint: name the handler within (minutes)"),
    minimum=5,
    maximum=1440,
)
# Seed 000: 「投訴處理後的三個月內要注意追蹤」.
WATCH_MONTHS = IntSetting(
    "complaints.watch_months",
    3,
    N_("Watch a customer after a complaint (months)"),
    minimum=1,
    maximum=24,
)

CARE_SETTINGS_PAGE: tuple[SettingSpec[Any], ...] = (
    NOTICE_PROVIDER,
    ALIYUN_ENDPOINT,
    ALIYUN_ACCESS_KEY_ID,
    ALIYUN_SIGN_NAME,
    NOTICE_SEND_EVERY_MINUTES,
    WAITING_PARTS_NOTICE_DAYS,
    SURVEY_ITEMS,
    SURVEY_SATISFIED_FROM,
    APOLOGY_CALL_HOURS,
    SATISFACTION_TARGET_PERCENT,
    HANDLER_WITHIN_MINUTES,
    WATCH_MONTHS,
)
