"""The demo center's fixed facts: its name, models, parts, carriers, people and the 2026 calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.models import Role
from app.settings import CENTER_ADDRESS, CENTER_NAME, CENTER_PHONE, SettingSpec

CENTER_SETTINGS: dict[SettingSpec[str], str] = {
    CENTER_NAME: "星辰通讯售后维修中心",
    CENTER_ADDRESS: "广东省深圳市福田区华强北路1019号华强广场B座12楼",
    CENTER_PHONE: "0755-83216688",
}

PHONE_APPEARANCE = ["屏幕", "外壳", "后盖", "按键", "摄像头"]
PHONE_ACCESSORIES = ["充电器", "数据线", "卡针", "包装盒", "保护壳"]
WATCH_APPEARANCE = ["表盘屏幕", "表壳", "表带", "按键"]
WATCH_ACCESSORIES = ["充电底座", "表带", "包装盒"]

PHONE_QC = [
    "开关机",
    "触摸",
    "显示",
    "通话",
    "扬声器",
    "听筒",
    "麦克风",
    "摄像头",
    "WiFi",
    "蓝牙",
    "充电",
    "指纹",
]
WATCH_QC = ["开关机", "触摸", "显示", "心率", "蓝牙", "充电"]


@dataclass(frozen=True)
class DemoModel:
    code: str
    name: str
    tac_prefixes: tuple[str, ...]  # empty: free-form serials
    capacities: tuple[str, ...]
    colours: tuple[str, ...]
    common_faults: tuple[str, ...]
    aging_hours: int
    category: str = "phone"
    serial_prefix: str = ""


MODELS: tuple[DemoModel, ...] = (
    DemoModel(
        "XC-S9",
        "星辰 S9",
        ("86754205", "86754206"),
        ("8+256G", "12+512G"),
        ("曜石黑", "冰川银", "晨雾紫"),
        ("屏幕碎裂", "触摸失灵", "电池鼓包", "不开机"),
        6,
    ),
    DemoModel(
        "XC-S9P",
        "星辰 S9 Pro",
        ("86754210",),
        ("12+256G", "16+1T"),
        ("曜石黑", "钛金灰"),
        ("屏幕绿线", "摄像头模糊", "充电慢", "信号差"),
        8,
    ),
    DemoModel(
        "XC-A5",
        "星辰 A5",
        ("86432107", "86432108"),
        ("6+128G", "8+256G"),
        ("星空蓝", "珍珠白", "樱花粉"),
        ("不充电", "尾插松动", "听筒无声", "屏幕碎裂"),
        4,
    ),
    DemoModel(
        "XC-A5M",
        "星辰 A5 Max",
        ("86432115",),
        ("8+256G",),
        ("星空蓝", "墨玉黑"),
        ("电池续航短", "自动重启", "扬声器杂音"),
        4,
    ),
    DemoModel(
        "XC-N3",
        "星辰 N3 青春版",
        ("35890142",),
        ("4+64G", "6+128G"),
        ("天青", "雅黑"),
        ("进水不开机", "屏幕碎裂", "按键失灵", "不充电"),
        4,
    ),
    DemoModel(
        "XC-F2",
        "星辰 Fold 2",
        ("86911503",),
        ("12+512G",),
        ("雅丹黑", "云锦白"),
        ("内屏折痕", "转轴异响", "外屏碎裂", "不开机"),
        8,
    ),
    DemoModel(
        "XC-W3",
        "星辰手表 W3",
        (),
        ("32G",),
        ("曜石黑", "流沙金"),
        ("不充电", "表带断裂", "心率不准", "屏幕碎裂"),
        4,
        "watch",
        "XCW3-",
    ),
)

# (part number suffix, name, cost yuan, sale yuan, safety stock, initial stock)
# Suffixes are per model (XC-S9 → SCR-S9); a safety stock above the initial stock makes the part
# start below its safety stock, an initial stock of 0 makes it out of stock.
MODEL_PARTS: tuple[tuple[str, str, int, int, int, int], ...] = (
    ("SCR", "屏幕总成", 380, 680, 8, 30),
    ("BAT", "电池", 60, 149, 10, 40),
    ("USB", "尾插小板", 25, 69, 6, 24),
    ("CAM", "后置摄像头模组", 150, 299, 4, 10),
    ("MB", "主板", 900, 1599, 3, 2),
)
GENERIC_PARTS: tuple[tuple[str, str, int, int, int, int], ...] = (
    ("GEN-SPK", "扬声器", 12, 39, 10, 40),
    ("GEN-EAR", "听筒", 10, 35, 10, 30),
    ("GEN-MIC", "麦克风", 6, 25, 10, 30),
    ("GEN-BTN", "按键排线", 8, 29, 8, 6),
    ("GEN-GLUE", "后盖防水胶", 3, 10, 50, 200),
    ("GEN-SCREW", "螺丝套装", 1, 5, 50, 300),
    ("GEN-SIM", "卡托", 4, 15, 10, 0),
    ("GEN-VIB", "振动马达", 9, 29, 6, 0),
    ("W3-STRAP", "W3 表带", 40, 99, 5, 8),
)
# Parts the supplier cannot deliver this month: orders waiting for them keep waiting.
NEVER_RESTOCKED = ("MB-F2", "GEN-SIM")

FAULT_PARTS: dict[str, str] = {
    "屏幕碎裂": "SCR",
    "触摸失灵": "SCR",
    "屏幕绿线": "SCR",
    "内屏折痕": "SCR",
    "外屏碎裂": "SCR",
    "电池鼓包": "BAT",
    "电池续航短": "BAT",
    "充电慢": "USB",
    "不充电": "USB",
    "尾插松动": "USB",
    "摄像头模糊": "CAM",
    "不开机": "MB",
    "进水不开机": "MB",
    "自动重启": "MB",
    "信号差": "MB",
    "听筒无声": "GEN-EAR",
    "扬声器杂音": "GEN-SPK",
    "按键失灵": "GEN-BTN",
    "转轴异响": "GEN-SCREW",
    "表带断裂": "W3-STRAP",
    "心率不准": "BAT",
}

# Fault → (fault code, cause found): the vocabulary of the knowledge base (故障反馈资料库).
FAULT_CODES: dict[str, tuple[str, str]] = {
    "屏幕碎裂": ("D01", "外力撞击导致屏幕总成破裂"),
    "触摸失灵": ("D02", "触摸IC虚焊或屏幕排线松动"),
    "屏幕绿线": ("D03", "OLED 屏幕老化产生绿线"),
    "内屏折痕": ("D04", "折叠次数过多导致内屏折痕"),
    "外屏碎裂": ("D01", "外力撞击导致外屏破裂"),
    "电池鼓包": ("P01", "电池老化鼓包"),
    "电池续航短": ("P02", "电池容量衰减至80%以下"),
    "充电慢": ("P03", "尾插接触不良"),
    "不充电": ("P03", "尾插进灰氧化"),
    "尾插松动": ("P03", "尾插焊点松脱"),
    "摄像头模糊": ("C01", "摄像头模组对焦马达故障"),
    "不开机": ("M01", "主板电源管理芯片损坏"),
    "进水不开机": ("M02", "主板进液腐蚀短路"),
    "自动重启": ("M03", "主板内存虚焊"),
    "信号差": ("M04", "射频模块故障"),
    "听筒无声": ("A01", "听筒损坏"),
    "扬声器杂音": ("A02", "扬声器振膜破损"),
    "按键失灵": ("K01", "按键排线断裂"),
    "转轴异响": ("H01", "转轴螺丝松动"),
    "表带断裂": ("W01", "表带连接件断裂"),
    "心率不准": ("W02", "心率传感器电量不足导致读数漂移"),
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    display_name: str
    badge_code: str | None = None
    station: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "admin123", Role.ADMIN, "系统管理员", station="机房"),
    DemoUser("supervisor", "demo1234", Role.SUPERVISOR, "陈志强", station="派工台"),
    DemoUser("receiving", "demo1234", Role.RECEIVING_CLERK, "刘晓燕", station="收货台"),
    DemoUser("tech1", "demo1234", Role.TECHNICIAN, "王建军", "T001", "维修台-1"),
    DemoUser("tech2", "demo1234", Role.TECHNICIAN, "李明辉", "T002", "维修台-2"),
    DemoUser("tech3", "demo1234", Role.TECHNICIAN, "张伟", "T003", "维修台-3"),
    DemoUser("parts", "demo1234", Role.PARTS_KEEPER, "赵丽娟", station="物料仓"),
    DemoUser("qc", "demo1234", Role.QC_TESTER, "孙浩", station="QC老化区"),
    DemoUser("shipping", "demo1234", Role.SHIPPING_CLERK, "周小红", station="发货台"),
    DemoUser("service", "demo1234", Role.CUSTOMER_SERVICE, "吴婷婷", station="客服热线"),
)


def password_of(username: str) -> str:
    return next(user.password for user in DEMO_USERS if user.username == username)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN_NAMES = (
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "子涵",
    "浩然",
    "欣怡",
    "宇轩",
    "梓萱",
    "俊杰",
    "思远",
    "雨桐",
)
MOBILE_PREFIXES = (
    "135",
    "136",
    "138",
    "139",
    "150",
    "158",
    "166",
    "177",
    "186",
    "188",
    "191",
    "199",
)
DISTRICTS = (
    "深圳市南山区科技园南区",
    "深圳市福田区车公庙",
    "深圳市宝安区西乡街道",
    "深圳市龙岗区坂田街道",
    "深圳市龙华区民治街道",
    "广州市天河区石牌街道",
    "东莞市南城区",
    "惠州市惠城区",
    "佛山市禅城区",
)
DEALERS: tuple[tuple[str, str, str], ...] = (
    ("华强北鑫泰通讯", "0755-83278811", "深圳市福田区华强北赛格广场3楼3A062"),
    ("华强北恒通数码", "0755-83655520", "深圳市福田区华强北远望数码城2楼2086"),
    ("宝安鸿运通讯", "0755-27789012", "深圳市宝安区新安街道宝民一路118号"),
    ("东莞星联手机连锁", "0769-22345678", "东莞市南城区鸿福路88号"),
    ("广州天河诚信通讯", "020-38801234", "广州市天河区天河路385号太古汇B1"),
)

CARRIERS: tuple[tuple[str, str, str, bool], ...] = (
    ("SF", "顺丰速运", r"^SF\d{12,13}$", False),
    ("EMS", "中国邮政EMS", r"^E[A-Z]\d{9}CN$", True),
    ("ZTO", "中通快递", r"^(73|75|78)\d{10}$", False),
    ("YTO", "圆通速递", r"^YT\d{13}$", False),
    ("JD", "京东物流", r"^JD[A-Z0-9]{13}$", False),
)

RACKS: tuple[tuple[str, str, int], ...] = (("A", "老化架 A", 24), ("B", "老化架 B", 24))

# The State Council's 2026 holiday schedule: days off, and weekend days worked instead (调休).
HOLIDAYS_2026: tuple[tuple[date, date, str], ...] = (
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
)
MAKE_UP_WORKDAYS_2026: tuple[tuple[date, str], ...] = (
    (date(2026, 1, 4), "元旦调休上班"),
    (date(2026, 2, 14), "春节调休上班"),
    (date(2026, 2, 28), "春节调休上班"),
    (date(2026, 5, 9), "劳动节调休上班"),
    (date(2026, 9, 20), "国庆节调休上班"),
    (date(2026, 10, 10), "国庆节调休上班"),
)

DEPARTMENTS = ("维修部", "物料部", "客服部", "收发部", "QC部")
