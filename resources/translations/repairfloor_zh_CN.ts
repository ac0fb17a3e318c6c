<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Save the support archive</source>
        <translation>保存技术支持压缩包</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>{revision} (this version expects {head})</source>
        <translation>{revision}(本版本要求 {head})</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Schema version</source>
        <translation>数据库结构版本</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Open the log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <source>Save a support archive…</source>
        <translation>保存技术支持压缩包…</translation>
    </message>
    <message>
        <source>A zip of the logs and the settings for support. It holds no password.</source>
        <translation>日志和设置打包成 zip 发给技术支持,不含任何密码。</translation>
    </message>
    <message>
        <source>RepairFloor: the repair center&apos;s floor</source>
        <translation>RepairFloor 售后维修中心作业系统</translation>
    </message>
    <message>
        <source>Writing the support archive…</source>
        <translation>正在生成技术支持压缩包…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>AccountabilityPanel</name>
    <message>
        <source>Person responsible for the selected complaint</source>
        <translation>所选投诉的责任人</translation>
    </message>
    <message>
        <source>Choose a complaint in the register.</source>
        <translation>请在登记表中选择一条投诉。</translation>
    </message>
    <message>
        <source>Name the handler</source>
        <translation>确定处理人</translation>
    </message>
    <message>
        <source>Handler (within the hour)</source>
        <translation>处理人(1小时内)</translation>
    </message>
    <message>
        <source>Person responsible</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Items below standard</source>
        <translation>未达标准项数</translation>
    </message>
    <message>
        <source>Service amount (yuan)</source>
        <translation>服务金额(元)</translation>
    </message>
    <message>
        <source>Refund (yuan)</source>
        <translation>退款金额(元)</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Monthly accountability sheet</source>
        <translation>每月责任考核表</translation>
    </message>
    <message>
        <source>General manager&apos;s password (signature)</source>
        <translation>总经理密码(电子签名)</translation>
    </message>
    <message>
        <source>Correction (yuan, − to give back)</source>
        <translation>更正金额（元，负数为退还）</translation>
    </message>
    <message>
        <source>Why the line is corrected</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <source>Correct the selected line</source>
        <translation>更正所选行</translation>
    </message>
    <message>
        <source>Month (YYYY-MM)</source>
        <translation>月份(YYYY-MM)</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Approve and sign</source>
        <translation>审批并签字</translation>
    </message>
    <message>
        <source>Export (Excel)…</source>
        <translation>导出(Excel)…</translation>
    </message>
    <message>
        <source> · handler {name}</source>
        <translation> · 处理人 {name}</translation>
    </message>
    <message>
        <source>, commission cancelled</source>
        <translation>,取消满意度提成</translation>
    </message>
    <message>
        <source>approved by {name} at {time}</source>
        <translation>已由 {name} 于 {time} 审批</translation>
    </message>
    <message>
        <source>not approved</source>
        <translation>未审批</translation>
    </message>
    <message>
        <source>{month}: {count} lines, {total} in all; {approval}.</source>
        <translation>{month}:共 {count} 条,合计 {total};{approval}。</translation>
    </message>
    <message>
        <source>Export the accountability sheet</source>
        <translation>导出责任考核表</translation>
    </message>
</context>
<context>
    <name>ActionsPanel</name>
    <message>
        <source>Open corrective actions</source>
        <translation>未关闭的纠正措施</translation>
    </message>
    <message>
        <source>Root causes of the last three months</source>
        <translation>近三个月的根本原因</translation>
    </message>
    <message>
        <source>Root cause…</source>
        <translation>根本原因…</translation>
    </message>
    <message>
        <source>Action done…</source>
        <translation>措施完成…</translation>
    </message>
    <message>
        <source>Verify…</source>
        <translation>验证…</translation>
    </message>
    <message>
        <source>Select an action first.</source>
        <translation>请先选择一条措施。</translation>
    </message>
    <message>
        <source>What was done?</source>
        <translation>做了什么?</translation>
    </message>
    <message>
        <source>How was it checked?</source>
        <translation>如何验证的?</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The first administrator</source>
        <translation>首个管理员</translation>
    </message>
    <message>
        <source>The administrator signs in first and creates the accounts of the floor.</source>
        <translation>管理员首先登录,并为现场人员创建账号。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password (at least {count} characters)</source>
        <translation>密码(至少 {count} 位)</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
</context>
<context>
    <name>AdminTab</name>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>System administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Users, catalogues, center settings, the audit log and backups. Every change is audited.</source>
        <translation>用户、目录、中心设置、审计日志和备份。每项更改都会记入审计日志。</translation>
    </message>
    <message>
        <source>Catalogues</source>
        <translation>基础资料</translation>
    </message>
    <message>
        <source>Center settings</source>
        <translation>中心设置</translation>
    </message>
    <message>
        <source>Customer care</source>
        <translation>客户关怀</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>AllIntact</name>
    <message>
        <source>All intact (F4)</source>
        <translation>全部完好 (F4)</translation>
    </message>
</context>
<context>
    <name>AllocationTab</name>
    <message>
        <source>Allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Scan order labels into the basket, then a technician&apos;s badge to hand them all over. Special handling waits for a supervisor&apos;s approval before work starts.</source>
        <translation>先扫维修单标签放入待派清单,再扫维修员工牌,一次派给该维修员。特殊处理须主管批准后才能开工。</translation>
    </message>
    <message>
        <source>Queue and allocation</source>
        <translation>待分配与派工</translation>
    </message>
    <message>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <source>Charges to confirm</source>
        <translation>待确认报价</translation>
    </message>
    <message>
        <source>Appearance check of {order_no} saved; still missing: {items}</source>
        <translation>{order_no} 的外观检查已保存,仍缺:{items}</translation>
    </message>
    <message>
        <source>Appearance check of {order_no} complete: scan it again.</source>
        <translation>{order_no} 的外观检查已完成:请再扫一次。</translation>
    </message>
</context>
<context>
    <name>AnswerDialog</name>
    <message>
        <source>Answer {no}</source>
        <translation>答复 {no}</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Answer for the station</source>
        <translation>给服务站的答复</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>RepairFloor</source>
        <translation>RepairFloor 售后维修中心</translation>
    </message>
    <message>
        <source>Cannot open the database {name}:
{error}</source>
        <translation>无法打开数据库 {name}:
{error}</translation>
    </message>
    <message>
        <source>You were signed out: your account was disabled or your roles changed. Sign in again.</source>
        <translation>您已被登出:账号已被停用或角色已变更。请重新登录。</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>Repair order number</source>
        <translation>维修单号</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>维修单</translation>
    </message>
    <message>
        <source>{count} entries.</source>
        <translation>共 {count} 条。</translation>
    </message>
    <message>
        <source>Export Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>{count} rows written to {file}.</source>
        <translation>已写入 {count} 行到 {file}。</translation>
    </message>
</context>
<context>
    <name>BackupWarning</name>
    <message>
        <source>No good backup for more than a day: see {folder}</source>
        <translation>超过一天没有完好的备份:请检查 {folder}</translation>
    </message>
</context>
<context>
    <name>BackupsPanel</name>
    <message>
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Checked whole</source>
        <translation>已校验完整</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <source>Verify…</source>
        <translation>校验…</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未校验</translation>
    </message>
    <message>
        <source>RepairFloor backups (*.rfbackup);;All files (*)</source>
        <translation>RepairFloor 备份 (*.rfbackup);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup written and checked whole: {path}</source>
        <translation>备份已写入并校验完整：{path}</translation>
    </message>
    <message>
        <source>Verify a backup</source>
        <translation>校验备份</translation>
    </message>
    <message>
        <source>Checking {name}…</source>
        <translation>正在校验 {name}…</translation>
    </message>
    <message>
        <source>{name} is whole: it can be restored.</source>
        <translation>{name} 完整无损，可以恢复。</translation>
    </message>
    <message>
        <source>A backup of an older RepairFloor, without a manifest.</source>
        <translation>旧版 RepairFloor 的备份，没有清单。</translation>
    </message>
    <message>
        <source>{kind} backup of {center}, made {made} by RepairFloor {version}.</source>
        <translation>{center} 的{kind}备份，由 RepairFloor {version} 于 {made} 生成。</translation>
    </message>
    <message>
        <source>Schema {revision}; {tables} tables, {orders} repair orders, {rows} rows.</source>
        <translation>数据库结构 {revision}；{tables} 张表，{orders} 张维修单，共 {rows} 行。</translation>
    </message>
    <message>
        <source>Backup checked</source>
        <translation>备份已校验</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Replace everything in {database} (every order, user and setting) with the backup {name} of {center}, made {made}?

The current database is kept as a pre-restore copy first. Everyone at this station signs in again afterwards.</source>
        <translation>用 {center} 于 {made} 生成的备份 {name} 替换 {database} 中的全部内容（所有维修单、用户和设置）吗？

当前数据库会先保存为恢复前副本。恢复后，本工位所有人需重新登录。</translation>
    </message>
    <message>
        <source>Restoring {name}…</source>
        <translation>正在恢复 {name}…</translation>
    </message>
    <message>
        <source>Another center&apos;s backup</source>
        <translation>其他中心的备份</translation>
    </message>
    <message>
        <source>Reason (recorded in the audit log):</source>
        <translation>原因（将记入审计日志）：</translation>
    </message>
    <message>
        <source>{name} was restored.</source>
        <translation>{name} 已恢复。</translation>
    </message>
    <message>
        <source>What it replaced is kept: {kept}</source>
        <translation>被替换的数据已保留：{kept}</translation>
    </message>
    <message>
        <source>Sign in again.</source>
        <translation>请重新登录。</translation>
    </message>
</context>
<context>
    <name>Basket</name>
    <message>
        <source>Empty the basket</source>
        <translation>清空待派清单</translation>
    </message>
    <message>
        <source>To allocate: {count}</source>
        <translation>待派:{count} 台</translation>
    </message>
</context>
<context>
    <name>BenchPage</name>
    <message>
        <source>On my bench</source>
        <translation>我的维修台</translation>
    </message>
    <message>
        <source>e.g. P01</source>
        <translation>例如 P01</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>查到的故障原因</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>采取的处理措施</translation>
    </message>
    <message>
        <source>Note or reason (parts awaited, charge, swap...)</source>
        <translation>备注或原因(待料、报价、换机/换板……)</translation>
    </message>
    <message>
        <source>Parts ¥</source>
        <translation>配件费 ¥</translation>
    </message>
    <message>
        <source>Labour ¥</source>
        <translation>人工费 ¥</translation>
    </message>
    <message>
        <source>New serial / IMEI</source>
        <translation>新序列号 / IMEI</translation>
    </message>
    <message>
        <source>Start repair</source>
        <translation>开始维修</translation>
    </message>
    <message>
        <source>Record repair</source>
        <translation>记录维修</translation>
    </message>
    <message>
        <source>Wait for parts</source>
        <translation>待料</translation>
    </message>
    <message>
        <source>Propose charge</source>
        <translation>提交报价</translation>
    </message>
    <message>
        <source>Waive charge</source>
        <translation>免收费用</translation>
    </message>
    <message>
        <source>Swap serial</source>
        <translation>换机/换板</translation>
    </message>
    <message>
        <source>Request special handling</source>
        <translation>申请特殊处理</translation>
    </message>
    <message>
        <source>Repaired → QC</source>
        <translation>维修完成 → QC</translation>
    </message>
    <message>
        <source>Fault code</source>
        <translation>故障代码</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Past repairs of this model</source>
        <translation>本机型以往维修</translation>
    </message>
    <message>
        <source>Note / reason</source>
        <translation>备注 / 原因</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>报价</translation>
    </message>
    <message>
        <source>Serial swap</source>
        <translation>换机/换板</translation>
    </message>
    <message>
        <source>Special handling</source>
        <translation>特殊处理</translation>
    </message>
    <message>
        <source>{code} {cause} → {action} (×{times})</source>
        <translation>{code} {cause} → {action}(×{times})</translation>
    </message>
    <message>
        <source>Select an order on the bench first (or scan its label).</source>
        <translation>请先在维修台选中一张维修单(或扫其标签)。</translation>
    </message>
    <message>
        <source>{order_no}: repair started.</source>
        <translation>{order_no}:已开始维修。</translation>
    </message>
    <message>
        <source>Repair recorded: {cause} → {action}.</source>
        <translation>已记录维修:{cause} → {action}。</translation>
    </message>
    <message>
        <source>{order_no} waits for parts.</source>
        <translation>{order_no} 已转待料。</translation>
    </message>
    <message>
        <source>Charge of {amount} proposed: customer service will call.</source>
        <translation>已提交报价 {amount},客服将联系客户确认。</translation>
    </message>
    <message>
        <source>Charge waived: the parts counter may issue the parts.</source>
        <translation>已免收费用:物料发放处可以发料。</translation>
    </message>
    <message>
        <source>The order now carries serial {serial}.</source>
        <translation>维修单已改为序列号 {serial}。</translation>
    </message>
    <message>
        <source>{order_no} waits for a supervisor&apos;s approval.</source>
        <translation>{order_no} 等待主管批准。</translation>
    </message>
    <message>
        <source>{order_no} repaired: on to QC.</source>
        <translation>{order_no} 维修完成,转 QC。</translation>
    </message>
</context>
<context>
    <name>BoxPanel</name>
    <message>
        <source>Units in this box</source>
        <translation>本箱机器</translation>
    </message>
    <message>
        <source>Close box (F10)</source>
        <translation>封箱 (F10)</translation>
    </message>
    <message>
        <source>Preview label</source>
        <translation>预览标签</translation>
    </message>
    <message>
        <source>Attach photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <source>Appearance check…</source>
        <translation>外观检查…</translation>
    </message>
    <message>
        <source>Print labels</source>
        <translation>打印标签</translation>
    </message>
    <message>
        <source>Print each label at once; unchecked, labels wait for a preview</source>
        <translation>每台立即打印标签;不勾选时标签留待预览</translation>
    </message>
    <message>
        <source>Import sales register…</source>
        <translation>导入销售记录…</translation>
    </message>
    <message>
        <source>Labels waiting ({count})</source>
        <translation>待打印标签 ({count})</translation>
    </message>
    <message>
        <source>⚠ {sender} is under watch after a complaint until {date}: handle every unit with care. Customer service is told of each unit scanned.</source>
        <translation>⚠ {sender} 投诉后追踪中，至 {date}：每台机器请小心处理。每扫一台，客服都会收到通知。</translation>
    </message>
    <message>
        <source>No box open: scan the waybill of the box.</source>
        <translation>未开箱:请扫描包裹的运单号。</translation>
    </message>
    <message>
        <source>Box {waybill} from {sender}: scanned {scanned} of {declared}</source>
        <translation>箱 {waybill},寄件方 {sender}:实收 {scanned} / 申报 {declared}</translation>
    </message>
    <message>
        <source>No box (scan a waybill)</source>
        <translation>未开箱(请扫描运单号)</translation>
    </message>
    <message>
        <source>{waybill} · {sender} · {scanned}/{declared}</source>
        <translation>{waybill} · {sender} · {scanned}/{declared}</translation>
    </message>
</context>
<context>
    <name>CalendarFillBar</name>
    <message>
        <source>Fill the year from the official calendar</source>
        <translation>按官方日历填充该年</translation>
    </message>
    <message>
        <source>Public holidays and make-up working days (调休), from the chinesecalendar package</source>
        <translation>法定节假日和调休上班日,来自 chinesecalendar 软件包</translation>
    </message>
    <message>
        <source>{year} has no holidays yet: fill it from the official calendar.</source>
        <translation>{year} 年还没有节假日:请按官方日历填充。</translation>
    </message>
    <message>
        <source>{year} has no holidays yet and the chinesecalendar package does not know it: update the package or enter the days by hand.</source>
        <translation>{year} 年还没有节假日,chinesecalendar 软件包也还没有该年数据:请更新软件包或手工录入。</translation>
    </message>
    <message>
        <source>{year}: {holidays} holidays and {workdays} make-up working days ({added} added, {changed} changed, {removed} removed).</source>
        <translation>{year} 年:{holidays} 个节假日,{workdays} 个调休上班日(新增 {added},修改 {changed},删除 {removed})。</translation>
    </message>
</context>
<context>
    <name>CancelShipmentDialog</name>
    <message>
        <source>Cancel shipment {shipment_no}</source>
        <translation>取消发货 {shipment_no}</translation>
    </message>
    <message>
        <source>Why is it cancelled? (e.g. the customer changed the address)</source>
        <translation>取消原因(例如:客户改地址)</translation>
    </message>
    <message>
        <source>The units go back to the ready-to-ship list.</source>
        <translation>取消后机器回到待发货列表。</translation>
    </message>
</context>
<context>
    <name>CarePanel</name>
    <message>
        <source>What the customer said on the apology call</source>
        <translation>致歉电话中客户的意见</translation>
    </message>
    <message>
        <source>Queue and send notices now</source>
        <translation>立即生成并发送通知</translation>
    </message>
    <message>
        <source>Sent by hand</source>
        <translation>已手工发送</translation>
    </message>
    <message>
        <source>Export satisfaction (Excel)…</source>
        <translation>导出满意度(Excel)…</translation>
    </message>
    <message>
        <source>Apology call made</source>
        <translation>已致电道歉</translation>
    </message>
    <message>
        <source>Text messages to customers (outbox)</source>
        <translation>发给客户的短信(发件箱)</translation>
    </message>
    <message>
        <source>Apology calls owed</source>
        <translation>待打的致歉电话</translation>
    </message>
    <message>
        <source>Sending notices…</source>
        <translation>正在发送通知…</translation>
    </message>
    <message>
        <source>{queued} notices queued. No provider is configured: send the messages marked &apos;To send&apos; by hand, then mark them sent.</source>
        <translation>已生成 {queued} 条通知。未配置短信服务商:请手工发送标为“待发送”的短信,然后标记为已发送。</translation>
    </message>
    <message>
        <source>{queued} queued, {sent} sent, {retrying} to retry, {failed} failed, {delivered} delivered.</source>
        <translation>生成 {queued} 条,发送 {sent} 条,待重试 {retrying} 条,失败 {failed} 条,已送达 {delivered} 条。</translation>
    </message>
    <message>
        <source>Export satisfaction</source>
        <translation>导出满意度</translation>
    </message>
    <message>
        <source>{rows} rows exported to {path}.</source>
        <translation>已导出 {rows} 行到 {path}。</translation>
    </message>
</context>
<context>
    <name>CareSettingsPanel</name>
    <message>
        <source>Alibaba Cloud SMS: AccessKey secret</source>
        <translation>阿里云短信:AccessKey Secret</translation>
    </message>
    <message>
        <source>Keep the secret on this station</source>
        <translation>在本工位保存密钥</translation>
    </message>
    <message>
        <source>This station holds the provider&apos;s secret: it sends the notices.</source>
        <translation>本工位保存了短信服务商密钥:由本工位发送通知。</translation>
    </message>
    <message>
        <source>This station holds no provider secret: it does not send notices.</source>
        <translation>本工位未保存短信服务商密钥:不由本工位发送通知。</translation>
    </message>
</context>
<context>
    <name>CataloguesPanel</name>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Deactivate / activate</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Import Excel…</source>
        <translation>导入 Excel…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Select a row first.</source>
        <translation>请先选择一行。</translation>
    </message>
    <message>
        <source>{key} saved.</source>
        <translation>{key} 已保存。</translation>
    </message>
    <message>
        <source>{key} is active again.</source>
        <translation>{key} 已重新启用。</translation>
    </message>
    <message>
        <source>{key} deactivated.</source>
        <translation>{key} 已停用。</translation>
    </message>
    <message>
        <source>Import Excel</source>
        <translation>导入 Excel</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Import preview: {file}</source>
        <translation>导入预览:{file}</translation>
    </message>
    <message>
        <source>Export Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>{count} rows written to {file}.</source>
        <translation>已写入 {count} 行到 {file}。</translation>
    </message>
</context>
<context>
    <name>CenterPage</name>
    <message>
        <source>The center</source>
        <translation>维修中心</translation>
    </message>
    <message>
        <source>Printed on labels, waybills and letters. You can change it later.</source>
        <translation>打印在标签、运单和信函上,以后可以修改。</translation>
    </message>
    <message>
        <source>Empty: the center&apos;s name, address and phone</source>
        <translation>留空:使用中心名称、地址和电话</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Letterhead</source>
        <translation>信头</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Choose a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <source>Your password must be changed before you start.</source>
        <translation>开始工作前请先修改密码。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>ChargesPage</name>
    <message>
        <source>Charges to confirm with the customer</source>
        <translation>待与客户确认的报价</translation>
    </message>
    <message>
        <source>Who answered for the customer</source>
        <translation>客户方答复人</translation>
    </message>
    <message>
        <source>Customer accepted</source>
        <translation>客户同意</translation>
    </message>
    <message>
        <source>Customer refused</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <source>Select a charge to read it out to the customer.</source>
        <translation>选中一条报价,向客户说明。</translation>
    </message>
    <message>
        <source>Parts {parts} + labour {labour} = {total}. Why: {reason}. Proposed by {name} at {time}.</source>
        <translation>配件费 {parts} + 人工费 {labour} = {total}。原因:{reason}。由 {name} 于 {time} 提交。</translation>
    </message>
    <message>
        <source>Select a charge first.</source>
        <translation>请先选中一条报价。</translation>
    </message>
    <message>
        <source>{order_no}: charge accepted, repair goes on.</source>
        <translation>{order_no}:客户同意报价,继续维修。</translation>
    </message>
    <message>
        <source>{order_no}: charge refused, to return unrepaired.</source>
        <translation>{order_no}:客户拒绝报价,不修退回。</translation>
    </message>
</context>
<context>
    <name>ChecklistGroup</name>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
</context>
<context>
    <name>CloseBoxDialog</name>
    <message>
        <source>Close box {waybill}</source>
        <translation>封箱 {waybill}</translation>
    </message>
    <message>
        <source>Declared {declared}, scanned {scanned}.</source>
        <translation>申报 {declared} 台,实收 {scanned} 台。</translation>
    </message>
    <message>
        <source>What differs? (the customer will be contacted)</source>
        <translation>差异说明(将联系客户)</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注(可不填)</translation>
    </message>
    <message>
        <source>Close box</source>
        <translation>封箱</translation>
    </message>
    <message>
        <source>The count differs from the declared quantity: write what differs.</source>
        <translation>实收数量与申报数量不符:请写明差异。</translation>
    </message>
    <message>
        <source>{order_no} · {serial} · {model} — missing: {items}</source>
        <translation>{order_no} · {serial} · {model} — 未检查:{items}</translation>
    </message>
    <message>
        <source>{count} unit(s) still need the appearance check: they cannot be allocated before it. All intact (F4), or double-click a damaged one to check it.</source>
        <translation>{count} 台机器尚未完成外观检查,完成前不能分配。全部完好请按 F4,有损伤的请双击该机器逐项检查。</translation>
    </message>
    <message>
        <source>Appearance check complete for {count} unit(s).</source>
        <translation>已完成 {count} 台机器的外观检查。</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌码</translation>
    </message>
    <message>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号状态</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>单数</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Staff code</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Complaint no.</source>
        <translation>投诉单号</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Commission cancelled</source>
        <translation>取消提成</translation>
    </message>
    <message>
        <source>Corrects line</source>
        <translation>更正条目</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>短信内容</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Unsatisfied items</source>
        <translation>不满意项</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>处理状态</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效投诉</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Order / complaint</source>
        <translation>维修单/投诉</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收货时间</translation>
    </message>
    <message>
        <source>Units received</source>
        <translation>收货台数</translation>
    </message>
    <message>
        <source>Units shipped</source>
        <translation>发货台数</translation>
    </message>
    <message>
        <source>Turnaround (days)</source>
        <translation>周转(天)</translation>
    </message>
    <message>
        <source>QC first pass</source>
        <translation>QC一次合格率</translation>
    </message>
    <message>
        <source>Repeat repairs</source>
        <translation>返修率</translation>
    </message>
    <message>
        <source>Follow-up rate</source>
        <translation>回访率</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Parts issued right</source>
        <translation>物料发放准确率</translation>
    </message>
    <message>
        <source>Complaints (count)</source>
        <translation>投诉数</translation>
    </message>
    <message>
        <source>Valid complaints (count)</source>
        <translation>有效投诉数</translation>
    </message>
    <message>
        <source>Answered in time</source>
        <translation>及时答复率</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>修复台数</translation>
    </message>
    <message>
        <source>Per working day</source>
        <translation>日均修复</translation>
    </message>
    <message>
        <source>Hours in repair</source>
        <translation>平均维修时长(小时)</translation>
    </message>
    <message>
        <source>Order no.</source>
        <translation>维修单号</translation>
    </message>
    <message>
        <source>Serial / IMEI</source>
        <translation>序列号/IMEI</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>机型</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修员</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>Part name</source>
        <translation>物料名称</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>物料</translation>
    </message>
    <message>
        <source>Standard cost</source>
        <translation>标准成本</translation>
    </message>
    <message>
        <source>Sale price</source>
        <translation>销售价</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Safety stock</source>
        <translation>安全库存</translation>
    </message>
    <message>
        <source>Short by</source>
        <translation>缺口</translation>
    </message>
    <message>
        <source>Could send</source>
        <translation>可调出中心</translation>
    </message>
    <message>
        <source>Shortfall</source>
        <translation>缺口</translation>
    </message>
    <message>
        <source>Defective</source>
        <translation>坏件库存</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>台数</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>QC passed since</source>
        <translation>QC通过时间</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Accessories to put back</source>
        <translation>随机附件</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>发货时间</translation>
    </message>
    <message>
        <source>Shipment no.</source>
        <translation>发货单号</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Sold in</source>
        <translation>销售月份</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>维修次数</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片数</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>返修台数</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期台数</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>销售台数</translation>
    </message>
    <message>
        <source>Return rate</source>
        <translation>返修率</translation>
    </message>
    <message>
        <source>Unknown population</source>
        <translation>无销售记录</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>Appearance check</source>
        <translation>外观检查</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>周(起始日)</translation>
    </message>
    <message>
        <source>First runs</source>
        <translation>首次老化数</translation>
    </message>
    <message>
        <source>Passed first time</source>
        <translation>一次合格数</translation>
    </message>
    <message>
        <source>First-pass yield</source>
        <translation>一次合格率</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>槽位</translation>
    </message>
    <message>
        <source>Ready at</source>
        <translation>老化完成时间</translation>
    </message>
    <message>
        <source>Waiting (h:mm)</source>
        <translation>已超时 (时:分)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>维修单</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>变更前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>变更后</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库别</translation>
    </message>
    <message>
        <source>In / out</source>
        <translation>收/发</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>结存</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>领料人</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>By</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>To order</source>
        <translation>申请数量</translation>
    </message>
    <message>
        <source>Orders waiting</source>
        <translation>待料工单</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Days since last move</source>
        <translation>距上次异动(天)</translation>
    </message>
    <message>
        <source>For</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation>纠正措施</translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Due or since</source>
        <translation>到期或发生时间</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
</context>
<context>
    <name>ComplaintRegisterModel</name>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
</context>
<context>
    <name>ComplaintsTab</name>
    <message>
        <source>Complaints and follow-up</source>
        <translation>客诉与回访</translation>
    </message>
    <message>
        <source>Contact the customer within 10 minutes, answer within 24 hours, settle a major complaint within 3 days; call back within 3 days after settlement.</source>
        <translation>10 分钟内联系客户,24 小时内给出明确答复,重大投诉 3 天内处理完毕;处理完毕后 3 天内回访。</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>新建客诉</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Follow-up calls</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Customer care</source>
        <translation>客户关怀</translation>
    </message>
    <message>
        <source>Accountability</source>
        <translation>责任落实</translation>
    </message>
    <message>
        <source>Daily report</source>
        <translation>日报</translation>
    </message>
    <message>
        <source>Warning: {count} valid complaints this month.</source>
        <translation>警示:本月已有 {count} 起有效投诉。</translation>
    </message>
    <message>
        <source>Three after-sales problems (事不过三): {names}</source>
        <translation>事不过三(三次售后问题):{names}</translation>
    </message>
    <message>
        <source>Under watch after a complaint: {names}</source>
        <translation>投诉处理后三个月追踪:{names}</translation>
    </message>
    <message>
        <source>Watched customers back with a unit: {orders}</source>
        <translation>追踪中的客户又送修：{orders}</translation>
    </message>
    <message>
        <source>Complaint {no} registered.</source>
        <translation>客诉 {no} 已登记。</translation>
    </message>
    <message>
        <source>{order_no} added to the complaint.</source>
        <translation>{order_no} 已加入本次客诉。</translation>
    </message>
</context>
<context>
    <name>ConditionDialog</name>
    <message>
        <source>Appearance check of {order_no}</source>
        <translation>外观检查:{order_no}</translation>
    </message>
    <message>
        <source>Other damage</source>
        <translation>其他损伤</translation>
    </message>
    <message>
        <source>{order_no} · {serial} · {model}</source>
        <translation>{order_no} · {serial} · {model}</translation>
    </message>
    <message>
        <source>This product category has no appearance checklist.</source>
        <translation>该产品类别没有外观检查项。</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Database connection</source>
        <translation>数据库连接</translation>
    </message>
    <message>
        <source>This PC only (the database file on this PC)</source>
        <translation>仅本机(数据库文件在本电脑上)</translation>
    </message>
    <message>
        <source>The center&apos;s server (PostgreSQL)</source>
        <translation>中心服务器(PostgreSQL)</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Move this PC&apos;s database to the server…</source>
        <translation>把本机数据库迁移到服务器…</translation>
    </message>
    <message>
        <source>The new choice applies the next time RepairFloor starts.</source>
        <translation>新的设置在下次启动 RepairFloor 时生效。</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Copy every record of this PC&apos;s database to the server {server}?

The server&apos;s database must be empty. Other stations using this PC&apos;s file are told and let go first. This PC&apos;s file is kept as it is, marked as moved; RepairFloor then opens the server.</source>
        <translation>把本机数据库的全部记录复制到服务器 {server} 吗?

服务器上的数据库必须为空。使用本机数据库文件的其他工位会先收到通知并断开。本机文件原样保留,并标记为已迁移;之后 RepairFloor 将打开服务器上的数据库。</translation>
    </message>
    <message>
        <source>Move to the server</source>
        <translation>迁移到服务器</translation>
    </message>
    <message>
        <source>Moving…</source>
        <translation>正在迁移…</translation>
    </message>
    <message>
        <source>Moved {rows} records in {tables} tables to {server}. This station opens the server from now on: start RepairFloor again.</source>
        <translation>已把 {tables} 张表共 {rows} 条记录迁移到 {server}。本工位今后打开服务器上的数据库:请重新启动 RepairFloor。</translation>
    </message>
</context>
<context>
    <name>CounterPanel</name>
    <message>
        <source>At the counter</source>
        <translation>发料台</translation>
    </message>
    <message>
        <source>Scan a repair-order label</source>
        <translation>请扫描维修单标签</translation>
    </message>
    <message>
        <source>Reason to issue a part not listed</source>
        <translation>发放非适用物料的原因</translation>
    </message>
    <message>
        <source>Issue anyway</source>
        <translation>仍然发料</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>登记待料</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>领料人</translation>
    </message>
    <message>
        <source>Quantity of next scan</source>
        <translation>下次扫描数量</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>校验</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that RepairFloor did not expect. Your last action may not have been saved: check it, then carry on.</source>
        <translation>RepairFloor 遇到了意料之外的问题,刚才的操作可能没有保存:请核对后再继续。</translation>
    </message>
    <message>
        <source>Please tell your supervisor. The details are in:
{path}</source>
        <translation>请告知主管。详细信息记录在:
{path}</translation>
    </message>
</context>
<context>
    <name>DailyReportPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Export to PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Complaints handled that day and their results</source>
        <translation>当日处理的投诉及结果</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Turnaround: received → shipped</source>
        <translation>周转时间:收货 → 发货</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>单数</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>按周</translation>
    </message>
    <message>
        <source>Targets: follow-up 100%, satisfaction ≥ 98%, parts ≥ 98%</source>
        <translation>目标:保内回访率100%,满意度≥98%,物料发放准确率≥98%</translation>
    </message>
    <message>
        <source>Technician output</source>
        <translation>维修员产出</translation>
    </message>
    <message>
        <source>KPI dashboard</source>
        <translation>KPI 看板</translation>
    </message>
    <message>
        <source>⚠ {count} valid complaints this month</source>
        <translation>⚠ 本月有效投诉 {count} 起</translation>
    </message>
</context>
<context>
    <name>DecideDialog</name>
    <message>
        <source>Decide on the warning</source>
        <translation>处理警示</translation>
    </message>
    <message>
        <source>Penalty</source>
        <translation>罚款</translation>
    </message>
    <message>
        <source>Public criticism (通报批评)</source>
        <translation>通报批评</translation>
    </message>
    <message>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <source>{count} valid complaints in {month}</source>
        <translation>{month} 有效投诉 {count} 起</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理决定</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Approved by (user name)</source>
        <translation>批准人(用户名)</translation>
    </message>
    <message>
        <source>Approver&apos;s password</source>
        <translation>批准人密码</translation>
    </message>
</context>
<context>
    <name>DemoPage</name>
    <message>
        <source>Ready</source>
        <translation>准备就绪</translation>
    </message>
    <message>
        <source>Finish creates the database. This takes a few seconds.</source>
        <translation>点击“完成”创建数据库,需要几秒钟。</translation>
    </message>
    <message>
        <source>Load demo data (users, orders in every state) to practise</source>
        <translation>载入演示数据(用户、各状态的维修单),用于练习</translation>
    </message>
</context>
<context>
    <name>DeskDocuments</name>
    <message>
        <source>Repair-order label</source>
        <translation>维修单标签</translation>
    </message>
    <message>
        <source>(the system&apos;s default printer)</source>
        <translation>(系统默认打印机)</translation>
    </message>
    <message>
        <source>Label not printed: printer {printer} not found. It waits in the labels to print ({count}).</source>
        <translation>标签未打印:未找到打印机 {printer}。已放入待打印标签 ({count})。</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Preparing the document…</source>
        <translation>正在生成文件…</translation>
    </message>
</context>
<context>
    <name>DispatchPage</name>
    <message>
        <source>Waiting for allocation</source>
        <translation>待分配</translation>
    </message>
    <message>
        <source>Allocate to technician</source>
        <translation>派给维修员</translation>
    </message>
    <message>
        <source>Allocates the selected rows, or the basket when no row is selected.</source>
        <translation>派出选中的行;未选行时派出待派清单。</translation>
    </message>
    <message>
        <source>On the benches</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Reason for the reassignment</source>
        <translation>转派原因</translation>
    </message>
    <message>
        <source>Reassign</source>
        <translation>转派</translation>
    </message>
    <message>
        <source>Awaiting supervisor approval</source>
        <translation>待主管批准</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reason for rejecting</source>
        <translation>驳回原因</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Technician:</source>
        <translation>维修员:</translation>
    </message>
    <message>
        <source>Workload per technician</source>
        <translation>维修员工作量</translation>
    </message>
    <message>
        <source>Reassign to:</source>
        <translation>转派给:</translation>
    </message>
    <message>
        <source>{order_no} is already in the basket ({count}).</source>
        <translation>{order_no} 已在待派清单中(共 {count} 台)。</translation>
    </message>
    <message>
        <source>{order_no} added: {count} to allocate. Scan a technician&apos;s badge.</source>
        <translation>已加入 {order_no}:待派 {count} 台。请扫维修员工牌。</translation>
    </message>
    <message>
        <source>{name}: scan order labels first, then the badge.</source>
        <translation>{name}:请先扫维修单标签,再扫工牌。</translation>
    </message>
    <message>
        <source>{count} allocated to {name}: {orders}</source>
        <translation>已派 {count} 台给 {name}:{orders}</translation>
    </message>
    <message>
        <source>Select or scan orders and choose a technician first.</source>
        <translation>请先选中或扫描维修单,并选择维修员。</translation>
    </message>
    <message>
        <source>Select orders on the benches and choose a technician first.</source>
        <translation>请先选中维修中的单,并选择维修员。</translation>
    </message>
    <message>
        <source>Reassigned to {name}: {orders}</source>
        <translation>已转派给 {name}:{orders}</translation>
    </message>
    <message>
        <source>Select an order awaiting approval first.</source>
        <translation>请先选中一张待批准的维修单。</translation>
    </message>
    <message>
        <source>{order_no} approved.</source>
        <translation>{order_no} 已批准。</translation>
    </message>
    <message>
        <source>{order_no}: special handling rejected, back to repair.</source>
        <translation>{order_no}:特殊处理已驳回,按正常维修处理。</translation>
    </message>
</context>
<context>
    <name>EscalationBox</name>
    <message>
        <source>Headquarters (服务管理部)</source>
        <translation>总部(服务管理部)</translation>
    </message>
    <message>
        <source>Why headquarters must step in (a major complaint, handled many times…)</source>
        <translation>上报原因(重大投诉、多次处理仍无法解决……)</translation>
    </message>
    <message>
        <source>Escalate to headquarters</source>
        <translation>上报总部</translation>
    </message>
    <message>
        <source>{time} escalated by {name}: {reason} — {status}</source>
        <translation>{time} {name} 上报:{reason} — {status}</translation>
    </message>
    <message>
        <source>Answer {time} ({decision}): {note}</source>
        <translation>总部答复 {time}({decision}):{note}</translation>
    </message>
    <message>
        <source>Not escalated to headquarters.</source>
        <translation>未上报总部。</translation>
    </message>
</context>
<context>
    <name>EscalationsPage</name>
    <message>
        <source>Show answered</source>
        <translation>显示已答复</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Take</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>上报时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Taken by</source>
        <translation>受理人</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答复</translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <source>Export ledgers to Excel</source>
        <translation>导出台账(Excel)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>Tick at least one ledger.</source>
        <translation>请至少勾选一种台账。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{ledger}: {rows} rows</source>
        <translation>{ledger}:已写 {rows} 行</translation>
    </message>
    <message>
        <source>{count} workbooks written to {folder}</source>
        <translation>已导出 {count} 个工作簿到 {folder}</translation>
    </message>
    <message>
        <source>Export cancelled: the ledgers finished before it are kept.</source>
        <translation>已取消导出:此前已完成的台账保留。</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Setting up this PC</source>
        <translation>设置本机</translation>
    </message>
    <message>
        <source>Setting up…</source>
        <translation>正在设置…</translation>
    </message>
    <message>
        <source>Creating the database…</source>
        <translation>正在创建数据库…</translation>
    </message>
    <message>
        <source>Done. Sign in as the administrator.</source>
        <translation>完成。请以管理员身份登录。</translation>
    </message>
</context>
<context>
    <name>FloorTab</name>
    <message>
        <source>({count} waiting to print)</source>
        <translation>(还有 {count} 份待打印)</translation>
    </message>
    <message>
        <source>No repair order or serial “{code}”. Scan the label again.</source>
        <translation>找不到维修单号或序列号“{code}”,请重新扫描标签。</translation>
    </message>
    <message>
        <source>{order_no} · {serial} · {model} — {state}</source>
        <translation>{order_no} · {serial} · {model} — {state}</translation>
    </message>
    <message>
        <source>{summary}: not in the lists of this tab.</source>
        <translation>{summary}:不在本页的列表中。</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <source>What the customer said</source>
        <translation>客户反馈内容</translation>
    </message>
    <message>
        <source>The customer wants to make a complaint</source>
        <translation>客户要求投诉</translation>
    </message>
    <message>
        <source>Reached: record the survey</source>
        <translation>已联系上:记录满意度调查</translation>
    </message>
    <message>
        <source>Customer agrees to text messages</source>
        <translation>客户同意接收短信</translation>
    </message>
    <message>
        <source>Customer opts out of text messages</source>
        <translation>客户退订短信</translation>
    </message>
    <message>
        <source>Satisfaction survey (1 very dissatisfied … 5 very satisfied)</source>
        <translation>满意度调查(1 非常不满意 … 5 非常满意)</translation>
    </message>
    <message>
        <source>Fully satisfied: a thank-you message is queued.</source>
        <translation>完全满意:已生成满意感谢短信。</translation>
    </message>
    <message>
        <source>Not satisfied: apology call booked and complaint {no} registered.</source>
        <translation>有不满意项:已安排致歉电话,并登记投诉 {no}。</translation>
    </message>
    <message>
        <source>Not satisfied: an apology call is booked.</source>
        <translation>有不满意项:已安排致歉电话。</translation>
    </message>
    <message>
        <source>The customer&apos;s consent to text messages is recorded.</source>
        <translation>已记录客户同意接收短信。</translation>
    </message>
    <message>
        <source>The customer opted out: no more text messages.</source>
        <translation>客户已退订:不再发送短信。</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未联系上</translation>
    </message>
</context>
<context>
    <name>HandlingPanel</name>
    <message>
        <source>Handling</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Choose a complaint in the register.</source>
        <translation>请在登记表中选择一条客诉。</translation>
    </message>
    <message>
        <source>What the customer chooses</source>
        <translation>客户选择的方案</translation>
    </message>
    <message>
        <source>The customer accepts</source>
        <translation>客户接受</translation>
    </message>
    <message>
        <source>Reason (supervisor closing or overruling)</source>
        <translation>原因(主管结案或改判时填写)</translation>
    </message>
    <message>
        <source>Responsible person</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Facts found</source>
        <translation>事实核查</translation>
    </message>
    <message>
        <source>Remedy 1</source>
        <translation>解决方案一</translation>
    </message>
    <message>
        <source>Remedy 2</source>
        <translation>解决方案二</translation>
    </message>
    <message>
        <source>Customer&apos;s choice</source>
        <translation>客户选择</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>保存修改</translation>
    </message>
    <message>
        <source>Answer given</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Settle</source>
        <translation>处理完毕</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Overrule validity</source>
        <translation>改判有效性</translation>
    </message>
    <message>
        <source>{no} · {customer} {phone} · grade {grade} · orders {orders}
{what}</source>
        <translation>{no} · {customer} {phone} · {grade}级 · 维修单 {orders}
{what}</translation>
    </message>
    <message>
        <source>Received {received}; contacted {contact}; answered {answer}</source>
        <translation>受理 {received};首次联系 {contact};答复 {answer}</translation>
    </message>
    <message>
        <source>Recorded as text before the staff records: {name}</source>
        <translation>建立员工档案前以文字记录：{name}</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已答复</translation>
    </message>
    <message>
        <source>Apology letter {no}</source>
        <translation>道歉信 {no}</translation>
    </message>
</context>
<context>
    <name>HeadquartersTab</name>
    <message>
        <source>Headquarters: the network&apos;s centers</source>
        <translation>总部:各服务中心</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Decide on the warning…</source>
        <translation>处理警示…</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Center</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收件数</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>发出数</translation>
    </message>
    <message>
        <source>Turnaround (days)</source>
        <translation>平均周期(天)</translation>
    </message>
    <message>
        <source>QC first-pass yield</source>
        <translation>QC一次合格率</translation>
    </message>
    <message>
        <source>Repeat repairs</source>
        <translation>返修率</translation>
    </message>
    <message>
        <source>Follow-up rate</source>
        <translation>回访率</translation>
    </message>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Grade A</source>
        <translation>A级投诉</translation>
    </message>
    <message>
        <source>Grade B</source>
        <translation>B级投诉</translation>
    </message>
    <message>
        <source>Grade C</source>
        <translation>C级投诉</translation>
    </message>
    <message>
        <source>First contact ≤ 10 min</source>
        <translation>10分钟内首次联系</translation>
    </message>
    <message>
        <source>Valid complaints</source>
        <translation>有效投诉</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>警示时间</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理决定</translation>
    </message>
    <message>
        <source>Penalty (yuan)</source>
        <translation>罚款(元)</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>决定人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>Two valid complaints in a month: warnings</source>
        <translation>一个月内两起有效投诉:警示</translation>
    </message>
    <message>
        <source>Centers by month</source>
        <translation>各中心月度</translation>
    </message>
    <message>
        <source>Quality alarms</source>
        <translation>质量预警</translation>
    </message>
    <message>
        <source>Parts between centers</source>
        <translation>中心间调拨</translation>
    </message>
    <message>
        <source>Escalated complaints</source>
        <translation>上报投诉</translation>
    </message>
    <message>
        <source>Daily reports</source>
        <translation>各站日报</translation>
    </message>
    <message>
        <source>Headquarters</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>Own center</source>
        <translation>自营中心</translation>
    </message>
    <message>
        <source>Authorised station</source>
        <translation>特约服务站</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>代理商售后</translation>
    </message>
    <message>
        <source>To decide</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Penalty</source>
        <translation>罚款</translation>
    </message>
    <message>
        <source>Public criticism (通报批评)</source>
        <translation>通报批评</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Row {row}: {reason}</source>
        <translation>第 {row} 行:{reason}</translation>
    </message>
    <message>
        <source>… and {count} more.</source>
        <translation>……另有 {count} 行。</translation>
    </message>
    <message>
        <source>Row {row}: add {key}</source>
        <translation>第 {row} 行:新增 {key}</translation>
    </message>
    <message>
        <source>Remove {key}</source>
        <translation>删除 {key}</translation>
    </message>
    <message>
        <source>Row {row}: change {key} ({changes})</source>
        <translation>第 {row} 行:修改 {key}({changes})</translation>
    </message>
    <message>
        <source>Nothing was imported: {count} refused row(s).</source>
        <translation>未导入任何数据:{count} 行有误。</translation>
    </message>
    <message>
        <source>Imported: {added} added, {updated} changed, {removed} removed.</source>
        <translation>导入完成:新增 {added} 条,修改 {updated} 条,删除 {removed} 条。</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>{added} to add, {updated} to change, {removed} to remove, {unchanged} unchanged.</source>
        <translation>将新增 {added} 条,修改 {updated} 条,删除 {removed} 条,{unchanged} 条不变。</translation>
    </message>
    <message>
        <source>{count} refused row(s): nothing will be imported until they are fixed.</source>
        <translation>{count} 行有误:改正之前不会导入任何数据。</translation>
    </message>
</context>
<context>
    <name>IntakePanel</name>
    <message>
        <source>For each unit scanned next</source>
        <translation>以下内容用于接下来扫描的每台机器</translation>
    </message>
    <message>
        <source>Pick a common fault or type</source>
        <translation>选择常见故障或直接输入</translation>
    </message>
    <message>
        <source>Other damage, in words</source>
        <translation>其他外观损伤(文字说明)</translation>
    </message>
    <message>
        <source>Accessories received</source>
        <translation>随机附件</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>机型</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>From the IMEI or the unit&apos;s history</source>
        <translation>按IMEI或维修记录自动识别</translation>
    </message>
</context>
<context>
    <name>KeeperActions</name>
    <message>
        <source>Receipt (purchase)</source>
        <translation>采购入库</translation>
    </message>
    <message>
        <source>Unused return (order)</source>
        <translation>退料(未用,按工单)</translation>
    </message>
    <message>
        <source>Faulty return (order)</source>
        <translation>坏件退回(按工单)</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Counter sale</source>
        <translation>柜台销售</translation>
    </message>
    <message>
        <source>Stocktake count</source>
        <translation>盘点</translation>
    </message>
    <message>
        <source>Supplier return (RMA)</source>
        <translation>退供应商(RMA)</translation>
    </message>
    <message>
        <source>Stock moves</source>
        <translation>出入库业务</translation>
    </message>
    <message>
        <source>Part no.</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>Document no. (delivery, sales slip, RMA)</source>
        <translation>单据号(送货单、销售单、RMA)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Book the move</source>
        <translation>记账</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>物料</translation>
    </message>
    <message>
        <source>Quantity / counted</source>
        <translation>数量/盘点数</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库别</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据号</translation>
    </message>
    <message>
        <source>No part “{code}”.</source>
        <translation>没有物料“{code}”。</translation>
    </message>
    <message>
        <source>Scan the order the part was issued to first.</source>
        <translation>请先扫描该物料所发往的维修单。</translation>
    </message>
    <message>
        <source>{move}: {part_no} booked.</source>
        <translation>{move}:{part_no} 已记账。</translation>
    </message>
</context>
<context>
    <name>KnowledgePanel</name>
    <message>
        <source>Search the fault knowledge base</source>
        <translation>搜索故障知识库</translation>
    </message>
    <message>
        <source>Fault knowledge base</source>
        <translation>故障知识库</translation>
    </message>
    <message>
        <source>Export for agents…</source>
        <translation>导出给代理商…</translation>
    </message>
    <message>
        <source>Exported: {file}</source>
        <translation>已导出:{file}</translation>
    </message>
</context>
<context>
    <name>LedgersTab</name>
    <message>
        <source>Ledgers and dashboard</source>
        <translation>台账与看板</translation>
    </message>
    <message>
        <source>Export the ledgers to Excel; every order by state; the targets week by week.</source>
        <translation>导出各类台账到 Excel;按状态统计全部维修单;逐周逐月查看考核指标。</translation>
    </message>
    <message>
        <source>Orders by state</source>
        <translation>各状态单数</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>Field quality</source>
        <translation>市场质量</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Locked after a while without use. {name}: your password to go on.</source>
        <translation>闲置已锁定。{name}:请输入密码继续。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>User name or badge</source>
        <translation>用户名或工牌</translation>
    </message>
    <message>
        <source>Password or PIN</source>
        <translation>密码或 PIN</translation>
    </message>
    <message>
        <source>Station {station}</source>
        <translation>工位:{station}</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Choose a new password to sign in.</source>
        <translation>须设置新密码才能登录。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Receiving</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>Allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>Parts issue</source>
        <translation>物料发放</translation>
    </message>
    <message>
        <source>QC aging test</source>
        <translation>QC老化测试</translation>
    </message>
    <message>
        <source>Shipping</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>Complaints and follow-up</source>
        <translation>客诉与回访</translation>
    </message>
    <message>
        <source>Ledgers and dashboard</source>
        <translation>台账与看板</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Headquarters</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Database connection…</source>
        <translation>数据库连接…</translation>
    </message>
    <message>
        <source>Printers of this station…</source>
        <translation>本工位打印机…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>About RepairFloor…</source>
        <translation>关于 RepairFloor…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>The language changes the next time RepairFloor starts.</source>
        <translation>下次启动 RepairFloor 时切换语言。</translation>
    </message>
    <message>
        <source>{name} ({roles})</source>
        <translation>{name}({roles})</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>工位:{station}</translation>
    </message>
    <message>
        <source>Database: {name}</source>
        <translation>数据库:{name}</translation>
    </message>
    <message>
        <source>Quit anyway?</source>
        <translation>仍要退出吗?</translation>
    </message>
    <message>
        <source>Scan sounds</source>
        <translation>扫描提示音</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Quiet</source>
        <translation>小</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Loud</source>
        <translation>大</translation>
    </message>
</context>
<context>
    <name>MaintenanceNotice</name>
    <message>
        <source>The database is being moved to the server</source>
        <translation>数据库正在迁移到服务器</translation>
    </message>
    <message>
        <source>The database was moved to the server</source>
        <translation>数据库已迁移到服务器</translation>
    </message>
    <message>
        <source>The database is being restored</source>
        <translation>数据库正在恢复</translation>
    </message>
    <message>
        <source>Please wait: nothing can be saved meanwhile. When it is done, this window closes and you sign in again.</source>
        <translation>请稍候:恢复期间无法保存任何内容。恢复完成后本窗口会关闭,请重新登录。</translation>
    </message>
    <message>
        <source>Quit RepairFloor</source>
        <translation>退出 RepairFloor</translation>
    </message>
    <message>
        <source>The database was restored (or moved) at another station. Sign in again.</source>
        <translation>数据库已在另一个工位恢复(或迁移)。请重新登录。</translation>
    </message>
</context>
<context>
    <name>MasterDialog</name>
    <message>
        <source>Parts master</source>
        <translation>物料主数据</translation>
    </message>
    <message>
        <source>The network&apos;s parts master</source>
        <translation>网络物料主数据</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>New part</source>
        <translation>新增物料</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Standard cost (yuan)</source>
        <translation>标准成本(元)</translation>
    </message>
    <message>
        <source>Sale price (yuan)</source>
        <translation>销售价(元)</translation>
    </message>
    <message>
        <source>Saved in the parts master.</source>
        <translation>已保存到物料主数据。</translation>
    </message>
</context>
<context>
    <name>ModelConfirmDialog</name>
    <message>
        <source>Which model is {serial}?</source>
        <translation>{serial} 是什么机型？</translation>
    </message>
    <message>
        <source>Receive it as {chosen} only if the unit in your hand is a {chosen}.</source>
        <translation>只有手上的机器确实是 {chosen} 时，才按 {chosen} 收货。</translation>
    </message>
    <message>
        <source>Receive as {chosen}</source>
        <translation>按 {chosen} 收货</translation>
    </message>
    <message>
        <source>Receive as {known}</source>
        <translation>按 {known} 收货</translation>
    </message>
</context>
<context>
    <name>ModelCorrection</name>
    <message>
        <source>Correct the model…</source>
        <translation>更正机型…</translation>
    </message>
    <message>
        <source>Only a supervisor corrects a unit&apos;s model.</source>
        <translation>仅主管可以更正机器的机型。</translation>
    </message>
    <message>
        <source>Select the unit in the list first.</source>
        <translation>请先在列表中选中该机器。</translation>
    </message>
    <message>
        <source>{serial} is now a {model} (correction recorded).</source>
        <translation>{serial} 已更正为 {model}(已记录更正)。</translation>
    </message>
</context>
<context>
    <name>ModelCorrectionDialog</name>
    <message>
        <source>Correct the model of {serial}</source>
        <translation>更正 {serial} 的机型</translation>
    </message>
    <message>
        <source>{serial} is stored as {model}.</source>
        <translation>{serial} 当前登记为 {model}。</translation>
    </message>
    <message>
        <source>Why (e.g. the back cover says XC-A5)</source>
        <translation>原因(例如:后盖标签为 XC-A5)</translation>
    </message>
    <message>
        <source>Correct the model</source>
        <translation>更正机型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>机型</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Choose the unit&apos;s model.</source>
        <translation>请选择该机的机型。</translation>
    </message>
</context>
<context>
    <name>NetworkAlarmsPage</name>
    <message>
        <source>Show closed alarms</source>
        <translation>显示已关闭的预警</translation>
    </message>
    <message>
        <source>Check the whole network now</source>
        <translation>立即检查全网</translation>
    </message>
    <message>
        <source>Early-warning alarms of every center</source>
        <translation>各中心的早期预警</translation>
    </message>
    <message>
        <source>Each center acknowledges and closes its own alarms on its quality page; the check here counts the returns of every center together.</source>
        <translation>各中心在本中心的质量页确认并关闭自己的预警;此处的检查将各中心的返修合并计算。</translation>
    </message>
    <message>
        <source>Check done: {count} new alarm(s).</source>
        <translation>检查完成:新增预警 {count} 条。</translation>
    </message>
</context>
<context>
    <name>NetworkStockPage</name>
    <message>
        <source>Shortages only</source>
        <translation>只看缺料</translation>
    </message>
    <message>
        <source>Transfer parts…</source>
        <translation>调拨物料…</translation>
    </message>
    <message>
        <source>Parts master…</source>
        <translation>物料主数据…</translation>
    </message>
    <message>
        <source>Every center&apos;s stock</source>
        <translation>各中心库存</translation>
    </message>
    <message>
        <source>Short: orders wait for the part, or the stock is at or under its safety stock. A transfer moves stock out of one center and into the other at once.</source>
        <translation>缺料：有工单在等此物料，或库存不高于安全库存。调拨在同一笔事务中从一个中心调出、调入另一个中心。</translation>
    </message>
    <message>
        <source>Transfer {document}: {quantity} × {part_no} sent.</source>
        <translation>调拨单 {document}：已调出 {quantity} × {part_no}。</translation>
    </message>
</context>
<context>
    <name>NoticeTimer</name>
    <message>
        <source>Automatic sending: not started yet.</source>
        <translation>自动发送：尚未开始。</translation>
    </message>
    <message>
        <source>Automatic sending stopped: {error}</source>
        <translation>自动发送已停止：{error}</translation>
    </message>
    <message>
        <source>Automatic sending: no pass yet (or off in the settings).</source>
        <translation>自动发送：尚未运行（或已在设置中关闭）。</translation>
    </message>
    <message>
        <source>this station</source>
        <translation>本工作站</translation>
    </message>
    <message>
        <source>no station</source>
        <translation>无工作站</translation>
    </message>
    <message>
        <source>failed: {error} (tried again at the next pass)</source>
        <translation>失败：{error}（下一轮会重试）</translation>
    </message>
    <message>
        <source>{queued} queued, no provider: send by hand</source>
        <translation>已排队 {queued} 条，未配置短信服务商：请手工发送</translation>
    </message>
    <message>
        <source>{queued} queued, {sent} sent, {retrying} to retry, {failed} failed</source>
        <translation>已排队 {queued} 条，已发送 {sent} 条，待重试 {retrying} 条，失败 {failed} 条</translation>
    </message>
    <message>
        <source>Automatic sending by {who}; last pass {last}: {result}</source>
        <translation>自动发送由{who}负责；上一轮 {last}：{result}</translation>
    </message>
</context>
<context>
    <name>OpenBoxDialog</name>
    <message>
        <source>Open box {waybill}</source>
        <translation>开箱 {waybill}</translation>
    </message>
    <message>
        <source>Waybill {waybill} ({carrier})</source>
        <translation>运单号 {waybill}({carrier})</translation>
    </message>
    <message>
        <source>Type the start of the name or phone</source>
        <translation>输入名称或电话的开头</translation>
    </message>
    <message>
        <source>Choose the sender (type, then ↓ ↑)</source>
        <translation>选择寄件人(输入后用 ↓ ↑ 选择)</translation>
    </message>
    <message>
        <source>New sender</source>
        <translation>新寄件方</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Open box</source>
        <translation>开箱</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>寄件方</translation>
    </message>
    <message>
        <source>Declared quantity</source>
        <translation>申报数量</translation>
    </message>
    <message>
        <source>Choose the sender of this box.</source>
        <translation>请选择此箱的寄件方。</translation>
    </message>
</context>
<context>
    <name>OrderTableModel</name>
    <message>
        <source>warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <source>rework ×{count}</source>
        <translation>返工 ×{count}</translation>
    </message>
    <message>
        <source>repeat repair</source>
        <translation>返修</translation>
    </message>
</context>
<context>
    <name>OverdueCounter</name>
    <message>
        <source>Overdue: {complaints} complaints, {calls} calls</source>
        <translation>超时:客诉 {complaints} 条,回访 {calls} 个</translation>
    </message>
</context>
<context>
    <name>PackingPanel</name>
    <message>
        <source>Packing list</source>
        <translation>装箱清单</translation>
    </message>
    <message>
        <source>Next scan: waybill (F6)</source>
        <translation>下一次扫描:运单号 (F6)</translation>
    </message>
    <message>
        <source>Print on shipping</source>
        <translation>发货时打印</translation>
    </message>
    <message>
        <source>Print the waybill and packing list when shipping</source>
        <translation>发货时打印运单和装箱清单</translation>
    </message>
    <message>
        <source>Ship (Ctrl+Enter)</source>
        <translation>发货 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Print waybill</source>
        <translation>打印运单</translation>
    </message>
    <message>
        <source>Preview waybill</source>
        <translation>预览运单</translation>
    </message>
    <message>
        <source>Take out selected unit</source>
        <translation>取出所选机器</translation>
    </message>
    <message>
        <source>Cancel shipment…</source>
        <translation>取消发货…</translation>
    </message>
    <message>
        <source>No shipment open: scan a unit&apos;s label to start one.</source>
        <translation>没有正在装箱的发货单:扫描一台机器的标签即开始装箱。</translation>
    </message>
    <message>
        <source>Shipment {shipment_no} to {customer}: {count} unit(s)</source>
        <translation>发货单 {shipment_no} → {customer}:{count} 台</translation>
    </message>
    <message>
        <source>New shipment (scan a unit)</source>
        <translation>新发货单(扫描机器)</translation>
    </message>
    <message>
        <source>{shipment_no} · {customer} · {count} unit(s)</source>
        <translation>{shipment_no} · {customer} · {count} 台</translation>
    </message>
</context>
<context>
    <name>PartStockModel</name>
    <message>
        <source>At or below safety stock: reorder</source>
        <translation>不高于安全库存:请补货</translation>
    </message>
</context>
<context>
    <name>PartsMasterButtons</name>
    <message>
        <source>Import parts master…</source>
        <translation>导入物料主数据…</translation>
    </message>
    <message>
        <source>Export parts master…</source>
        <translation>导出物料主数据…</translation>
    </message>
    <message>
        <source>Export parts master</source>
        <translation>导出物料主数据</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
    <message>
        <source>Exporting the parts master…</source>
        <translation>正在导出物料主数据…</translation>
    </message>
    <message>
        <source>Import parts master</source>
        <translation>导入物料主数据</translation>
    </message>
    <message>
        <source>Checking the parts master…</source>
        <translation>正在检查物料主数据…</translation>
    </message>
    <message>
        <source>Parts master {file}</source>
        <translation>物料主数据 {file}</translation>
    </message>
    <message>
        <source>Importing the parts master…</source>
        <translation>正在导入物料主数据…</translation>
    </message>
</context>
<context>
    <name>PartsTab</name>
    <message>
        <source>Parts issue</source>
        <translation>物料发放</translation>
    </message>
    <message>
        <source>Scan the repair-order label, then each part (a badge changes who receives them). Parts at or below their safety stock are shown in red.</source>
        <translation>先扫描维修单标签,再逐个扫描物料(扫描工牌可更换领料人)。库存不高于安全库存的物料以红色显示。</translation>
    </message>
    <message>
        <source>Scan an order label, a part barcode or a technician badge, then Enter</source>
        <translation>扫描维修单标签、物料条码或维修员工牌,然后回车</translation>
    </message>
    <message>
        <source>Parts ledger</source>
        <translation>物料进销存台账</translation>
    </message>
    <message>
        <source>Parts stock</source>
        <translation>物料库存</translation>
    </message>
    <message>
        <source>Purchase requests</source>
        <translation>采购申请</translation>
    </message>
    <message>
        <source>Orders waiting for parts</source>
        <translation>待料维修单</translation>
    </message>
    <message>
        <source>Slow-moving stock (no move for {days} days)</source>
        <translation>呆滞料({days} 天无异动)</translation>
    </message>
    <message>
        <source>Defective stock</source>
        <translation>不良料</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>待料订单</translation>
    </message>
    <message>
        <source>Slow-moving</source>
        <translation>呆滞料</translation>
    </message>
    <message>
        <source>Defective</source>
        <translation>不良料</translation>
    </message>
    <message>
        <source>Export purchase requests…</source>
        <translation>导出采购申请…</translation>
    </message>
    <message>
        <source>“{code}” is no order, part or technician badge. Scan again.</source>
        <translation>“{code}”不是维修单、物料或维修员工牌,请重新扫描。</translation>
    </message>
    <message>
        <source>Charge: {charge}. Out of warranty a part leaves only once the customer has accepted the charge, or a supervisor has waived it.</source>
        <translation>收费:{charge}。过保机器须客户确认收费或主管免收后,方可发料。</translation>
    </message>
    <message>
        <source>Parts now go to {name}.</source>
        <translation>领料人已改为 {name}。</translation>
    </message>
    <message>
        <source>scan a technician badge</source>
        <translation>请扫描维修员工牌</translation>
    </message>
    <message>
        <source>Order {order_no}: scan the parts.</source>
        <translation>工单 {order_no}:请扫描物料。</translation>
    </message>
    <message>
        <source>Scan the repair-order label first.</source>
        <translation>请先扫描维修单标签。</translation>
    </message>
    <message>
        <source>{part_no} is not listed for this model. Check the part, or give a reason and press Issue anyway.</source>
        <translation>{part_no} 不适用于该机型。请核对物料,或填写原因后点击“仍然发料”。</translation>
    </message>
    <message>
        <source>Only {on_hand} of {part_no} on hand: put the order on waiting for parts.</source>
        <translation>{part_no} 仅剩 {on_hand} 件:请将工单登记为待料。</translation>
    </message>
    <message>
        <source>Scan the badge of the technician taking the parts.</source>
        <translation>请扫描领料维修员的工牌。</translation>
    </message>
    <message>
        <source>Issued {quantity} × {part_no} to {technician}; {left} left.</source>
        <translation>已发放 {quantity} × {part_no} 给 {technician};结存 {left}。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>NO</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{part_no} {name} · fits model: {fits} · charge: {charge} · on hand: {on_hand}</source>
        <translation>{part_no} {name} · 适用机型:{fits} · 收费:{charge} · 结存:{on_hand}</translation>
    </message>
    <message>
        <source>Give the reason to issue a part not listed.</source>
        <translation>请填写发放非适用物料的原因。</translation>
    </message>
    <message>
        <source>{order_no} waits for the part; purchase request for {quantity}.</source>
        <translation>{order_no} 已登记待料;采购申请数量 {quantity}。</translation>
    </message>
    <message>
        <source>Orders unblocked: {orders}</source>
        <translation>已解除待料的工单:{orders}</translation>
    </message>
    <message>
        <source>Export purchase requests</source>
        <translation>导出采购申请</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved {file}.</source>
        <translation>已保存 {file}。</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>PhotoDialog</name>
    <message>
        <source>Photos of the unit</source>
        <translation>机器照片</translation>
    </message>
    <message>
        <source>Take photo (Space)</source>
        <translation>拍照(空格)</translation>
    </message>
    <message>
        <source>From files…</source>
        <translation>从文件添加…</translation>
    </message>
    <message>
        <source>No camera is found on this station: add photos from files.</source>
        <translation>本工位未找到摄像头:请从文件添加照片。</translation>
    </message>
    <message>
        <source>The camera does not work: {error}</source>
        <translation>摄像头无法使用:{error}</translation>
    </message>
    <message>
        <source>Pictures (*.jpg *.jpeg *.png *.bmp *.webp)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp *.webp)</translation>
    </message>
    <message>
        <source>{count} photo(s) saved.</source>
        <translation>已保存 {count} 张照片。</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Sign-in PIN</source>
        <translation>登录 PIN</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新 PIN</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>再输一次</translation>
    </message>
    <message>
        <source>Scan your badge at the sign-in, then type this PIN ({low}–{high} digits).</source>
        <translation>登录时先扫工牌,再输入此 PIN({low}–{high} 位数字)。</translation>
    </message>
    <message>
        <source>{user} scans their badge at the sign-in, then types this PIN ({low}–{high} digits).</source>
        <translation>{user} 登录时先扫工牌,再输入此 PIN({low}–{high} 位数字)。</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 不一致。</translation>
    </message>
</context>
<context>
    <name>PlacePage</name>
    <message>
        <source>Where the data lives</source>
        <translation>数据存放位置</translation>
    </message>
    <message>
        <source>One PC on its own keeps its data here; the stations of a center share a server.</source>
        <translation>单台电脑的数据存放在本机;中心的多个工位共用一台服务器。</translation>
    </message>
    <message>
        <source>This PC only</source>
        <translation>仅本机</translation>
    </message>
    <message>
        <source>The center&apos;s server</source>
        <translation>中心服务器</translation>
    </message>
    <message>
        <source>Data file: {path}</source>
        <translation>数据文件:{path}</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Test the connection first.</source>
        <translation>请先测试连接。</translation>
    </message>
</context>
<context>
    <name>PrintQueue</name>
    <message>
        <source>{title} not printed: no printer for it was found.</source>
        <translation>{title}未打印:未找到对应的打印机。</translation>
    </message>
</context>
<context>
    <name>PrintersDialog</name>
    <message>
        <source>Printers of this station</source>
        <translation>本工位打印机</translation>
    </message>
    <message>
        <source>The center&apos;s label size</source>
        <translation>中心默认标签尺寸</translation>
    </message>
    <message>
        <source>Label printer (repair-order labels)</source>
        <translation>标签打印机(维修单标签)</translation>
    </message>
    <message>
        <source>Waybill printer (100 × 150 mm)</source>
        <translation>面单打印机(100 × 150 mm)</translation>
    </message>
    <message>
        <source>Document printer (A4: slips, packing lists, letters)</source>
        <translation>文档打印机(A4:收货单、装箱清单、信函)</translation>
    </message>
    <message>
        <source>(the system&apos;s default printer)</source>
        <translation>(系统默认打印机)</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Label size</source>
        <translation>标签尺寸</translation>
    </message>
    <message>
        <source>PDF (any printer)</source>
        <translation>PDF(任何打印机)</translation>
    </message>
    <message>
        <source>ZPL, sent raw (Zebra and compatible)</source>
        <translation>ZPL 直发(斑马及兼容打印机)</translation>
    </message>
    <message>
        <source>Labels as</source>
        <translation>标签格式</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Test page</source>
        <translation>测试页</translation>
    </message>
    <message>
        <source>Test page sent to {printer}.</source>
        <translation>测试页已发送到 {printer}。</translation>
    </message>
    <message>
        <source>Not printed: printer {printer} not found.</source>
        <translation>未打印:未找到打印机 {printer}。</translation>
    </message>
</context>
<context>
    <name>QcStatsPanel</name>
    <message>
        <source>Over time, not signed off</source>
        <translation>已到时未签核</translation>
    </message>
    <message>
        <source>First-pass yield by model</source>
        <translation>按机型一次合格率</translation>
    </message>
    <message>
        <source>First-pass yield by technician</source>
        <translation>按维修员一次合格率</translation>
    </message>
</context>
<context>
    <name>QcTab</name>
    <message>
        <source>QC aging test</source>
        <translation>QC老化测试</translation>
    </message>
    <message>
        <source>Register each unit received from repair, age it for at least its model&apos;s hours, then check function and appearance and sign off pass or fail.</source>
        <translation>登记从维修转来的每台机器,按机型要求老化足够时长,再检查功能和外观,判定合格或不合格。</translation>
    </message>
    <message>
        <source>Repaired, waiting for QC</source>
        <translation>已修好,待QC</translation>
    </message>
    <message>
        <source>Scan a repaired unit&apos;s label: it goes into the next free slot. To choose the slot, scan the slot code (A-03) first. Scan a unit on the rack to sign it off.</source>
        <translation>扫描已修好机器的标签:自动放入下一个空槽位。要指定槽位,先扫槽位码(如 A-03)再扫标签。扫描架上的机器即可签核。</translation>
    </message>
    <message>
        <source>Slot {slot} chosen: now scan the unit&apos;s label to put it there.</source>
        <translation>已选槽位 {slot}:请扫描机器标签放入该槽位。</translation>
    </message>
    <message>
        <source>No repair order, serial or rack slot “{code}”. Scan again.</source>
        <translation>没有维修单、序列号或槽位“{code}”,请重新扫描。</translation>
    </message>
    <message>
        <source>{order_no} registered with QC (no rack slot): ages {hours} h.</source>
        <translation>{order_no} 已登记 QC(无槽位):老化 {hours} 小时。</translation>
    </message>
    <message>
        <source>{order_no} ({model}) is in slot {slot}: ages {hours} h, ready at {ready}.</source>
        <translation>{order_no}({model})已放入槽位 {slot}:老化 {hours} 小时,{ready} 老化完成。</translation>
    </message>
    <message>
        <source>{order_no}: still aging — signing it off now needs a supervisor.</source>
        <translation>{order_no}:老化未完成——现在签核需主管授权。</translation>
    </message>
    <message>
        <source>{order_no}: check it and sign off in the dialog.</source>
        <translation>{order_no}:请检测并在对话框中签核。</translation>
    </message>
    <message>
        <source>{order_no} passed QC: ready for shipping.</source>
        <translation>{order_no} QC 合格:可发货。</translation>
    </message>
    <message>
        <source>{order_no} failed QC: back to its technician (rework {rework}).</source>
        <translation>{order_no} QC 不合格:退回维修员(返工第 {rework} 次)。</translation>
    </message>
</context>
<context>
    <name>QualityPage</name>
    <message>
        <source>Show closed alarms</source>
        <translation>显示已关闭的预警</translation>
    </message>
    <message>
        <source>Early-warning alarms</source>
        <translation>质量预警</translation>
    </message>
    <message>
        <source>Return rates of the last twelve months&apos; sales</source>
        <translation>近十二个月销售机器的返修率</translation>
    </message>
    <message>
        <source>Check now</source>
        <translation>立即检查</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Close alarm…</source>
        <translation>关闭预警…</translation>
    </message>
    <message>
        <source>Monthly report…</source>
        <translation>质量月报…</translation>
    </message>
    <message>
        <source>No model has sales in the register yet.</source>
        <translation>销售登记中还没有任何机型的销售记录。</translation>
    </message>
    <message>
        <source>Report written: {files}</source>
        <translation>月报已生成:{files}</translation>
    </message>
    <message>
        <source>Check done: {count} new alarm(s).</source>
        <translation>检查完成:新增 {count} 条预警。</translation>
    </message>
    <message>
        <source>Select an alarm first.</source>
        <translation>请先选择一条预警。</translation>
    </message>
    <message>
        <source>What is being done about it?</source>
        <translation>正在采取什么措施?</translation>
    </message>
    <message>
        <source>How was it resolved (cause found, source stopped)?</source>
        <translation>如何解决的(找到的原因、如何堵住源头)?</translation>
    </message>
</context>
<context>
    <name>QueueFilters</name>
    <message>
        <source>All models</source>
        <translation>全部机型</translation>
    </message>
    <message>
        <source>Sender, phone, order no. or serial</source>
        <translation>寄件人、电话、单号或序列号</translation>
    </message>
    <message>
        <source>any age</source>
        <translation>不限时长</translation>
    </message>
    <message>
        <source>older than 1 day</source>
        <translation>超过 1 天</translation>
    </message>
    <message>
        <source>older than 3 days</source>
        <translation>超过 3 天</translation>
    </message>
    <message>
        <source>older than 7 days</source>
        <translation>超过 7 天</translation>
    </message>
    <message>
        <source>In and out of warranty</source>
        <translation>保内和保外</translation>
    </message>
    <message>
        <source>In warranty</source>
        <translation>保内</translation>
    </message>
    <message>
        <source>Out of warranty</source>
        <translation>保外</translation>
    </message>
    <message>
        <source>Repeat repairs only</source>
        <translation>仅返修</translation>
    </message>
</context>
<context>
    <name>RackModel</name>
    <message>
        <source>Done</source>
        <translation>老化完成</translation>
    </message>
    <message>
        <source>{order_no} · {model}
On the rack since {started}
Ready at {ready}</source>
        <translation>{order_no} · {model}
上架时间 {started}
老化完成 {ready}</translation>
    </message>
    <message>
        <source>Slot {slot}: free</source>
        <translation>槽位 {slot}:空闲</translation>
    </message>
    <message>
        <source>Slot {slot}: {order_no} {model}, finished, sign it off ({time})</source>
        <translation>槽位 {slot}:{order_no} {model},老化完成,请签核({time})</translation>
    </message>
    <message>
        <source>Slot {slot}: {order_no} {model}, aging, {time} left</source>
        <translation>槽位 {slot}:{order_no} {model},老化中,剩余 {time}</translation>
    </message>
</context>
<context>
    <name>RackPanel</name>
    <message>
        <source>Grey: free · white: aging, time left · green: finished, sign it off (arrows to choose a slot, Enter to sign off)</source>
        <translation>灰色:空槽位 · 白色:老化中,显示剩余时间 · 绿色:老化完成,请签核(方向键选择槽位,回车签核)</translation>
    </message>
    <message>
        <source>Aging racks: none set up yet, units are registered without a slot</source>
        <translation>老化架:尚未设置,机器登记时不分配槽位</translation>
    </message>
    <message>
        <source>Aging racks: {aging} aging · {finished} finished · {free} free</source>
        <translation>老化架:老化中 {aging} · 已完成 {finished} · 空闲 {free}</translation>
    </message>
</context>
<context>
    <name>RackView</name>
    <message>
        <source>Aging racks</source>
        <translation>老化架</translation>
    </message>
    <message>
        <source>Arrows choose a slot, Enter signs its unit off</source>
        <translation>方向键选择槽位,回车签核该机器</translation>
    </message>
</context>
<context>
    <name>ReceivingTab</name>
    <message>
        <source>Receiving</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>Scan the box&apos;s waybill to open it, then scan each unit&apos;s serial / IMEI and stick its label on it. Close the box with F10.</source>
        <translation>扫描包裹的运单号开箱,再逐台扫描序列号/IMEI并贴上维修单标签。按 F10 封箱。</translation>
    </message>
    <message>
        <source>Box {waybill} is open again: scan its units.</source>
        <translation>已重新打开箱 {waybill}:请继续扫描机器。</translation>
    </message>
    <message>
        <source>Box {waybill} opened: {declared} unit(s) declared. Scan the units.</source>
        <translation>已开箱 {waybill}:申报 {declared} 台。请逐台扫描。</translation>
    </message>
    <message>
        <source>Scan a unit or select one in the box first.</source>
        <translation>请先扫描机器或在本箱列表中选择一台。</translation>
    </message>
    <message>
        <source>No box is open.</source>
        <translation>当前未开箱。</translation>
    </message>
    <message>
        <source>Box {waybill} closed: {scanned} unit(s), as declared.</source>
        <translation>已封箱 {waybill}:实收 {scanned} 台,与申报相符。</translation>
    </message>
    <message>
        <source>Box {waybill} closed: scanned {scanned}, declared {declared}; the customer is to be contacted.</source>
        <translation>已封箱 {waybill}:实收 {scanned} 台,申报 {declared} 台;需联系客户。</translation>
    </message>
    <message>
        <source>Receiving slip</source>
        <translation>收货单</translation>
    </message>
    <message>
        <source>Appearance check saved; still missing: {items}</source>
        <translation>外观检查已保存;尚缺:{items}</translation>
    </message>
    <message>
        <source>Appearance check complete: the unit may leave receiving.</source>
        <translation>外观检查完成:可以流转出收货区。</translation>
    </message>
    <message>
        <source>{count} photo(s) attached.</source>
        <translation>已添加 {count} 张照片。</translation>
    </message>
    <message>
        <source>Sales register</source>
        <translation>销售记录</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Received in the last 7 days</source>
        <translation>近7天收货</translation>
    </message>
</context>
<context>
    <name>RegisterForm</name>
    <message>
        <source>Register a complaint</source>
        <translation>登记客诉</translation>
    </message>
    <message>
        <source>Name or phone, then Enter</source>
        <translation>姓名或电话,回车搜索</translation>
    </message>
    <message>
        <source>Order no. or serial, then Enter</source>
        <translation>维修单号或序列号,回车</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Clear orders</source>
        <translation>清空维修单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>What they ask for</source>
        <translation>客户要求</translation>
    </message>
    <message>
        <source>Orders concerned</source>
        <translation>涉及维修单</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>投诉等级</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Under watch after a complaint until {date}: handle with care.</source>
        <translation>投诉处理后追踪中,至 {date}:请重点关注。</translation>
    </message>
</context>
<context>
    <name>RegisterImport</name>
    <message>
        <source>Checking the sales register…</source>
        <translation>正在检查销售记录…</translation>
    </message>
    <message>
        <source>Sales register {file}</source>
        <translation>销售记录 {file}</translation>
    </message>
    <message>
        <source>Importing the sales register…</source>
        <translation>正在导入销售记录…</translation>
    </message>
</context>
<context>
    <name>Reprint</name>
    <message>
        <source>repair-order label</source>
        <translation>维修单标签</translation>
    </message>
    <message>
        <source>receiving slip</source>
        <translation>收货单</translation>
    </message>
    <message>
        <source>waybill</source>
        <translation>运单</translation>
    </message>
    <message>
        <source>packing list</source>
        <translation>装箱清单</translation>
    </message>
    <message>
        <source>apology letter</source>
        <translation>道歉信</translation>
    </message>
    <message>
        <source>timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Print the {document} {number} again</source>
        <translation>重新打印{document} {number}</translation>
    </message>
    <message>
        <source>{title}: printed again.</source>
        <translation>{title}:已重新打印。</translation>
    </message>
    <message>
        <source>{title} not printed: no printer for it was found.</source>
        <translation>{title}未打印:未找到对应的打印机。</translation>
    </message>
</context>
<context>
    <name>ResultBanner</name>
    <message>
        <source>Scan result</source>
        <translation>扫描结果</translation>
    </message>
</context>
<context>
    <name>RootCauseDialog</name>
    <message>
        <source>Root cause and corrective action</source>
        <translation>根本原因与纠正措施</translation>
    </message>
    <message>
        <source>complaint or order number; alarm number</source>
        <translation>投诉编号或维修单号;预警编号</translation>
    </message>
    <message>
        <source>For</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Root cause</source>
        <translation>根本原因</translation>
    </message>
    <message>
        <source>Why it happened</source>
        <translation>发生原因</translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation>纠正措施</translation>
    </message>
    <message>
        <source>Responsible</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>完成期限</translation>
    </message>
</context>
<context>
    <name>RowDialog</name>
    <message>
        <source>Edit {title}</source>
        <translation>编辑{title}</translation>
    </message>
</context>
<context>
    <name>ScanAnswer</name>
    <message>
        <source>Customer under watch until {date} (customer service told)</source>
        <translation>客户投诉后追踪中，至 {date}（已通知客服）</translation>
    </message>
    <message>
        <source>{order_no} · {serial} · {model}: {warranty}</source>
        <translation>{order_no} · {serial} · {model}:{warranty}</translation>
    </message>
    <message>
        <source>返修 (rework of our repair) — {text}</source>
        <translation>返修(本中心维修后90天内返修)— {text}</translation>
    </message>
    <message>
        <source>返修 (seen before) — {text}</source>
        <translation>返修(曾送修)— {text}</translation>
    </message>
    <message>
        <source>sold on {date} to {dealer}</source>
        <translation>{date} 售予 {dealer}</translation>
    </message>
    <message>
        <source>not in the sales register</source>
        <translation>销售记录中无此机</translation>
    </message>
    <message>
        <source>{sold}, in warranty until {until}</source>
        <translation>{sold},保内,保修至 {until}</translation>
    </message>
    <message>
        <source>{sold}, 保外 (warranty ended {until})</source>
        <translation>{sold},保外(保修已于 {until} 到期)</translation>
    </message>
    <message>
        <source>{sold}, 保外</source>
        <translation>{sold},保外</translation>
    </message>
</context>
<context>
    <name>ScanBar</name>
    <message>
        <source>Scan or type an order number or serial / IMEI, then Enter</source>
        <translation>扫描或输入维修单号、序列号/IMEI,按回车</translation>
    </message>
</context>
<context>
    <name>ScanField</name>
    <message>
        <source>Scan field</source>
        <translation>扫描输入框</translation>
    </message>
</context>
<context>
    <name>ScanGuard</name>
    <message>
        <source>“{code}” came from the scanner while this dialog is open: it was not taken. Finish the dialog, then scan it again.</source>
        <translation>“{code}”是在对话框打开时扫入的：未被采用。请先完成对话框，再重新扫描。</translation>
    </message>
</context>
<context>
    <name>SearchField</name>
    <message>
        <source>Search: order, serial, phone, name, waybill, part (Ctrl+F)</source>
        <translation>搜索:维修单号、序列号、电话、客户、运单号、物料编号 (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Found by</source>
        <translation>匹配项</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>维修单</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Serial / IMEI</source>
        <translation>序列号 / IMEI</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>机型</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Under watch after a complaint until {date}</source>
        <translation>投诉后追踪中，至 {date}</translation>
    </message>
    <message>
        <source>⚠ {customer} · under watch</source>
        <translation>⚠ {customer} · 追踪中</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>{count} settings saved.</source>
        <translation>已保存 {count} 项设置。</translation>
    </message>
</context>
<context>
    <name>SharedPc</name>
    <message>
        <source>Sign out / switch user</source>
        <translation>注销 / 切换用户</translation>
    </message>
    <message>
        <source>My sign-in PIN…</source>
        <translation>我的登录 PIN…</translation>
    </message>
    <message>
        <source>Lock when idle</source>
        <translation>闲置自动锁定</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>After {n} min</source>
        <translation>{n} 分钟后</translation>
    </message>
    <message>
        <source>Sign out anyway?</source>
        <translation>仍要注销吗?</translation>
    </message>
</context>
<context>
    <name>ShippingTab</name>
    <message>
        <source>Shipping</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>Only units that passed QC leave. Scan each unit&apos;s label to pack it, scan the carrier&apos;s waybill label, then ship (Ctrl+Enter).</source>
        <translation>只有QC通过的机器才能发货。逐台扫描维修单标签装箱,再扫描快递面单上的运单号,然后发货(Ctrl+Enter)。</translation>
    </message>
    <message>
        <source>Ready to ship, by customer</source>
        <translation>待发货(按客户)</translation>
    </message>
    <message>
        <source>Shipping ledger, today</source>
        <translation>今日发货台账</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{order_no} · {serial} packed. Accessories to put back: {accessories}</source>
        <translation>{order_no} · {serial} 已装箱。随机附件: {accessories}</translation>
    </message>
    <message>
        <source>Waybill {waybill} ({carrier}). Ship with Ctrl+Enter.</source>
        <translation>运单号 {waybill}({carrier})。按 Ctrl+Enter 发货。</translation>
    </message>
    <message>
        <source>Waybill {waybill}: it fits no carrier&apos;s format; check the carrier.</source>
        <translation>运单号 {waybill} 不符合任何承运商的格式,请核对承运商。</translation>
    </message>
    <message>
        <source>Shipment {shipment_no} shipped: {count} unit(s).</source>
        <translation>发货单 {shipment_no} 已发货:{count} 台。</translation>
    </message>
    <message>
        <source>Preparing the waybill…</source>
        <translation>正在生成运单…</translation>
    </message>
    <message>
        <source>Waybill</source>
        <translation>运单</translation>
    </message>
    <message>
        <source>No printer is set up: preview the waybill and print it from there.</source>
        <translation>未设置打印机:请预览运单后从预览中打印。</translation>
    </message>
    <message>
        <source>Select the unit to take out in the packing list.</source>
        <translation>请先在装箱清单中选择要取出的机器。</translation>
    </message>
    <message>
        <source>{order_no} taken out of the shipment.</source>
        <translation>{order_no} 已从发货单中取出。</translation>
    </message>
    <message>
        <source>Shipment {shipment_no} cancelled.</source>
        <translation>发货单 {shipment_no} 已取消。</translation>
    </message>
</context>
<context>
    <name>SignOffDialog</name>
    <message>
        <source>QC sign-off: {order_no}</source>
        <translation>QC 签核:{order_no}</translation>
    </message>
    <message>
        <source>{order_no} · {model} · {serial}
Technician: {technician} · slot {slot} · reworked {rework} times</source>
        <translation>{order_no} · {model} · {serial}
维修员:{technician} · 槽位 {slot} · 已返工 {rework} 次</translation>
    </message>
    <message>
        <source>Powers on and works normally</source>
        <translation>开机及功能正常</translation>
    </message>
    <message>
        <source>Appearance as received, no new marks</source>
        <translation>外观与收货时一致,无新增划痕</translation>
    </message>
    <message>
        <source>Function check</source>
        <translation>功能检测</translation>
    </message>
    <message>
        <source>Appearance check</source>
        <translation>外观检查</translation>
    </message>
    <message>
        <source>All items pass</source>
        <translation>全部合格</translation>
    </message>
    <message>
        <source>Pass: ready for shipping</source>
        <translation>合格:转发货</translation>
    </message>
    <message>
        <source>Fail: back to the technician</source>
        <translation>不合格:退回维修员</translation>
    </message>
    <message>
        <source>(choose a reason)</source>
        <translation>(选择不合格原因)</translation>
    </message>
    <message>
        <source>What exactly failed, for the technician</source>
        <translation>具体不良情况,供维修员参考</translation>
    </message>
    <message>
        <source>Your own password: your electronic signature</source>
        <translation>输入本人密码:即电子签名</translation>
    </message>
    <message>
        <source>Supervisor override (the time is not up)</source>
        <translation>主管授权(老化时间未到)</translation>
    </message>
    <message>
        <source>Why it may leave the rack early</source>
        <translation>提前下架的原因</translation>
    </message>
    <message>
        <source>Supervisor user name</source>
        <translation>主管用户名</translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation>主管密码</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Fail reason</source>
        <translation>不合格原因</translation>
    </message>
    <message>
        <source>Signature (password)</source>
        <translation>签名(密码)</translation>
    </message>
    <message>
        <source>Sign off</source>
        <translation>签核</translation>
    </message>
    <message>
        <source>Still {left} to age (ready at {ready}): signing now needs a supervisor.</source>
        <translation>剩余时间 {left}({ready} 老化完成):现在签核需主管授权。</translation>
    </message>
    <message>
        <source>Aging finished at {ready}.</source>
        <translation>已于 {ready} 老化完成。</translation>
    </message>
    <message>
        <source>Check every item first: {items}</source>
        <translation>请先逐项检测:{items}</translation>
    </message>
    <message>
        <source>Choose the result: pass or fail.</source>
        <translation>请选择结果:合格或不合格。</translation>
    </message>
</context>
<context>
    <name>StateChart</name>
    <message>
        <source>Repair orders by state</source>
        <translation>各状态维修单数</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>单数</translation>
    </message>
</context>
<context>
    <name>StationBox</name>
    <message>
        <source>Box {waybill} is still open: {scanned} of {declared} unit(s) scanned. It stays open and is resumed at the next sign-in at this station.</source>
        <translation>包裹 {waybill} 尚未封箱:已扫 {scanned} / {declared} 台。包裹保持开箱,本工位下次登录时自动恢复。</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>This station</source>
        <translation>本工位</translation>
    </message>
    <message>
        <source>The name of this PC on the floor, e.g. Receiving 1: recorded in the audit log.</source>
        <translation>本电脑在现场的名称,例如“收货1号”,会记录在操作日志中。</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>工位名称</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <source>First contact countdown</source>
        <translation>首次联系倒计时</translation>
    </message>
    <message>
        <source>First contact late by {time}</source>
        <translation>首次联系已超时 {time}</translation>
    </message>
    <message>
        <source>First contact within {time}</source>
        <translation>首次联系剩余 {time}</translation>
    </message>
</context>
<context>
    <name>TableSection</name>
    <message>
        <source>{title} (loading…)</source>
        <translation>{title}（加载中…）</translation>
    </message>
    <message>
        <source>{title} ({count})</source>
        <translation>{title}({count})</translation>
    </message>
</context>
<context>
    <name>Tiles</name>
    <message>
        <source>target {target} %</source>
        <translation>目标 {target} %</translation>
    </message>
    <message>
        <source>Open the list</source>
        <translation>打开清单</translation>
    </message>
</context>
<context>
    <name>TimelineDialog</name>
    <message>
        <source>Order timeline</source>
        <translation>维修单时间线</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Who / station</source>
        <translation>经办人 / 工位</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Copy as text</source>
        <translation>复制为文本</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Unit history</source>
        <translation>机器履历</translation>
    </message>
    <message>
        <source>Every order of this unit, with photos and parts</source>
        <translation>这台机器的全部维修单,含照片和用料</translation>
    </message>
    <message>
        <source>Order timeline: {order_no}</source>
        <translation>维修单时间线:{order_no}</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <source>No printer is set up: use Preview.</source>
        <translation>未设置打印机:请使用预览。</translation>
    </message>
</context>
<context>
    <name>ToPrintButton</name>
    <message>
        <source>To print ({count})</source>
        <translation>待打印 ({count})</translation>
    </message>
</context>
<context>
    <name>ToPrintDialog</name>
    <message>
        <source>To print</source>
        <translation>待打印</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Print all</source>
        <translation>全部打印</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Labels and documents that did not print wait here until printed.</source>
        <translation>未打印成功的标签和单据会留在这里,直到打印出来。</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer parts between centers</source>
        <translation>中心间调拨物料</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>From center</source>
        <translation>调出中心</translation>
    </message>
    <message>
        <source>To center</source>
        <translation>调入中心</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>UnitHistory</name>
    <message>
        <source>Unit history</source>
        <translation>机器维修记录</translation>
    </message>
    <message>
        <source>Unit history: {serial} is new here</source>
        <translation>机器维修记录:{serial} 首次送修</translation>
    </message>
    <message>
        <source>Unit history: {serial}, {count} earlier visit(s)</source>
        <translation>机器维修记录:{serial},此前送修 {count} 次</translation>
    </message>
    <message>
        <source>rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>{order_no} · {received} → {shipped} · {state} · {fault} {marks}</source>
        <translation>{order_no} · {received} → {shipped} · {state} · {fault} {marks}</translation>
    </message>
</context>
<context>
    <name>UnitViewDialog</name>
    <message>
        <source>Unit {serial}</source>
        <translation>机器 {serial}</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Who / station</source>
        <translation>人员 / 工位</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>物料</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>客诉</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>履历</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>Parts used</source>
        <translation>所用物料</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>客诉</translation>
    </message>
    <message>
        <source>No unit has this serial.</source>
        <translation>没有这个序列号的机器。</translation>
    </message>
    <message>
        <source>{count} order(s) of this unit</source>
        <translation>这台机器共 {count} 张维修单</translation>
    </message>
    <message>
        <source>Serials of this unit (swaps): {serials}</source>
        <translation>这台机器的序列号(换机/换板):{serials}</translation>
    </message>
    <message>
        <source>repeat</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>complaint</source>
        <translation>客诉</translation>
    </message>
    <message>
        <source>{count} photo(s)</source>
        <translation>{count} 张照片</translation>
    </message>
    <message>
        <source>Order {order_no}, {state}: {model}, serial {serial}</source>
        <translation>维修单 {order_no},{state}:{model},序列号 {serial}</translation>
    </message>
    <message>
        <source>Customer {customer}, phone {phone}</source>
        <translation>客户 {customer},电话 {phone}</translation>
    </message>
    <message>
        <source>Received {received}, shipped {shipped}; fault: {fault}</source>
        <translation>收货 {received},发货 {shipped};故障:{fault}</translation>
    </message>
    <message>
        <source>Swapped out: {serials}</source>
        <translation>已换下:{serials}</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Edit user</source>
        <translation>编辑用户</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>First password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Set PIN…</source>
        <translation>设置 PIN…</translation>
    </message>
    <message>
        <source>Select a user first.</source>
        <translation>请先选择一个用户。</translation>
    </message>
    <message>
        <source>{user} enabled.</source>
        <translation>{user} 已启用。</translation>
    </message>
    <message>
        <source>{user} disabled.</source>
        <translation>{user} 已停用。</translation>
    </message>
    <message>
        <source>New password for {user}: {password} — they must change it at next sign-in.</source>
        <translation>{user} 的新密码:{password} —— 下次登录时必须修改。</translation>
    </message>
    <message>
        <source>{user} unlocked.</source>
        <translation>{user} 已解锁。</translation>
    </message>
    <message>
        <source>{user} has no badge code: give them one first (Edit), then a PIN.</source>
        <translation>{user} 没有工牌号:请先(编辑)设置工牌号,再设置 PIN。</translation>
    </message>
    <message>
        <source>PIN set for {user}.</source>
        <translation>已为 {user} 设置 PIN。</translation>
    </message>
</context>
<context>
    <name>WaybillForm</name>
    <message>
        <source>Waybill</source>
        <translation>运单</translation>
    </message>
    <message>
        <source>Scan the carrier&apos;s label or type the number</source>
        <translation>扫描快递面单或输入运单号</translation>
    </message>
    <message>
        <source>not weighed</source>
        <translation>未称重</translation>
    </message>
    <message>
        <source>yuan, e.g. 1200.00 (empty: none)</source>
        <translation>元,例如 1200.00(不填为不保价)</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Waybill no.</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <source>Pieces</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Declared value</source>
        <translation>保价</translation>
    </message>
    <message>
        <source>Receiver</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Receiver phone</source>
        <translation>收件人电话</translation>
    </message>
    <message>
        <source>Receiver address</source>
        <translation>收件地址</translation>
    </message>
</context>
<context>
    <name>WorkloadPanel</name>
    <message>
        <source>Technician</source>
        <translation>维修员</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>No active technician has badge &quot;{code}&quot;.</source>
        <translation>没有在职维修员使用工牌“{code}”。</translation>
    </message>
    <message>
        <source>No repair order or serial &quot;{code}&quot;.</source>
        <translation>找不到维修单或序列号“{code}”。</translation>
    </message>
    <message>
        <source>Give a reason for the reassignment.</source>
        <translation>请填写改派的原因。</translation>
    </message>
    <message>
        <source>Order {order_no} is not waiting for allocation ({state}).</source>
        <translation>维修单 {order_no} 不在待分配队列中({state})。</translation>
    </message>
    <message>
        <source>Order {order_no} is {state}: only orders on a bench can be reassigned.</source>
        <translation>维修单 {order_no} 的状态是“{state}”:只有在维修台上的维修单才能改派。</translation>
    </message>
    <message>
        <source>Order {order_no} is already with {name}.</source>
        <translation>维修单 {order_no} 已经在 {name} 手上。</translation>
    </message>
    <message>
        <source>{path} is not a RepairFloor backup.</source>
        <translation>{path} 不是 RepairFloor 的备份文件。</translation>
    </message>
    <message>
        <source>The backup comes from a newer RepairFloor (schema {revision}). Update the program first.</source>
        <translation>该备份来自更新版本的 RepairFloor(数据结构 {revision}),请先升级程序。</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} 不存在。</translation>
    </message>
    <message>
        <source>{tool} is not installed: install the PostgreSQL client tools.</source>
        <translation>未安装 {tool}:请安装 PostgreSQL 客户端工具。</translation>
    </message>
    <message>
        <source>{tool} failed: {error}</source>
        <translation>{tool} 执行失败:{error}</translation>
    </message>
    <message>
        <source>Record both the cause found and the action taken.</source>
        <translation>请同时记录查到的故障原因和采取的维修措施。</translation>
    </message>
    <message>
        <source>Say why the serial changes (board swap, replacement...).</source>
        <translation>请说明序列号变更的原因(换板、换机等)。</translation>
    </message>
    <message>
        <source>Order {order_no} is not on a bench ({state}).</source>
        <translation>维修单 {order_no} 不在维修台上({state})。</translation>
    </message>
    <message>
        <source>The new serial is the same as the old one.</source>
        <translation>新序列号与原序列号相同。</translation>
    </message>
    <message>
        <source>{serial} already has an open repair order {order_no}.</source>
        <translation>{serial} 已有未完结的维修单 {order_no}。</translation>
    </message>
    <message>
        <source>There is no repair order with id {id}. Scan the order label again.</source>
        <translation>没有编号为 {id} 的维修单,请重新扫描维修单标签。</translation>
    </message>
    <message>
        <source>Write down what happened, in the customer&apos;s words.</source>
        <translation>请用客户的原话记录事情经过。</translation>
    </message>
    <message>
        <source>There is no complaint with id {id}.</source>
        <translation>没有编号为 {id} 的投诉。</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} is no longer open.</source>
        <translation>投诉 {complaint_no} 已不在处理中。</translation>
    </message>
    <message>
        <source>Write down the answer given to the customer.</source>
        <translation>请记录给客户的答复。</translation>
    </message>
    <message>
        <source>Choose the customer who complains.</source>
        <translation>请选择投诉的客户。</translation>
    </message>
    <message>
        <source>First contact for {complaint_no} was already recorded at {time}.</source>
        <translation>投诉 {complaint_no} 已于 {time} 登记过首次联系。</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} was already answered.</source>
        <translation>投诉 {complaint_no} 已经答复过。</translation>
    </message>
    <message>
        <source>Sign in as a person to do this.</source>
        <translation>请以个人账号登录后再操作。</translation>
    </message>
    <message>
        <source>Another station saved the same record a moment ago. Reload and try again.</source>
        <translation>另一工位刚刚保存了同一记录。请刷新后重试。</translation>
    </message>
    <message>
        <source>The database is busy with another station&apos;s change: nothing was saved. Try again in a moment.</source>
        <translation>数据库正忙于处理其他工位的操作:本次未保存。请稍后再试一次。</translation>
    </message>
    <message>
        <source>The disk holding the database is full: nothing was saved. Free disk space (or call IT), then try again.</source>
        <translation>数据库所在的磁盘已满:本次未保存。请清理磁盘空间(或联系IT)后再试。</translation>
    </message>
    <message>
        <source>There is no {number} to print again.</source>
        <translation>没有可重新打印的 {number}。</translation>
    </message>
    <message>
        <source>&quot;{text}&quot; is not an amount of money: type yuan with at most two decimals, e.g. 128.50.</source>
        <translation>“{text}”不是金额：请输入元，最多两位小数，例如 128.50。</translation>
    </message>
    <message>
        <source>{text} yuan is more than the floor takes: at most {most} yuan.</source>
        <translation>{text} 元超出允许范围：最多 {most} 元。</translation>
    </message>
    <message>
        <source>An amount of money is whole cents, never a float.</source>
        <translation>金额必须是整数分，不能是浮点数。</translation>
    </message>
    <message>
        <source>An amount must be from 0 to {most} yuan.</source>
        <translation>金额必须在 0 到 {most} 元之间。</translation>
    </message>
    <message>
        <source>Write why the unit&apos;s model is corrected.</source>
        <translation>请填写更正机型的原因。</translation>
    </message>
    <message>
        <source>{label}: {value} is not a time zone; write e.g. Asia/Shanghai.</source>
        <translation>{label}:{value} 不是时区,请填写例如 Asia/Shanghai。</translation>
    </message>
    <message>
        <source>Center time zone (e.g. Asia/Shanghai)</source>
        <translation>中心时区(例如 Asia/Shanghai)</translation>
    </message>
    <message>
        <source>Passwords: at least (characters)</source>
        <translation>密码:至少(字符数)</translation>
    </message>
    <message>
        <source>Station clocks: greatest difference from the server (seconds)</source>
        <translation>工作站时钟:与服务器的最大偏差(秒)</translation>
    </message>
    <message>
        <source>Wrong user name or password, or the account is locked, disabled or may not do this. Nothing was recorded. Check Caps Lock and try again; after {count} wrong passwords an account is locked for {minutes} minutes (the administrator can unlock it).</source>
        <translation>用户名或密码错误,或该账号已锁定、已停用或无权进行此操作。未记录任何内容。请检查大写锁定键后重试;连续输错 {count} 次密码后账号将锁定 {minutes} 分钟(管理员可解锁)。</translation>
    </message>
    <message>
        <source>Set this PC&apos;s date, time and time zone right (Windows: Settings → Time &amp; language → Date &amp; time → Set time automatically; or ask IT to synchronise it with the server), then sign in again.</source>
        <translation>请把本机的日期、时间和时区调准(Windows:设置 → 时间和语言 → 日期和时间 → 自动设置时间;或请 IT 将本机与服务器同步时间),然后重新登录。</translation>
    </message>
    <message>
        <source>This PC&apos;s clock ({now}) is behind work already recorded at {newest}: it was set back. {fix}</source>
        <translation>本机时钟({now})早于已记录的工作时间 {newest}:时钟被往回调过。{fix}</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is {minutes} minutes fast compared with the server. {fix}</source>
        <translation>本机时钟比服务器快 {minutes} 分钟。{fix}</translation>
    </message>
    <message>
        <source>This PC&apos;s clock is {minutes} minutes slow compared with the server. {fix}</source>
        <translation>本机时钟比服务器慢 {minutes} 分钟。{fix}</translation>
    </message>
    <message>
        <source>A password of only spaces is no password. Choose another.</source>
        <translation>只有空格的密码不算密码。请换一个。</translation>
    </message>
    <message>
        <source>A password is at most 256 characters, without hidden control characters.</source>
        <translation>密码最多 256 个字符，且不能含隐藏的控制字符。</translation>
    </message>
    <message>
        <source>A user name is 1 to 64 letters (a-z, A-Z), digits, . _ - or Chinese characters, without spaces.</source>
        <translation>用户名为 1 到 64 个字母（a-z、A-Z）、数字、. _ - 或汉字，不能有空格。</translation>
    </message>
    <message>
        <source>Type a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>Type a whole number from {low} to {high}.</source>
        <translation>请输入 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>Type text here.</source>
        <translation>请在此输入文字。</translation>
    </message>
    <message>
        <source>The text is too long: {length} characters, at most {most}.</source>
        <translation>文字过长：{length} 个字符，最多 {most} 个。</translation>
    </message>
    <message>
        <source>Type the purchase date as a date.</source>
        <translation>请以日期格式输入购买日期。</translation>
    </message>
    <message>
        <source>The purchase date {date} is after today. Check the receipt.</source>
        <translation>购买日期 {date} 晚于今天。请核对购买凭证。</translation>
    </message>
    <message>
        <source>The purchase date {date} is before {earliest}. Check the receipt.</source>
        <translation>购买日期 {date} 早于 {earliest}。请核对购买凭证。</translation>
    </message>
    <message>
        <source>The text holds a hidden control character (U+{code}). Retype it.</source>
        <translation>文字中含有隐藏的控制字符（U+{code}）。请重新输入。</translation>
    </message>
    <message>
        <source>Early warning: chance of a false alarm per model and check (per mille)</source>
        <translation>质量预警:每个机型每次检查的误报概率(千分比)</translation>
    </message>
    <message>
        <source>Early warning: months in service watched</source>
        <translation>质量预警:监控的在用月数</translation>
    </message>
    <message>
        <source>Early warning: a new model is compared with its category for (months)</source>
        <translation>质量预警:新机型上市后按品类比较的月数</translation>
    </message>
    <message>
        <source>Give the items as a list.</source>
        <translation>请以列表形式填写各项。</translation>
    </message>
    <message>
        <source>At most {most} items.</source>
        <translation>最多 {most} 项。</translation>
    </message>
    <message>
        <source>{what} was changed by {user} at {time} ({change}). Reload it and try again.</source>
        <translation>{what} 已被 {user} 于 {time} 修改({change})。请重新加载后再试。</translation>
    </message>
    <message>
        <source>{what} was changed by another station meanwhile. Reload it and try again.</source>
        <translation>{what} 已被其他工位修改。请重新加载后再试。</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>Refurbish</source>
        <translation>翻新</translation>
    </message>
    <message>
        <source>Replace as new</source>
        <translation>换新机</translation>
    </message>
    <message>
        <source>Charge proposed, awaiting the customer</source>
        <translation>已报价,待客户确认</translation>
    </message>
    <message>
        <source>Charge accepted</source>
        <translation>客户同意收费</translation>
    </message>
    <message>
        <source>Charge refused</source>
        <translation>客户拒绝收费</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>良品</translation>
    </message>
    <message>
        <source>Defective</source>
        <translation>不良品</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>发料</translation>
    </message>
    <message>
        <source>Unused return</source>
        <translation>退料</translation>
    </message>
    <message>
        <source>Faulty return</source>
        <translation>坏件退回</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>Stocktake</source>
        <translation>盘点调整</translation>
    </message>
    <message>
        <source>Supplier return</source>
        <translation>退供应商</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>装箱中</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>来信</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>网上</translation>
    </message>
    <message>
        <source>A — minor (below standard, no redo asked)</source>
        <translation>A级 — 轻微(服务未达标准,未要求返工)</translation>
    </message>
    <message>
        <source>B — serious (asks for the work to be redone)</source>
        <translation>B级 — 严重(要求重新维修)</translation>
    </message>
    <message>
        <source>C — severe (asks for a refund)</source>
        <translation>C级 — 重大(要求退款)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>处理中</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已处理</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <source>Repair quality</source>
        <translation>维修质量</translation>
    </message>
    <message>
        <source>Attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <source>Turnaround time</source>
        <translation>维修时效</translation>
    </message>
    <message>
        <source>Parts supply</source>
        <translation>配件供应</translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation>收费价格</translation>
    </message>
    <message>
        <source>Loss or damage</source>
        <translation>丢失或损坏</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>This database already holds {orders} repair orders and {models} product models: the demo loads only into a new, empty database. Nothing was changed.</source>
        <translation>该数据库已有 {orders} 张维修单和 {models} 个机型:演示数据只能载入新的空数据库。未做任何更改。</translation>
    </message>
    <message>
        <source>The demo needs at least {count} orders to show every state.</source>
        <translation>演示数据至少需要 {count} 张维修单才能覆盖所有状态。</translation>
    </message>
    <message>
        <source>The end date is before the start date.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>Unknown ledger {names}. Choose from: {known}.</source>
        <translation>没有台账 {names}。可选:{known}。</translation>
    </message>
    <message>
        <source>Nothing was scanned. Scan the barcode again.</source>
        <translation>没有扫到内容,请重新扫描条码。</translation>
    </message>
    <message>
        <source>The scan is longer than {limit} characters: is it the right barcode?</source>
        <translation>扫描内容超过 {limit} 个字符:扫的是正确的条码吗?</translation>
    </message>
    <message>
        <source>The scan holds control characters. Check the scanner&apos;s settings.</source>
        <translation>扫描内容含有控制字符,请检查扫描枪设置。</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not an IMEI: an IMEI has 15 digits.</source>
        <translation>“{value}”不是 IMEI:IMEI 为 15 位数字。</translation>
    </message>
    <message>
        <source>IMEI &quot;{value}&quot; has a wrong check digit: scan it again or type it from the label.</source>
        <translation>IMEI“{value}”校验位错误:请重新扫描,或按标签手工输入。</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a serial number of this model (letters, digits and &quot;-&quot;).</source>
        <translation>“{value}”不是该机型的序列号(只能含字母、数字和“-”)。</translation>
    </message>
    <message>
        <source>There is no repair order with id {id}.</source>
        <translation>没有编号为 {id} 的维修单。</translation>
    </message>
    <message>
        <source>No repair order &quot;{order_no}&quot;. Scan the label again.</source>
        <translation>没有维修单“{order_no}”,请重新扫描标签。</translation>
    </message>
    <message>
        <source>That person is not an active technician.</source>
        <translation>此人不是在职维修员。</translation>
    </message>
    <message>
        <source>Order {order_no} needs a supervisor&apos;s approval before work starts.</source>
        <translation>维修单 {order_no} 须经主管批准后才能开工。</translation>
    </message>
    <message>
        <source>Select or scan at least one order to allocate.</source>
        <translation>请至少选择或扫描一张要分配的维修单。</translation>
    </message>
    <message>
        <source>Record what was repaired before passing the unit to QC.</source>
        <translation>转QC之前请先记录维修内容。</translation>
    </message>
    <message>
        <source>A charge needs a positive amount for parts or labour.</source>
        <translation>收费须有大于零的配件费或工时费。</translation>
    </message>
    <message>
        <source>Say why the repair is charged.</source>
        <translation>请说明收费原因。</translation>
    </message>
    <message>
        <source>Record who answered for the customer.</source>
        <translation>请记录代表客户答复的人。</translation>
    </message>
    <message>
        <source>Choose refund, refurbish or replace as new.</source>
        <translation>请选择退货、翻新或换新。</translation>
    </message>
    <message>
        <source>Give a reason for the special handling.</source>
        <translation>请填写特殊处理的原因。</translation>
    </message>
    <message>
        <source>Give a reason for rejecting the special handling.</source>
        <translation>请填写驳回特殊处理的原因。</translation>
    </message>
    <message>
        <source>Give a reason for returning the unit unrepaired.</source>
        <translation>请填写不维修退回的原因。</translation>
    </message>
    <message>
        <source>Order {order_no} has no charge waiting for an answer.</source>
        <translation>维修单 {order_no} 没有待客户答复的收费。</translation>
    </message>
    <message>
        <source>There is no part with id {id}. Scan the part label again.</source>
        <translation>没有编号为 {id} 的物料,请重新扫描物料标签。</translation>
    </message>
    <message>
        <source>Part {part_no} is no longer in use. Choose its replacement.</source>
        <translation>物料 {part_no} 已停用,请选择替代料。</translation>
    </message>
    <message>
        <source>Not enough {name} ({part_no}) on hand: {left} left, {wanted} asked. Put the order on waiting for parts.</source>
        <translation>{name}({part_no})库存不足:剩余 {left},需要 {wanted}。请将维修单转为待料。</translation>
    </message>
    <message>
        <source>Enter the delivery note or purchase order number.</source>
        <translation>请输入送货单号或采购单号。</translation>
    </message>
    <message>
        <source>Parts are issued to an active technician: scan their badge.</source>
        <translation>物料只能发给在职维修员:请扫描其工牌。</translation>
    </message>
    <message>
        <source>Order {order_no} is {state}: parts go only to open orders.</source>
        <translation>维修单 {order_no} 的状态是“{state}”:只能给未完结的维修单发料。</translation>
    </message>
    <message>
        <source>Receiving clerk</source>
        <translation>收货文员</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修员</translation>
    </message>
    <message>
        <source>Parts keeper</source>
        <translation>物料员</translation>
    </message>
    <message>
        <source>QC tester</source>
        <translation>QC检验员</translation>
    </message>
    <message>
        <source>Shipping clerk</source>
        <translation>发货文员</translation>
    </message>
    <message>
        <source>Customer service</source>
        <translation>客服</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <source>receiving</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>allocation</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>charge confirmation</source>
        <translation>收费确认</translation>
    </message>
    <message>
        <source>parts issuing</source>
        <translation>物料发放</translation>
    </message>
    <message>
        <source>QC</source>
        <translation>QC检验</translation>
    </message>
    <message>
        <source>shipping</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>complaints</source>
        <translation>客诉处理</translation>
    </message>
    <message>
        <source>special handling requests</source>
        <translation>申请特殊处理</translation>
    </message>
    <message>
        <source>supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <source>ledgers</source>
        <translation>台账</translation>
    </message>
    <message>
        <source>administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>user management</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>Your role does not allow this ({permission}). Ask a supervisor.</source>
        <translation>您的角色无权进行此操作({permission}),请找主管。</translation>
    </message>
    <message>
        <source>QC fail reasons</source>
        <translation>QC 不合格原因</translation>
    </message>
    <message>
        <source>Every rack slot is taken: sign off finished units first.</source>
        <translation>老化架已全部占满:请先给老化完成的机器签核。</translation>
    </message>
    <message>
        <source>Order {order_no} is not on an aging rack.</source>
        <translation>维修单 {order_no} 不在老化架上。</translation>
    </message>
    <message>
        <source>An early sign-off needs the supervisor&apos;s reason.</source>
        <translation>提前签核须由主管填写原因。</translation>
    </message>
    <message>
        <source>A failed unit needs a reason for the technician.</source>
        <translation>判定不合格须给维修员写明原因。</translation>
    </message>
    <message>
        <source>A unit with a failed check cannot pass: {items}.</source>
        <translation>有检测项不合格,不能判为合格:{items}。</translation>
    </message>
    <message>
        <source>There is no rack slot &quot;{code}&quot;.</source>
        <translation>没有老化架位“{code}”。</translation>
    </message>
    <message>
        <source>Slot {code} is taken. Scan a free slot.</source>
        <translation>架位 {code} 已占用,请扫描空闲架位。</translation>
    </message>
    <message>
        <source>Aging is not finished: {minutes} more minutes for {order_no}.</source>
        <translation>老化未完成:{order_no} 还需 {minutes} 分钟。</translation>
    </message>
    <message>
        <source>&quot;{waybill}&quot; is not a waybill number of any carrier. Expected: {expected}.</source>
        <translation>“{waybill}”不是任何快递公司的运单号。应为:{expected}。</translation>
    </message>
    <message>
        <source>There is no such box.</source>
        <translation>没有这个箱子。</translation>
    </message>
    <message>
        <source>Box {waybill} is already closed.</source>
        <translation>箱子 {waybill} 已经封箱。</translation>
    </message>
    <message>
        <source>Choose the sender of this box.</source>
        <translation>请选择这箱货的寄件方。</translation>
    </message>
    <message>
        <source>Box {waybill} was already opened on {date}.</source>
        <translation>箱子 {waybill} 已于 {date} 开箱。</translation>
    </message>
    <message>
        <source>No unit was scanned into this box. Scan units before closing.</source>
        <translation>这箱还没有扫描任何机器,请先扫描再封箱。</translation>
    </message>
    <message>
        <source>Declared {declared}, scanned {scanned}: write a note on the difference.</source>
        <translation>申报 {declared} 台,实扫 {scanned} 台:请备注差异。</translation>
    </message>
    <message>
        <source>Waybill &quot;{waybill}&quot; has a wrong check digit ({carrier}). Scan it again.</source>
        <translation>运单号“{waybill}”校验位错误({carrier}),请重新扫描。</translation>
    </message>
    <message>
        <source>Complete the appearance check of {order_no} first (missing: {items}).</source>
        <translation>请先完成 {order_no} 的外观检查(缺少:{items})。</translation>
    </message>
    <message>
        <source>Not on the checklist of {category}: {items}.</source>
        <translation>不在{category}的检查清单中:{items}。</translation>
    </message>
    <message>
        <source>Write the sender&apos;s name.</source>
        <translation>请填写寄件方名称。</translation>
    </message>
    <message>
        <source>No box is open: scan the courier waybill of the box first.</source>
        <translation>当前未开箱:请先扫描包裹的快递运单号。</translation>
    </message>
    <message>
        <source>No box is open, and {code} is not a courier waybill: scan the waybill of the box first.</source>
        <translation>找不到维修单或运单“{code}”:当前未开箱,请先扫描包裹的快递运单号。</translation>
    </message>
    <message>
        <source>Box {waybill} was already received and closed on {date}.</source>
        <translation>箱 {waybill} 已于 {date} 收货并封箱。</translation>
    </message>
    <message>
        <source>Choose the product model of {serial}.</source>
        <translation>请选择 {serial} 的机型。</translation>
    </message>
    <message>
        <source>Unknown product model &quot;{code}&quot;.</source>
        <translation>未知机型“{code}”。</translation>
    </message>
    <message>
        <source>Choose the sender of this unit.</source>
        <translation>请选择这台机器的寄件方。</translation>
    </message>
    <message>
        <source>The box is closed. Open a box before scanning units.</source>
        <translation>箱子已封箱。请先开箱再扫描机器。</translation>
    </message>
    <message>
        <source>There is no user with id {id}. Refresh the list.</source>
        <translation>没有编号为 {id} 的用户。请刷新列表。</translation>
    </message>
    <message>
        <source>A badge code is 1 to 64 characters without spaces.</source>
        <translation>工牌号为 1 至 64 个字符,不能有空格。</translation>
    </message>
    <message>
        <source>A name is 1 to 64 characters.</source>
        <translation>姓名为 1 至 64 个字符。</translation>
    </message>
    <message>
        <source>You cannot disable your own account. Ask another administrator.</source>
        <translation>不能停用自己的账号。请找另一位管理员。</translation>
    </message>
    <message>
        <source>You cannot take the administrator role from yourself. Ask another administrator.</source>
        <translation>不能取消自己的管理员角色。请找另一位管理员。</translation>
    </message>
    <message>
        <source>There is no catalogue {name}.</source>
        <translation>没有名为 {name} 的基础资料。</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>The first row must name the columns; the column {header} is missing.</source>
        <translation>第一行必须是列名;缺少列“{header}”。</translation>
    </message>
    <message>
        <source>{key} is no longer in the list. Refresh it.</source>
        <translation>{key} 已不在列表中。请刷新。</translation>
    </message>
    <message>
        <source>Rows of this list cannot be deactivated.</source>
        <translation>此列表的条目不能停用。</translation>
    </message>
    <message>
        <source>{file} is not an Excel workbook (.xlsx).</source>
        <translation>{file} 不是 Excel 工作簿(.xlsx)。</translation>
    </message>
    <message>
        <source>Rows of this list are added elsewhere (users: the Users page).</source>
        <translation>此列表的条目在别处新增(人员:在“用户”页)。</translation>
    </message>
    <message>
        <source>{key} is already in the list. Edit it instead.</source>
        <translation>{key} 已在列表中。请改为编辑。</translation>
    </message>
    <message>
        <source>The code cannot be changed; deactivate it and add a new one.</source>
        <translation>代码不能修改;请停用后新增一条。</translation>
    </message>
    <message>
        <source>{key} is listed twice (also row {row}).</source>
        <translation>{key} 重复出现(另见第 {row} 行)。</translation>
    </message>
    <message>
        <source>{key} is not in the list.</source>
        <translation>{key} 不在列表中。</translation>
    </message>
    <message>
        <source>{field}: write 是 or 否.</source>
        <translation>{field}:请填写“是”或“否”。</translation>
    </message>
    <message>
        <source>a SQLite database (one PC)</source>
        <translation>SQLite 数据库(单机)</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>{path} is damaged or incomplete ({detail}): it cannot be restored.</source>
        <translation>{path} 已损坏或不完整({detail}):无法恢复。</translation>
    </message>
    <message>
        <source>{path} was written by a newer RepairFloor: update the program first.</source>
        <translation>{path} 由更新版本的 RepairFloor 写入:请先升级程序。</translation>
    </message>
    <message>
        <source>Only a SQLite database (one PC) is moved to a server.</source>
        <translation>只有 SQLite 数据库(单机)才能迁移到服务器。</translation>
    </message>
    <message>
        <source>Move to a PostgreSQL server: {url} is not one.</source>
        <translation>请迁移到 PostgreSQL 服务器:{url} 不是 PostgreSQL。</translation>
    </message>
    <message>
        <source>Upgrade this PC&apos;s database first (open it once).</source>
        <translation>请先升级本机数据库(用程序打开一次)。</translation>
    </message>
    <message>
        <source>This PC&apos;s database has tables RepairFloor does not know: {tables}.</source>
        <translation>本机数据库中有 RepairFloor 不认识的表:{tables}。</translation>
    </message>
    <message>
        <source>{url} already holds data: move only into an empty database.</source>
        <translation>{url} 中已有数据:只能迁移到空数据库。</translation>
    </message>
    <message>
        <source>The copy&apos;s row counts differ ({tables}): nothing was moved.</source>
        <translation>复制后的行数不一致({tables}):未迁移任何数据。</translation>
    </message>
    <message>
        <source>{count} other connections use the database ({who}): close RepairFloor on every other station, then restore again. Nothing was changed.</source>
        <translation>有 {count} 个其他连接正在使用数据库({who}):请先关闭其他工位上的 RepairFloor,再重新恢复。未做任何更改。</translation>
    </message>
    <message>
        <source>The database could not be switched ({error}). Nothing was changed.</source>
        <translation>无法切换数据库({error})。未做任何更改。</translation>
    </message>
    <message>
        <source>{path} is a backup of another center ({backup_center}, made {created}); this database is {live_center}&apos;s. Restore it only with a reason, which is recorded.</source>
        <translation>{path} 是另一个中心的备份({backup_center},创建于 {created});当前数据库属于{live_center}。必须填写原因才能恢复,原因将记入审计日志。</translation>
    </message>
    <message>
        <source>{path} is a backup of {backup_kind}; this station uses {station_kind}. A backup is restored into the same kind of database (to bring a PC&apos;s database to the server, use repairfloor move).</source>
        <translation>{path} 是{backup_kind}的备份;本工位使用的是{station_kind}。备份只能恢复到同类数据库(要把单机数据库迁到服务器,请用 repairfloor move)。</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>恢复前</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>升级前</translation>
    </message>
    <message>
        <source>Damaged (kept aside)</source>
        <translation>已损坏（另行保留）</translation>
    </message>
    <message>
        <source>Another RepairFloor window or program has {path} open: close it, then restore again. Nothing was changed.</source>
        <translation>另一个 RepairFloor 窗口或程序正打开 {path}:请先关闭它,再重新恢复。未做任何更改。</translation>
    </message>
    <message>
        <source>{field} must be between {low} and {high}.</source>
        <translation>{field} 必须在 {low} 至 {high} 之间。</translation>
    </message>
    <message>
        <source>{field}: {value} is not a number.</source>
        <translation>{field}:{value} 不是数字。</translation>
    </message>
    <message>
        <source>{count} other connections did not let go of the database ({who}): close RepairFloor on those stations, then try again. Nothing was changed.</source>
        <translation>有 {count} 个其他连接没有释放数据库({who}):请关闭这些工位上的 RepairFloor,然后重试。未做任何更改。</translation>
    </message>
    <message>
        <source>The backup {path} is written and whole, but it could not be copied to the second folder {folder}: {error}</source>
        <translation>备份 {path} 已写入且完整,但无法复制到第二备份文件夹 {folder}:{error}</translation>
    </message>
    <message>
        <source>{field} is required.</source>
        <translation>{field} 为必填项。</translation>
    </message>
    <message>
        <source>{field} is longer than {count} characters.</source>
        <translation>{field} 超过 {count} 个字符。</translation>
    </message>
    <message>
        <source>{field} must be a whole number.</source>
        <translation>{field} 必须是整数。</translation>
    </message>
    <message>
        <source>{field}: {value} is not one of {choices}.</source>
        <translation>{field}:{value} 不在可选值 {choices} 之中。</translation>
    </message>
    <message>
        <source>{field}: {value} is not a date (YYYY-MM-DD).</source>
        <translation>{field}:{value} 不是日期(YYYY-MM-DD)。</translation>
    </message>
    <message>
        <source>{field}: {value} is not a valid pattern.</source>
        <translation>{field}:{value} 不是有效的规则(正则表达式)。</translation>
    </message>
    <message>
        <source>Product models</source>
        <translation>产品机型</translation>
    </message>
    <message>
        <source>Product categories</source>
        <translation>产品类别</translation>
    </message>
    <message>
        <source>Carriers</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Fault codes</source>
        <translation>故障代码</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Aging racks and slots</source>
        <translation>老化架与架位</translation>
    </message>
    <message>
        <source>Technicians and benches</source>
        <translation>维修员与维修台</translation>
    </message>
    <message>
        <source>Holidays and make-up working days</source>
        <translation>节假日与调休</translation>
    </message>
    <message>
        <source>Complaint remedies</source>
        <translation>投诉补救方案</translation>
    </message>
    <message>
        <source>Category {value} is not in the product categories. Add it there first.</source>
        <translation>类别 {value} 不在产品类别中。请先在产品类别中新增。</translation>
    </message>
    <message>
        <source>Model code</source>
        <translation>机型代码</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>机型名称</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Serial kind</source>
        <translation>序列号类型</translation>
    </message>
    <message>
        <source>Serial pattern</source>
        <translation>序列号规则</translation>
    </message>
    <message>
        <source>IMEI TAC prefixes</source>
        <translation>IMEI TAC 号段</translation>
    </message>
    <message>
        <source>Capacities</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Warranty (months)</source>
        <translation>保修月数</translation>
    </message>
    <message>
        <source>Aging (hours)</source>
        <translation>老化时长(小时)</translation>
    </message>
    <message>
        <source>Turnaround target (working days)</source>
        <translation>维修时限(工作日)</translation>
    </message>
    <message>
        <source>QC checklist</source>
        <translation>QC 检查项</translation>
    </message>
    <message>
        <source>Appearance checklist</source>
        <translation>外观检查项</translation>
    </message>
    <message>
        <source>Common faults</source>
        <translation>常见故障</translation>
    </message>
    <message>
        <source>Category code</source>
        <translation>类别代码</translation>
    </message>
    <message>
        <source>Category name</source>
        <translation>类别名称</translation>
    </message>
    <message>
        <source>Accessories</source>
        <translation>配件清单</translation>
    </message>
    <message>
        <source>Appearance check before allocation</source>
        <translation>分配前须完成外观检查</translation>
    </message>
    <message>
        <source>Carrier code</source>
        <translation>承运商代码</translation>
    </message>
    <message>
        <source>Carrier name</source>
        <translation>承运商名称</translation>
    </message>
    <message>
        <source>Waybill pattern</source>
        <translation>运单规则</translation>
    </message>
    <message>
        <source>UPU S10 check digit</source>
        <translation>UPU S10 校验位</translation>
    </message>
    <message>
        <source>Fault code</source>
        <translation>故障代码</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Slot code</source>
        <translation>架位</translation>
    </message>
    <message>
        <source>Rack code</source>
        <translation>老化架代码</translation>
    </message>
    <message>
        <source>Rack name</source>
        <translation>老化架名称</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Staff (people responsible)</source>
        <translation>人员(责任人)</translation>
    </message>
    <message>
        <source>Penalty rules</source>
        <translation>责任考核规则</translation>
    </message>
    <message>
        <source>Notice templates</source>
        <translation>短信模板</translation>
    </message>
    <message>
        <source>Staff code {value} is not in the staff list. Add it there first.</source>
        <translation>工号 {value} 不在人员名单中,请先添加。</translation>
    </message>
    <message>
        <source>Department {value} does not exist. Add it first.</source>
        <translation>部门 {value} 不存在,请先添加。</translation>
    </message>
    <message>
        <source>Department {value} cannot be below itself.</source>
        <translation>部门 {value} 不能隶属于自身。</translation>
    </message>
    <message>
        <source>There is no user named {value}.</source>
        <translation>没有名为 {value} 的用户。</translation>
    </message>
    <message>
        <source>Staff code</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>User name (signs in)</source>
        <translation>登录账号</translation>
    </message>
    <message>
        <source>Grade {value} is not A, B or C.</source>
        <translation>等级 {value} 不是 A、B 或 C。</translation>
    </message>
    <message>
        <source>Rule code</source>
        <translation>规则代码</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Superiors of the person (any)</source>
        <translation>责任人的上级数(any 为任意)</translation>
    </message>
    <message>
        <source>Who bears it (0 the person, 1 superior…)</source>
        <translation>承担人(0 责任人,1 上级…)</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <source>Percentage (%)</source>
        <translation>比例(%)</translation>
    </message>
    <message>
        <source>Percentage of</source>
        <translation>比例基数</translation>
    </message>
    <message>
        <source>Per item below standard</source>
        <translation>按未达标准项计</translation>
    </message>
    <message>
        <source>Cancels the commission</source>
        <translation>取消满意度提成</translation>
    </message>
    <message>
        <source>Handbook reference</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>短信内容</translation>
    </message>
    <message>
        <source>Provider template code</source>
        <translation>服务商模板代码</translation>
    </message>
    <message>
        <source>A rule takes an amount, a percentage or the commission.</source>
        <translation>规则须有金额、比例或取消提成。</translation>
    </message>
    <message>
        <source>{field}: at most two decimals.</source>
        <translation>{field}:最多两位小数。</translation>
    </message>
    <message>
        <source>Parent department</source>
        <translation>上级部门</translation>
    </message>
    <message>
        <source>Head (staff code)</source>
        <translation>负责人(工号)</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <source>{day} is a weekday: a make-up working day falls on a Saturday or Sunday.</source>
        <translation>{day} 是工作日:调休上班日应在周六或周日。</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind (holiday / workday)</source>
        <translation>类型(holiday 节假日 / workday 调休上班)</translation>
    </message>
    <message>
        <source>Remedy</source>
        <translation>补救方案</translation>
    </message>
    <message>
        <source>Fail reason</source>
        <translation>不合格原因</translation>
    </message>
    <message>
        <source>IMEI TAC prefix {value} is not 8 digits.</source>
        <translation>IMEI TAC 号段 {value} 不是 8 位数字。</translation>
    </message>
    <message>
        <source>The chinesecalendar package {version} does not know {year} yet: update it, or enter the year&apos;s holidays and make-up days by hand (or import them).</source>
        <translation>chinesecalendar 软件包 {version} 还没有 {year} 年的数据:请更新软件包,或手工录入(或导入)该年的节假日和调休日。</translation>
    </message>
    <message>
        <source>A center code is 1 to 16 letters, digits, &apos;-&apos; or &apos;_&apos;.</source>
        <translation>中心代码为 1 至 16 个字母、数字、“-”或“_”。</translation>
    </message>
    <message>
        <source>A center needs a name.</source>
        <translation>中心须有名称。</translation>
    </message>
    <message>
        <source>A database role name is lower-case letters, digits and &apos;_&apos; (at most 63).</source>
        <translation>数据库角色名只能由小写字母、数字和“_”组成(最多 63 个)。</translation>
    </message>
    <message>
        <source>Database roles are a PostgreSQL server&apos;s: SQLite is one center.</source>
        <translation>数据库角色属于 PostgreSQL 服务器:SQLite 只有一个中心。</translation>
    </message>
    <message>
        <source>There is no center {code}.</source>
        <translation>没有中心 {code}。</translation>
    </message>
    <message>
        <source>There is already a center {code}.</source>
        <translation>已有中心 {code}。</translation>
    </message>
    <message>
        <source>The role {role} could not be granted: {reason}</source>
        <translation>无法为角色 {role} 授权:{reason}</translation>
    </message>
    <message>
        <source>{user} has no badge code: give them one first, then a PIN.</source>
        <translation>{user} 没有工牌号:请先设置工牌号,再设置 PIN。</translation>
    </message>
    <message>
        <source>Charge waived by a supervisor</source>
        <translation>主管免收费用</translation>
    </message>
    <message>
        <source>Inbound box opened</source>
        <translation>来件箱已开箱</translation>
    </message>
    <message>
        <source>Inbound box closed</source>
        <translation>来件箱已关闭</translation>
    </message>
    <message>
        <source>Customer added</source>
        <translation>已新增客户</translation>
    </message>
    <message>
        <source>Sales register imported</source>
        <translation>已导入销售登记</translation>
    </message>
    <message>
        <source>Unit&apos;s model corrected</source>
        <translation>机型已更正</translation>
    </message>
    <message>
        <source>Parts received into stock</source>
        <translation>物料已入库</translation>
    </message>
    <message>
        <source>Unused part returned</source>
        <translation>未用物料已退回</translation>
    </message>
    <message>
        <source>Faulty part returned</source>
        <translation>坏件已退回</translation>
    </message>
    <message>
        <source>Parts scrapped</source>
        <translation>物料已报废</translation>
    </message>
    <message>
        <source>Parts sold</source>
        <translation>物料已销售</translation>
    </message>
    <message>
        <source>Stock adjusted at stocktake</source>
        <translation>盘点已调整库存</translation>
    </message>
    <message>
        <source>Parts returned to the supplier</source>
        <translation>物料已退供应商</translation>
    </message>
    <message>
        <source>Parts transferred to another center</source>
        <translation>物料调出至其他中心</translation>
    </message>
    <message>
        <source>Parts transferred from another center</source>
        <translation>物料从其他中心调入</translation>
    </message>
    <message>
        <source>Purchase requested</source>
        <translation>已申请采购</translation>
    </message>
    <message>
        <source>Waiting for a part out of stock</source>
        <translation>缺料待料</translation>
    </message>
    <message>
        <source>Parts master imported</source>
        <translation>已导入物料主数据</translation>
    </message>
    <message>
        <source>Part added to the center&apos;s stock</source>
        <translation>物料已加入本中心库存</translation>
    </message>
    <message>
        <source>Part changed in the network&apos;s parts master</source>
        <translation>网络物料主数据已修改</translation>
    </message>
    <message>
        <source>Part&apos;s bin or stock levels changed</source>
        <translation>物料库位或库存参数已修改</translation>
    </message>
    <message>
        <source>Shipment created</source>
        <translation>已建立发货单</translation>
    </message>
    <message>
        <source>Waybill number entered</source>
        <translation>已录入运单号</translation>
    </message>
    <message>
        <source>Shipment cancelled</source>
        <translation>发货单已取消</translation>
    </message>
    <message>
        <source>Complaint settled</source>
        <translation>投诉已解决</translation>
    </message>
    <message>
        <source>Complaint: person responsible named</source>
        <translation>投诉:已指定责任人</translation>
    </message>
    <message>
        <source>Complaint: facts recorded</source>
        <translation>投诉:已记录事实</translation>
    </message>
    <message>
        <source>Complaint: remedies proposed</source>
        <translation>投诉:已提出处理方案</translation>
    </message>
    <message>
        <source>Complaint: remedies approved</source>
        <translation>投诉:处理方案已审批</translation>
    </message>
    <message>
        <source>Complaint: customer&apos;s choice recorded</source>
        <translation>投诉:已记录客户选择</translation>
    </message>
    <message>
        <source>Complaint validity overruled</source>
        <translation>投诉有效性已改判</translation>
    </message>
    <message>
        <source>Complaint closed</source>
        <translation>投诉已结案</translation>
    </message>
    <message>
        <source>Follow-up call made</source>
        <translation>已回访</translation>
    </message>
    <message>
        <source>Satisfaction survey recorded</source>
        <translation>已记录满意度调查</translation>
    </message>
    <message>
        <source>Apology call made</source>
        <translation>已致电道歉</translation>
    </message>
    <message>
        <source>Customer&apos;s consent to notices recorded</source>
        <translation>已记录客户短信授权</translation>
    </message>
    <message>
        <source>Notice queued</source>
        <translation>通知已生成</translation>
    </message>
    <message>
        <source>Notice sent</source>
        <translation>通知已发送</translation>
    </message>
    <message>
        <source>Notice failed</source>
        <translation>通知发送失败</translation>
    </message>
    <message>
        <source>Notice sent by hand</source>
        <translation>通知已手工发送</translation>
    </message>
    <message>
        <source>Complaint: handler named</source>
        <translation>投诉:已确定处理人</translation>
    </message>
    <message>
        <source>Complaint: accountability figures recorded</source>
        <translation>投诉:已记录责任考核数据</translation>
    </message>
    <message>
        <source>Accountability line added</source>
        <translation>已添加责任考核条目</translation>
    </message>
    <message>
        <source>Accountability sheet approved</source>
        <translation>责任考核表已审批</translation>
    </message>
    <message>
        <source>Customer under watch back: new order flagged</source>
        <translation>追踪中的客户又送修：新工单已标记</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Password refused (signature or approval)</source>
        <translation>密码被拒绝(签名或审批)</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>已修改密码</translation>
    </message>
    <message>
        <source>Sign-in PIN set</source>
        <translation>已设置登录 PIN</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>已新建用户</translation>
    </message>
    <message>
        <source>User enabled</source>
        <translation>用户已启用</translation>
    </message>
    <message>
        <source>User disabled</source>
        <translation>用户已停用</translation>
    </message>
    <message>
        <source>Password reset</source>
        <translation>密码已重置</translation>
    </message>
    <message>
        <source>User unlocked</source>
        <translation>用户已解锁</translation>
    </message>
    <message>
        <source>Roles changed</source>
        <translation>角色已修改</translation>
    </message>
    <message>
        <source>Badge changed</source>
        <translation>工牌已修改</translation>
    </message>
    <message>
        <source>User renamed</source>
        <translation>用户已改名</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>设置已修改</translation>
    </message>
    <message>
        <source>Catalogue entry added</source>
        <translation>基础资料已新增</translation>
    </message>
    <message>
        <source>Catalogue entry edited</source>
        <translation>基础资料已修改</translation>
    </message>
    <message>
        <source>Catalogue entry activated</source>
        <translation>基础资料已启用</translation>
    </message>
    <message>
        <source>Catalogue entry deactivated</source>
        <translation>基础资料已停用</translation>
    </message>
    <message>
        <source>Catalogue entry deleted</source>
        <translation>基础资料已删除</translation>
    </message>
    <message>
        <source>Catalogue imported</source>
        <translation>基础资料已导入</translation>
    </message>
    <message>
        <source>Working-day calendar filled for a year</source>
        <translation>按年填充工作日历</translation>
    </message>
    <message>
        <source>Demo catalogues loaded</source>
        <translation>已载入演示基础资料</translation>
    </message>
    <message>
        <source>Database restored from a backup</source>
        <translation>已从备份恢复数据库</translation>
    </message>
    <message>
        <source>Database moved to the server</source>
        <translation>数据库已迁移到服务器</translation>
    </message>
    <message>
        <source>Document printed again</source>
        <translation>单据重新打印</translation>
    </message>
    <message>
        <source>Early-warning alarm raised</source>
        <translation>质量预警已触发</translation>
    </message>
    <message>
        <source>Early-warning alarm acknowledged</source>
        <translation>质量预警已确认</translation>
    </message>
    <message>
        <source>Early-warning alarm closed</source>
        <translation>质量预警已关闭</translation>
    </message>
    <message>
        <source>Headquarters: two valid complaints in a month, warning raised</source>
        <translation>总部:一个月内两起有效投诉,已发出警示</translation>
    </message>
    <message>
        <source>Headquarters: decision on a warning recorded and approved</source>
        <translation>总部:警示的处理决定已记录并批准</translation>
    </message>
    <message>
        <source>Complaint escalated to headquarters</source>
        <translation>投诉已上报总部</translation>
    </message>
    <message>
        <source>Headquarters: escalated complaint taken</source>
        <translation>总部:已受理上报投诉</translation>
    </message>
    <message>
        <source>Headquarters: escalated complaint answered</source>
        <translation>总部:已答复上报投诉</translation>
    </message>
    <message>
        <source>Root cause and corrective action recorded</source>
        <translation>已登记根本原因与纠正措施</translation>
    </message>
    <message>
        <source>Corrective action changed</source>
        <translation>纠正措施已修改</translation>
    </message>
    <message>
        <source>Corrective action done</source>
        <translation>纠正措施已完成</translation>
    </message>
    <message>
        <source>Corrective action verified</source>
        <translation>纠正措施已验证</translation>
    </message>
    <message>
        <source>Text messages: provider</source>
        <translation>短信:服务商</translation>
    </message>
    <message>
        <source>Alibaba Cloud SMS: endpoint</source>
        <translation>阿里云短信:接入地址</translation>
    </message>
    <message>
        <source>Alibaba Cloud SMS: AccessKey ID</source>
        <translation>阿里云短信:AccessKey ID</translation>
    </message>
    <message>
        <source>Alibaba Cloud SMS: signature name</source>
        <translation>阿里云短信:签名名称</translation>
    </message>
    <message>
        <source>Text messages: queue and send every (minutes, 0: only by hand)</source>
        <translation>短信：每隔多少分钟排队并发送（0：仅手动）</translation>
    </message>
    <message>
        <source>Tell the customer when a unit waits for parts longer than (days)</source>
        <translation>等待配件超过(天)时通知客户</translation>
    </message>
    <message>
        <source>Satisfaction survey items</source>
        <translation>满意度调查项目</translation>
    </message>
    <message>
        <source>Survey: an item is satisfied from (score 1-5)</source>
        <translation>满意度调查:达到(1-5分)即为满意</translation>
    </message>
    <message>
        <source>Apology call within (hours)</source>
        <translation>致歉电话时限(小时)</translation>
    </message>
    <message>
        <source>Satisfaction target (%)</source>
        <translation>满意度目标(%)</translation>
    </message>
    <message>
        <source>Complaint: name the handler within (minutes)</source>
        <translation>投诉:确定处理人时限(分钟)</translation>
    </message>
    <message>
        <source>Watch a customer after a complaint (months)</source>
        <translation>投诉处理后追踪客户(月)</translation>
    </message>
    <message>
        <source>None: send by hand</source>
        <translation>无:手工发送</translation>
    </message>
    <message>
        <source>Alibaba Cloud SMS</source>
        <translation>阿里云短信</translation>
    </message>
    <message>
        <source>Choose the line to correct in the sheet.</source>
        <translation>请在考核表中选择要更正的行。</translation>
    </message>
    <message>
        <source>Items below standard from 1; amounts not below zero.</source>
        <translation>未达标准项数至少为 1;金额不能为负。</translation>
    </message>
    <message>
        <source>Write down why the line is corrected.</source>
        <translation>请写明更正原因。</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} is closed: its accountability is on the sheet.</source>
        <translation>投诉 {complaint_no} 已结案:其责任已列入考核表。</translation>
    </message>
    <message>
        <source>Choose the person responsible from the staff list.</source>
        <translation>请从人员名单中选择责任人。</translation>
    </message>
    <message>
        <source>The sheet of {month} has {count} lines now: reload it and sign what you see.</source>
        <translation>{month} 的考核表现有 {count} 条:请刷新后按所见内容签字。</translation>
    </message>
    <message>
        <source>There is no accountability line with id {id}.</source>
        <translation>没有编号为 {id} 的责任考核条目。</translation>
    </message>
    <message>
        <source>The accountability sheet of {month} is approved already.</source>
        <translation>{month} 的责任考核表已审批。</translation>
    </message>
    <message>
        <source>Say why the complaint goes to headquarters.</source>
        <translation>请填写上报总部的原因。</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} waits for headquarters&apos; answer already.</source>
        <translation>投诉 {complaint_no} 已上报,正在等待总部答复。</translation>
    </message>
    <message>
        <source>Choose the handler from the staff list.</source>
        <translation>请从人员名单中选择处理人。</translation>
    </message>
    <message>
        <source>Name the person responsible.</source>
        <translation>请填写责任人。</translation>
    </message>
    <message>
        <source>Write down the facts found with the person responsible.</source>
        <translation>请填写与责任人核查的事实。</translation>
    </message>
    <message>
        <source>Propose two remedies: the first is missing.</source>
        <translation>请提出两个解决方案:缺少第一个。</translation>
    </message>
    <message>
        <source>Propose two remedies: the second is missing.</source>
        <translation>请提出两个解决方案:缺少第二个。</translation>
    </message>
    <message>
        <source>Write down the outcome of the complaint.</source>
        <translation>请填写客诉处理结果。</translation>
    </message>
    <message>
        <source>Write down why the validity is overruled.</source>
        <translation>请填写改判有效性的原因。</translation>
    </message>
    <message>
        <source>The two remedies are the same: propose a real alternative.</source>
        <translation>两个解决方案相同:请提出真正的备选方案。</translation>
    </message>
    <message>
        <source>Choose the department responsible from the list.</source>
        <translation>请从列表中选择责任部门。</translation>
    </message>
    <message>
        <source>The customer already chose a remedy for {complaint_no}.</source>
        <translation>客户已为 {complaint_no} 选定解决方案。</translation>
    </message>
    <message>
        <source>Propose two remedies for {complaint_no} before approving them.</source>
        <translation>请先为 {complaint_no} 提出两个解决方案,再审批。</translation>
    </message>
    <message>
        <source>The remedies for {complaint_no} are not approved yet: a supervisor approves them before they are offered to the customer.</source>
        <translation>{complaint_no} 的解决方案尚未审批:须经主管审批后才能提供给客户。</translation>
    </message>
    <message>
        <source>The customer chooses one of the two approved remedies.</source>
        <translation>客户只能在两个已审批的方案中选择一个。</translation>
    </message>
    <message>
        <source>Record the remedy the customer chose before settling {complaint_no}.</source>
        <translation>请先记录客户选择的方案,再完成 {complaint_no} 的处理。</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} is already closed.</source>
        <translation>客诉 {complaint_no} 已结案。</translation>
    </message>
    <message>
        <source>Unit received</source>
        <translation>已收机</translation>
    </message>
    <message>
        <source>Complaint progress</source>
        <translation>投诉处理进度</translation>
    </message>
    <message>
        <source>Thank-you</source>
        <translation>满意感谢</translation>
    </message>
    <message>
        <source>To send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Sent by hand</source>
        <translation>已手工发送</translation>
    </message>
    <message>
        <source>Withheld</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source>The customer&apos;s consent</source>
        <translation>客户的短信授权</translation>
    </message>
    <message>
        <source>There is no customer with id {id}.</source>
        <translation>没有编号为 {id} 的客户。</translation>
    </message>
    <message>
        <source>The notice</source>
        <translation>该通知</translation>
    </message>
    <message>
        <source>There is no notice with id {id}.</source>
        <translation>没有编号为 {id} 的通知。</translation>
    </message>
    <message>
        <source>This notice was already sent or is withheld.</source>
        <translation>该通知已发送或不予发送。</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <source>Remedies to approve</source>
        <translation>方案待批</translation>
    </message>
    <message>
        <source>Customer&apos;s choice</source>
        <translation>客户选择</translation>
    </message>
    <message>
        <source>Apology letter</source>
        <translation>道歉信</translation>
    </message>
    <message>
        <source>Call the customer back (Follow-up calls page), then close the complaint.</source>
        <translation>回访客户(“回访”页),然后结案。</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>已结案。</translation>
    </message>
    <message>
        <source>The customer was called back: close the complaint.</source>
        <translation>已回访客户:请结案。</translation>
    </message>
    <message>
        <source>Call the customer now, then press Contact.</source>
        <translation>请立即致电客户,然后按“联系”。</translation>
    </message>
    <message>
        <source>Name the person responsible, write down the facts found with them and two remedies, then press Verify.</source>
        <translation>填写责任人、与其核实的事实和两个处理方案,然后按“核实”。</translation>
    </message>
    <message>
        <source>Waiting for a supervisor ({names}): they open this complaint on their own Complaints tab, Handling page, and press Remedies to approve.</source>
        <translation>等待主管({names})批准:主管在自己的“客诉与回访”页的“处理”页打开此投诉,按“方案待批”批准。</translation>
    </message>
    <message>
        <source>Offer the two approved remedies and record the one the customer chooses.</source>
        <translation>向客户提出两个已批准的方案,并记录客户的选择。</translation>
    </message>
    <message>
        <source>Print the apology letter (grade C: signed by the general manager), carry out the remedy, write the outcome and settle.</source>
        <translation>打印道歉信(C级须总经理签名),落实方案,填写处理结果后结案处理。</translation>
    </message>
    <message>
        <source>Approve the two remedies (or change them and press Verify again) before they are offered to the customer.</source>
        <translation>请批准这两个方案(或修改后再按“核实”),批准后才能向客户提出。</translation>
    </message>
    <message>
        <source>Apologise by phone (grade A: no letter), carry out the remedy, write the outcome and settle.</source>
        <translation>电话致歉(A级无需道歉信),落实方案,填写处理结果后结案处理。</translation>
    </message>
    <message>
        <source>Write down what the customer said on the apology call.</source>
        <translation>请记录致歉电话中客户的意见。</translation>
    </message>
    <message>
        <source>Ask every item of the survey: {item} is missing.</source>
        <translation>请逐项调查:缺少“{item}”。</translation>
    </message>
    <message>
        <source>The customer is fully satisfied: there is no complaint to open.</source>
        <translation>客户完全满意:无需登记投诉。</translation>
    </message>
    <message>
        <source>There is no apology call with id {id}.</source>
        <translation>没有编号为 {id} 的致歉电话。</translation>
    </message>
    <message>
        <source>This apology call was already recorded.</source>
        <translation>该致歉电话已记录。</translation>
    </message>
    <message>
        <source>{item}: a score from 1 to 5.</source>
        <translation>{item}:请打 1 到 5 分。</translation>
    </message>
    <message>
        <source>first contact</source>
        <translation>首次联系</translation>
    </message>
    <message>
        <source>answer</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>settlement</source>
        <translation>处理完毕</translation>
    </message>
    <message>
        <source>handler named</source>
        <translation>确定处理人</translation>
    </message>
    <message>
        <source>{phone} is not a phone number: an 11-digit mobile (138 0013 8000), an area code and number (0755-8888 1234, extension after 转), or a 400 / 800 number.</source>
        <translation>{phone} 不是电话号码:请填 11 位手机号(138 0013 8000)、区号加号码(0755-8888 1234,分机号写在“转”后)或 400 / 800 号码。</translation>
    </message>
    <message>
        <source>The escalation of {complaint_no} was taken by someone else. Reload the worklist.</source>
        <translation>投诉 {complaint_no} 的上报已由他人受理,请刷新待办列表。</translation>
    </message>
    <message>
        <source>There is no such escalated complaint.</source>
        <translation>没有这条上报投诉。</translation>
    </message>
    <message>
        <source>Write headquarters&apos; answer for the station.</source>
        <translation>请填写总部给服务站的答复。</translation>
    </message>
    <message>
        <source>Take the escalation of {complaint_no} before answering it.</source>
        <translation>请先受理投诉 {complaint_no} 的上报,再答复。</translation>
    </message>
    <message>
        <source>The escalation of {complaint_no} was answered already.</source>
        <translation>投诉 {complaint_no} 的上报已答复过。</translation>
    </message>
    <message>
        <source>Only a user of headquarters (their home center) sees the network&apos;s figures.</source>
        <translation>只有总部(所属中心为总部)的用户可以查看各中心的指标。</translation>
    </message>
    <message>
        <source>A penalty needs an amount.</source>
        <translation>罚款需要填写金额。</translation>
    </message>
    <message>
        <source>The decision is approved by a second person, not its author.</source>
        <translation>处理决定须由另一人批准,不能由决定人本人批准。</translation>
    </message>
    <message>
        <source>The approver must be a user of headquarters.</source>
        <translation>批准人必须是总部的用户。</translation>
    </message>
    <message>
        <source>There is no such warning.</source>
        <translation>没有这条警示。</translation>
    </message>
    <message>
        <source>This warning was decided already.</source>
        <translation>这条警示已经处理过了。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Orders overdue now</source>
        <translation>当前超期维修单</translation>
    </message>
    <message>
        <source>In QC past aging end</source>
        <translation>老化到时未检</translation>
    </message>
    <message>
        <source>Complaints past a deadline</source>
        <translation>投诉处理超时</translation>
    </message>
    <message>
        <source>Follow-up calls due today</source>
        <translation>今日应回访</translation>
    </message>
    <message>
        <source>Valid complaints this month</source>
        <translation>本月有效投诉</translation>
    </message>
    <message>
        <source>Fully satisfied this month (survey)</source>
        <translation>本月完全满意（满意度调查）</translation>
    </message>
    <message>
        <source>The database is being restored by {by} at {station}: nothing was saved. When the restore is done, sign in again.</source>
        <translation>{by} 正在 {station} 恢复数据库:本次未保存。恢复完成后请重新登录。</translation>
    </message>
    <message>
        <source>The database is being moved to the server by {by} at {station}: nothing was saved. When the move is done, sign in again.</source>
        <translation>{by} 正在 {station} 把数据库迁移到服务器:本次未保存。迁移完成后请重新登录。</translation>
    </message>
    <message>
        <source>This database was moved to the server {target}: nothing was saved. Choose the server in View → Database connection, then start RepairFloor again.</source>
        <translation>此数据库已迁移到服务器 {target}:本次未保存。请在“视图 → 数据库连接”中选择服务器,然后重新启动 RepairFloor。</translation>
    </message>
    <message>
        <source>An accountability line is never changed or removed: add a correction line instead.</source>
        <translation>责任考核条目不能修改或删除:请添加更正条目。</translation>
    </message>
    <message>
        <source>The accountability sheet of {month} is approved: nothing more joins it.</source>
        <translation>{month} 的责任考核表已审批:不能再加入条目。</translation>
    </message>
    <message>
        <source>The accountability sheet of {month} is approved: it no longer changes.</source>
        <translation>{month} 的责任考核表已审批:不再更改。</translation>
    </message>
    <message>
        <source>Part {part_no}: the parts master is the network&apos;s and headquarters keeps it; a center picks its parts from it. Ask headquarters to add or change it.</source>
        <translation>物料 {part_no}：物料主数据属于整个网络，由总部维护；各中心从中选取物料。请联系总部新增或修改。</translation>
    </message>
    <message>
        <source>The part name is empty.</source>
        <translation>物料名称为空。</translation>
    </message>
    <message>
        <source>Part {part_no} is already in this center&apos;s stock.</source>
        <translation>物料 {part_no} 已在本中心库存中。</translation>
    </message>
    <message>
        <source>Part {part_no} is already in the parts master: add it to the stock.</source>
        <translation>物料 {part_no} 已在物料主数据中：请将其加入库存。</translation>
    </message>
    <message>
        <source>Part {part_no} is not in the network&apos;s parts master (or retired).</source>
        <translation>物料 {part_no} 不在网络物料主数据中（或已停用）。</translation>
    </message>
    <message>
        <source>Part {part_no} is not in the parts master.</source>
        <translation>物料 {part_no} 不在物料主数据中。</translation>
    </message>
    <message>
        <source>Not enough {part_no} at the sending center: {left} on hand, {wanted} asked.</source>
        <translation>调出中心的 {part_no} 库存不足：现有 {left}，需要 {wanted}。</translation>
    </message>
    <message>
        <source>Sign in as a person of a center to transfer parts.</source>
        <translation>请以某个中心的人员身份登录后再调拨物料。</translation>
    </message>
    <message>
        <source>Choose the part to send.</source>
        <translation>请选择要调拨的物料。</translation>
    </message>
    <message>
        <source>Only headquarters, or the sending center&apos;s parts keeper, transfers parts.</source>
        <translation>只有总部或调出中心的库管员可以调拨物料。</translation>
    </message>
    <message>
        <source>A transfer goes to another center: choose two centers.</source>
        <translation>调拨须在两个不同的中心之间进行：请选择两个中心。</translation>
    </message>
    <message>
        <source>Parts move between centers on the network&apos;s server: this database is one center.</source>
        <translation>物料只能在网络服务器上于中心之间调拨：本数据库只有一个中心。</translation>
    </message>
    <message>
        <source>Part {part_no} is not stocked by that center.</source>
        <translation>该中心没有物料 {part_no}。</translation>
    </message>
    <message>
        <source>There is no such center in the network (or it is closed).</source>
        <translation>网络中没有该中心（或已停用）。</translation>
    </message>
    <message>
        <source>headquarters&apos; view of the network</source>
        <translation>总部查看各中心</translation>
    </message>
    <message>
        <source>Write down why it happened.</source>
        <translation>请写明发生原因。</translation>
    </message>
    <message>
        <source>Write down the corrective action.</source>
        <translation>请写明纠正措施。</translation>
    </message>
    <message>
        <source>Name the person responsible for the action.</source>
        <translation>请填写措施负责人。</translation>
    </message>
    <message>
        <source>Write down what was done.</source>
        <translation>请写明已做的工作。</translation>
    </message>
    <message>
        <source>Write down how it was checked.</source>
        <translation>请写明验证方法。</translation>
    </message>
    <message>
        <source>Nothing found under “{number}”.</source>
        <translation>未找到“{number}”。</translation>
    </message>
    <message>
        <source>There is no corrective action with id {id}.</source>
        <translation>没有编号为 {id} 的纠正措施。</translation>
    </message>
    <message>
        <source>A root cause is recorded for a valid complaint only.</source>
        <translation>只有有效投诉才能登记根本原因。</translation>
    </message>
    <message>
        <source>This already has a root cause: change that one.</source>
        <translation>已登记过根本原因,请修改原记录。</translation>
    </message>
    <message>
        <source>The action is verified: it is no longer changed.</source>
        <translation>该措施已验证,不能再修改。</translation>
    </message>
    <message>
        <source>The action is not open.</source>
        <translation>该措施不是未完成状态。</translation>
    </message>
    <message>
        <source>Only a done action is verified.</source>
        <translation>只有已完成的措施才能验证。</translation>
    </message>
    <message>
        <source>A root cause is recorded for a rework order only.</source>
        <translation>只有返修单才能登记根本原因。</translation>
    </message>
    <message>
        <source>A root cause is recorded for a failed aging run only.</source>
        <translation>只有老化测试不合格才能登记根本原因。</translation>
    </message>
    <message>
        <source>{name} is empty or larger than {megabytes} MB.</source>
        <translation>{name} 是空文件或大于 {megabytes} MB。</translation>
    </message>
    <message>
        <source>Photo {photo_id} does not exist.</source>
        <translation>照片 {photo_id} 不存在。</translation>
    </message>
    <message>
        <source>{name} is not a picture (JPEG, PNG, BMP or WebP).</source>
        <translation>{name} 不是图片(JPEG、PNG、BMP 或 WebP)。</translation>
    </message>
    <message>
        <source>{name} cannot be read.</source>
        <translation>无法读取 {name}。</translation>
    </message>
    <message>
        <source>{name} has too many pixels.</source>
        <translation>{name} 像素过多。</translation>
    </message>
    <message>
        <source>answered by {value}</source>
        <translation>答复人 {value}</translation>
    </message>
    <message>
        <source>A PIN is digits only.</source>
        <translation>PIN 只能是数字。</translation>
    </message>
    <message>
        <source>A PIN has {low} to {high} digits.</source>
        <translation>PIN 为 {low} 到 {high} 位数字。</translation>
    </message>
    <message>
        <source>A PIN of one repeated digit or a run (1234) is too easy to guess.</source>
        <translation>由同一数字重复或连续数字(如 1234)组成的 PIN 太容易被猜到。</translation>
    </message>
    <message>
        <source>Transfer out</source>
        <translation>调出</translation>
    </message>
    <message>
        <source>Transfer in</source>
        <translation>调入</translation>
    </message>
    <message>
        <source>New alarm</source>
        <translation>新预警</translation>
    </message>
    <message>
        <source>Alarm acknowledged</source>
        <translation>预警已确认</translation>
    </message>
    <message>
        <source>Alarm closed</source>
        <translation>预警已关闭</translation>
    </message>
    <message>
        <source>Workmanship</source>
        <translation>维修工艺</translation>
    </message>
    <message>
        <source>Part quality</source>
        <translation>配件质量</translation>
    </message>
    <message>
        <source>Product design</source>
        <translation>产品设计</translation>
    </message>
    <message>
        <source>Wrong diagnosis</source>
        <translation>误判故障</translation>
    </message>
    <message>
        <source>Service attitude</source>
        <translation>服务态度</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>延误</translation>
    </message>
    <message>
        <source>Other cause</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <source>Valid complaint</source>
        <translation>有效投诉</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>QC fail</source>
        <translation>老化测试不合格</translation>
    </message>
    <message>
        <source>Early-warning alarm</source>
        <translation>质量预警</translation>
    </message>
    <message>
        <source>Action open</source>
        <translation>措施未完成</translation>
    </message>
    <message>
        <source>Action done, to verify</source>
        <translation>措施已完成,待验证</translation>
    </message>
    <message>
        <source>Action verified</source>
        <translation>措施已验证</translation>
    </message>
    <message>
        <source>Guidance for the station</source>
        <translation>处理意见</translation>
    </message>
    <message>
        <source>Technical support</source>
        <translation>技术支持</translation>
    </message>
    <message>
        <source>Returned to the station</source>
        <translation>退回服务站处理</translation>
    </message>
    <message>
        <source>Waiting for headquarters</source>
        <translation>待总部受理</translation>
    </message>
    <message>
        <source>Taken by headquarters</source>
        <translation>总部处理中</translation>
    </message>
    <message>
        <source>Answered by headquarters</source>
        <translation>总部已答复</translation>
    </message>
    <message>
        <source>Charger</source>
        <translation>充电器</translation>
    </message>
    <message>
        <source>Data cable</source>
        <translation>数据线</translation>
    </message>
    <message>
        <source>SIM eject pin</source>
        <translation>卡针</translation>
    </message>
    <message>
        <source>Retail box</source>
        <translation>包装盒</translation>
    </message>
    <message>
        <source>Protective case</source>
        <translation>保护壳</translation>
    </message>
    <message>
        <source>Charging dock</source>
        <translation>充电底座</translation>
    </message>
    <message>
        <source>Strap</source>
        <translation>表带</translation>
    </message>
    <message>
        <source>Earphones</source>
        <translation>耳机</translation>
    </message>
    <message>
        <source>Manual</source>
        <translation>说明书</translation>
    </message>
    <message>
        <source>SIM card</source>
        <translation>SIM卡</translation>
    </message>
    <message>
        <source>Memory card</source>
        <translation>存储卡</translation>
    </message>
    <message>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>外壳</translation>
    </message>
    <message>
        <source>Back cover</source>
        <translation>后盖</translation>
    </message>
    <message>
        <source>Buttons</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Watch face</source>
        <translation>表盘屏幕</translation>
    </message>
    <message>
        <source>Watch case</source>
        <translation>表壳</translation>
    </message>
    <message>
        <source>Complaint {complaint_no} stays open until the customer accepts the settlement; a supervisor can close it with a reason.</source>
        <translation>客户接受处理结果前,客诉 {complaint_no} 不能结案;主管可填写原因后结案。</translation>
    </message>
    <message>
        <source>The customer has not accepted: write down why the complaint is closed.</source>
        <translation>客户尚未接受:请填写结案原因。</translation>
    </message>
    <message>
        <source>The database cannot be reached (network or server down): nothing was saved. Keep the unit aside and scan it again when the connection is back.</source>
        <translation>连接不上数据库(网络或服务器故障):本次未保存。请把机器放在一边,连接恢复后重新扫描。</translation>
    </message>
    <message>
        <source>Another station changed this record a moment ago. Reload and try again.</source>
        <translation>另一个工位刚刚修改了这条记录。请刷新后再试。</translation>
    </message>
    <message>
        <source>A grade A complaint gets an apology by phone, not a letter.</source>
        <translation>A级客诉以电话致歉,不出具道歉信。</translation>
    </message>
    <message>
        <source>Record the remedy the customer chose before printing the apology letter.</source>
        <translation>请先记录客户选择的方案,再打印道歉信。</translation>
    </message>
    <message>
        <source>The server refused the user name or password ({url}).</source>
        <translation>服务器拒绝了用户名或密码({url})。</translation>
    </message>
    <message>
        <source>Connected to {url}.</source>
        <translation>已连接 {url}。</translation>
    </message>
    <message>
        <source>{url} is not a PostgreSQL address. Write it as postgresql://user:password@host/db</source>
        <translation>{url} 不是 PostgreSQL 地址。格式:postgresql://user:password@host/db</translation>
    </message>
    <message>
        <source>The server address needs a host and a database: postgresql://user:password@host/db</source>
        <translation>服务器地址需要主机和数据库:postgresql://user:password@host/db</translation>
    </message>
    <message>
        <source>The server has no such database ({url}). Ask IT to create it.</source>
        <translation>服务器上没有这个数据库({url}),请联系IT创建。</translation>
    </message>
    <message>
        <source>Connected to {url}. RepairFloor is already set up there ({count} users).</source>
        <translation>已连接 {url}。服务器上已设置好 RepairFloor(共 {count} 个用户)。</translation>
    </message>
    <message>
        <source>Give the administrator a user name.</source>
        <translation>请填写管理员用户名。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>{url} is not a server address. Write it as postgresql://user:password@host/db</source>
        <translation>{url} 不是服务器地址。格式:postgresql://user:password@host/db</translation>
    </message>
    <message>
        <source>The server cannot be reached ({url}): check the address and the network.</source>
        <translation>无法连接服务器({url}):请检查地址和网络。</translation>
    </message>
    <message>
        <source>Cannot connect to {url}: {detail}</source>
        <translation>无法连接 {url}:{detail}</translation>
    </message>
    <message>
        <source>Connected to {url}. The database is empty: it will be set up now.</source>
        <translation>已连接 {url}。数据库为空,现在将进行初始化。</translation>
    </message>
    <message>
        <source>Cannot set up the database {url}: {detail}</source>
        <translation>无法设置数据库 {url}:{detail}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {detail}</source>
        <translation>无法写入 {path}:{detail}</translation>
    </message>
    <message>
        <source>After repair</source>
        <translation>维修后回访</translation>
    </message>
    <message>
        <source>After complaint</source>
        <translation>客诉后回访</translation>
    </message>
    <message>
        <source>There is no follow-up call with id {id}.</source>
        <translation>没有编号为 {id} 的回访。</translation>
    </message>
    <message>
        <source>This follow-up call was already recorded.</source>
        <translation>此回访已记录。</translation>
    </message>
    <message>
        <source>Ask the customer whether they are satisfied, and record the answer.</source>
        <translation>请询问客户是否满意并记录。</translation>
    </message>
    <message>
        <source>Your account was disabled or your roles changed since you signed in: nothing was saved. Sign in again.</source>
        <translation>您登录后账号已被停用或角色已变更:未保存任何内容。请重新登录。</translation>
    </message>
    <message>
        <source>{value} is too long for a barcode {width} mm wide at {dpi} dpi: use a wider label or a shorter number.</source>
        <translation>{value} 太长,无法在 {dpi} dpi、{width} mm 宽的条码区内打印:请换更宽的标签或更短的编号。</translation>
    </message>
    <message>
        <source>The scan holds “{char}” ({code}), which no barcode holds: check the scanner and switch the input method to English (half-width).</source>
        <translation>扫描内容含有条码中不会出现的字符“{char}”（{code}）：请检查扫描枪设置，并把输入法切换为英文（半角）。</translation>
    </message>
    <message>
        <source>In warranty: free</source>
        <translation>保内:免费</translation>
    </message>
    <message>
        <source>Confirmed by the customer</source>
        <translation>客户已确认</translation>
    </message>
    <message>
        <source>Waived by a supervisor</source>
        <translation>主管已免收</translation>
    </message>
    <message>
        <source>Out of warranty: no charge proposed</source>
        <translation>过保:尚未提出收费</translation>
    </message>
    <message>
        <source>Awaiting the customer&apos;s answer</source>
        <translation>等待客户答复</translation>
    </message>
    <message>
        <source>Refused by the customer</source>
        <translation>客户已拒绝</translation>
    </message>
    <message>
        <source>Order {order_no}: {charge}. Out of warranty a part is issued only once the customer has accepted the charge, or a supervisor has waived it.</source>
        <translation>维修单 {order_no}:{charge}。过保机器须客户确认收费或主管免收后,方可发料。</translation>
    </message>
    <message>
        <source>Only a supervisor may waive a charge.</source>
        <translation>只有主管可以免收费用。</translation>
    </message>
    <message>
        <source>Say why the charge is waived.</source>
        <translation>请说明免收原因。</translation>
    </message>
    <message>
        <source>Order {order_no}: {charge}. There is no charge to waive.</source>
        <translation>维修单 {order_no}:{charge}。没有可免收的费用。</translation>
    </message>
    <message>
        <source>Past due</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>Due within 24 hours</source>
        <translation>24 小时内到期</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>Order {order_no} is {state}: it can no longer be changed.</source>
        <translation>维修单 {order_no} 状态为“{state}”,已不能再修改。</translation>
    </message>
    <message>
        <source>Order {order_no} is allocated to another technician: only they or a supervisor may work on it.</source>
        <translation>维修单 {order_no} 已分配给其他技术员:只有该技术员或主管可以操作。</translation>
    </message>
    <message>
        <source>Order {order_no} is in warranty: the repair is free. Only a supervisor may propose a charge on it, with a reason.</source>
        <translation>维修单 {order_no} 在保修期内,维修免费。只有主管可以提出收费,并须注明原因。</translation>
    </message>
    <message>
        <source>{part_no} ({name}) is not listed for the model of order {order_no}. Check the part, or give a reason to issue it anyway.</source>
        <translation>{part_no}({name})不适用于工单 {order_no} 的机型。请核对物料,或填写原因后仍然发料。</translation>
    </message>
    <message>
        <source>The first row must name the columns {columns}; missing: {missing}.</source>
        <translation>第一行须包含列名 {columns};缺少:{missing}。</translation>
    </message>
    <message>
        <source>The part number is empty or too long.</source>
        <translation>物料编号为空或过长。</translation>
    </message>
    <message>
        <source>The part name is empty or too long.</source>
        <translation>物料名称为空或过长。</translation>
    </message>
    <message>
        <source>Unknown model(s): {models}.</source>
        <translation>未知机型:{models}。</translation>
    </message>
    <message>
        <source>Prices must be amounts of 0 or more, with at most two decimals.</source>
        <translation>价格须为不小于0的金额(最多两位小数)。</translation>
    </message>
    <message>
        <source>Safety stock and reorder quantity must be whole numbers of 0 or more.</source>
        <translation>安全库存和再订货量须为不小于0的整数。</translation>
    </message>
    <message>
        <source>The bin location is too long.</source>
        <translation>库位过长。</translation>
    </message>
    <message>
        <source>Part number {part_no} is listed twice (also row {row}).</source>
        <translation>物料编号 {part_no} 重复(另见第 {row} 行)。</translation>
    </message>
    <message>
        <source>Say what is wrong with the returned part.</source>
        <translation>请说明退回坏件的故障。</translation>
    </message>
    <message>
        <source>Say why the parts are scrapped.</source>
        <translation>请说明报废原因。</translation>
    </message>
    <message>
        <source>Say why the count differs (stocktake reason).</source>
        <translation>请说明盘点差异原因。</translation>
    </message>
    <message>
        <source>Enter the sales slip number.</source>
        <translation>请输入销售单号。</translation>
    </message>
    <message>
        <source>A stocktake adjustment is a whole number, above or below zero.</source>
        <translation>盘点调整数量须为不等于零的整数。</translation>
    </message>
    <message>
        <source>Enter the supplier return (RMA) number.</source>
        <translation>请输入退供应商(RMA)单号。</translation>
    </message>
    <message>
        <source>Add at least one defective part to the supplier return.</source>
        <translation>退供应商单至少要有一项不良品。</translation>
    </message>
    <message>
        <source>Order {order_no} has {outstanding} of {part_no} issued and not returned: {wanted} cannot come back.</source>
        <translation>工单 {order_no} 已发 {part_no} 未退的数量为 {outstanding}:不能退回 {wanted} 件。</translation>
    </message>
    <message>
        <source>Order {order_no} is {state}: only open orders wait for parts.</source>
        <translation>工单 {order_no} 状态为{state}:只有未结工单才能登记待料。</translation>
    </message>
    <message>
        <source>{part_no} has {on_hand} on hand: issue it instead of waiting.</source>
        <translation>{part_no} 结存 {on_hand}:请直接发料,无需待料。</translation>
    </message>
    <message>
        <source>Not enough defective {name} ({part_no}): {left} in defective stock, {wanted} asked.</source>
        <translation>不良品 {name}({part_no})不足:不良品库存 {left},需要 {wanted}。</translation>
    </message>
    <message>
        <source>Say what is being done about the alarm.</source>
        <translation>请写明针对该预警正在采取的措施。</translation>
    </message>
    <message>
        <source>Say how the alarm was resolved.</source>
        <translation>请写明该预警是如何解决的。</translation>
    </message>
    <message>
        <source>There is no alarm with id {id}.</source>
        <translation>没有编号为 {id} 的预警。</translation>
    </message>
    <message>
        <source>The alarm is already closed.</source>
        <translation>该预警已关闭。</translation>
    </message>
    <message>
        <source>Intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <source>Light scratches</source>
        <translation>轻微划痕</translation>
    </message>
    <message>
        <source>Visible scratches</source>
        <translation>明显划痕</translation>
    </message>
    <message>
        <source>Dented, paint chipped</source>
        <translation>磕碰掉漆</translation>
    </message>
    <message>
        <source>Cracked</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Shattered</source>
        <translation>碎裂</translation>
    </message>
    <message>
        <source>Bent</source>
        <translation>变形</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>{serial} is a {known} according to {source}, but the intake panel says {chosen}. Nothing was received: check the unit, then confirm {chosen} or set the panel&apos;s model back.</source>
        <translation>根据{source}，{serial} 是 {known}，但收货面板选的是 {chosen}。未收货：请核对机器，再确认 {chosen}，或把面板的机型改回。</translation>
    </message>
    <message>
        <source>its own repair history</source>
        <translation>本机维修记录</translation>
    </message>
    <message>
        <source>its IMEI (TAC)</source>
        <translation>IMEI（TAC）</translation>
    </message>
    <message>
        <source>the sales register</source>
        <translation>销售登记</translation>
    </message>
    <message>
        <source>{serial} is a {known} according to its own repair history, not a {chosen}: a scan never changes a unit&apos;s model. Set the panel&apos;s model back; a supervisor corrects a wrong model.</source>
        <translation>根据本机维修记录，{serial} 是 {known}，不是 {chosen}：扫描不会更改机器的机型。请把面板的机型改回；机型有误由主管更正。</translation>
    </message>
    <message>
        <source>{serial} already has an open repair order {order_no} ({state}).</source>
        <translation>{serial} 已有未完结的维修单 {order_no}({state})。</translation>
    </message>
    <message>
        <source>{serial} was already scanned into this box ({order_no}).</source>
        <translation>{serial} 已扫入本箱({order_no})。</translation>
    </message>
    <message>
        <source>The first row must name the columns 序列号, 机型, 销售日期 (and 经销商); missing: {missing}.</source>
        <translation>第一行须为列名 序列号、机型、销售日期(以及 经销商);缺少:{missing}。</translation>
    </message>
    <message>
        <source>The model is empty.</source>
        <translation>机型为空。</translation>
    </message>
    <message>
        <source>The sale date {value} cannot be read.</source>
        <translation>销售日期无法识别:{value}。</translation>
    </message>
    <message>
        <source>No unit with serial {serial} was ever received.</source>
        <translation>从未收到序列号为 {serial} 的机器。</translation>
    </message>
    <message>
        <source>{serial} is already a {model}.</source>
        <translation>{serial} 已经是 {model}。</translation>
    </message>
    <message>
        <source>Order number</source>
        <translation>维修单号</translation>
    </message>
    <message>
        <source>Serial / IMEI</source>
        <translation>序列号 / IMEI</translation>
    </message>
    <message>
        <source>Old serial (swapped)</source>
        <translation>旧序列号(已更换)</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Inbound waybill</source>
        <translation>来件运单号</translation>
    </message>
    <message>
        <source>Outbound waybill</source>
        <translation>发货运单号</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>物料编号</translation>
    </message>
    <message>
        <source>{label}: a label is 30 to 120 mm wide and 20 to 150 mm high.</source>
        <translation>{label}:标签宽 30 到 120 mm,高 20 到 150 mm。</translation>
    </message>
    <message>
        <source>Center name</source>
        <translation>维修中心名称</translation>
    </message>
    <message>
        <source>Center address</source>
        <translation>维修中心地址</translation>
    </message>
    <message>
        <source>Center phone</source>
        <translation>维修中心电话</translation>
    </message>
    <message>
        <source>Second backup folder (another disk or a network share; empty: none)</source>
        <translation>第二备份文件夹(另一块硬盘或网络共享;留空:不用)</translation>
    </message>
    <message>
        <source>Rework window (days)</source>
        <translation>返工判定期(天)</translation>
    </message>
    <message>
        <source>Follow-up within (working days)</source>
        <translation>回访期限(工作日)</translation>
    </message>
    <message>
        <source>Warranty after a serial swap</source>
        <translation>换机/换板后的保修</translation>
    </message>
    <message>
        <source>Working day starts (HH:MM)</source>
        <translation>上班时间(时:分)</translation>
    </message>
    <message>
        <source>Working day ends (HH:MM)</source>
        <translation>下班时间(时:分)</translation>
    </message>
    <message>
        <source>Complaint: first contact within (minutes)</source>
        <translation>投诉:首次联系时限(分钟)</translation>
    </message>
    <message>
        <source>Complaint: answer within (hours)</source>
        <translation>投诉:答复时限(小时)</translation>
    </message>
    <message>
        <source>Major complaint: settled within (working days)</source>
        <translation>重大投诉:处理完结时限(工作日)</translation>
    </message>
    <message>
        <source>Complaint follow-up within (days)</source>
        <translation>投诉回访时限(天)</translation>
    </message>
    <message>
        <source>Complaint clocks count working hours only</source>
        <translation>客诉时限仅计工作时间</translation>
    </message>
    <message>
        <source>Letterhead lines (empty: center name, address, phone)</source>
        <translation>信头(留空则用中心名称、地址、电话)</translation>
    </message>
    <message>
        <source>Letter signatory</source>
        <translation>落款</translation>
    </message>
    <message>
        <source>General manager&apos;s name</source>
        <translation>总经理姓名</translation>
    </message>
    <message>
        <source>Apology letter template</source>
        <translation>道歉信模板</translation>
    </message>
    <message>
        <source>{label}: the letter must name the customer and the remedy.</source>
        <translation>{label}:信中必须包含客户姓名和解决方案。</translation>
    </message>
    <message>
        <source>{label}: {value} is not a valid value.</source>
        <translation>{label}:{value} 不是有效的值。</translation>
    </message>
    <message>
        <source>{label}: the template does not read ({error}); write braces as {{{{ }}}}.</source>
        <translation>{label}:模板无法解析({error});花括号请写成 {{{{ }}}}。</translation>
    </message>
    <message>
        <source>{label}: {{{field}}} is not a field of the letter; use {fields}.</source>
        <translation>{label}:{{{field}}} 不是信件字段;可用字段:{fields}。</translation>
    </message>
    <message>
        <source>There is no such shipment.</source>
        <translation>没有这批发货。</translation>
    </message>
    <message>
        <source>Shipment {shipment_no} has already left or was cancelled.</source>
        <translation>发货单 {shipment_no} 已发出或已取消。</translation>
    </message>
    <message>
        <source>Give a reason for cancelling the shipment.</source>
        <translation>请填写取消发货的原因。</translation>
    </message>
    <message>
        <source>Scan at least one unit into the shipment.</source>
        <translation>请至少扫描一台机器到本次发货。</translation>
    </message>
    <message>
        <source>Choose the customer the shipment goes to.</source>
        <translation>请选择收货客户。</translation>
    </message>
    <message>
        <source>{order_no} was already shipped on {date}.</source>
        <translation>{order_no} 已于 {date} 发货。</translation>
    </message>
    <message>
        <source>{order_no} has not passed QC ({state}): it cannot be shipped.</source>
        <translation>{order_no} 尚未通过QC({state}):不能发货。</translation>
    </message>
    <message>
        <source>{order_no} belongs to another customer: pack it separately.</source>
        <translation>{order_no} 属于其他客户:请分开包装。</translation>
    </message>
    <message>
        <source>{order_no} is already packed in shipment {shipment_no}.</source>
        <translation>{order_no} 已装入发货单 {shipment_no}。</translation>
    </message>
    <message>
        <source>&quot;{waybill}&quot; is not a {carrier} waybill number (expected {pattern}).</source>
        <translation>“{waybill}”不是{carrier}的运单号(应为 {pattern})。</translation>
    </message>
    <message>
        <source>Unknown carrier &quot;{code}&quot;.</source>
        <translation>未知快递公司“{code}”。</translation>
    </message>
    <message>
        <source>Waybill {waybill} is already used by shipment {shipment_no}.</source>
        <translation>运单号 {waybill} 已被发货单 {shipment_no} 使用。</translation>
    </message>
    <message>
        <source>Enter the waybill number before shipping.</source>
        <translation>发货前请输入运单号。</translation>
    </message>
    <message>
        <source>The waybill needs the receiver&apos;s name and address.</source>
        <translation>运单须填写收件人姓名和地址。</translation>
    </message>
    <message>
        <source>{order_no} is not in this shipment.</source>
        <translation>{order_no} 不在这批发货中。</translation>
    </message>
    <message>
        <source>One shipment goes to one customer: these units belong to several.</source>
        <translation>一次发货只能发给一位客户:这些机器属于不同客户。</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收货</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>In repair</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>待料</translation>
    </message>
    <message>
        <source>Waiting for charge confirmation</source>
        <translation>待收费确认</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>已修好</translation>
    </message>
    <message>
        <source>In QC aging</source>
        <translation>老化中</translation>
    </message>
    <message>
        <source>QC passed</source>
        <translation>QC合格</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Awaiting supervisor approval</source>
        <translation>待主管审批</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>已退货</translation>
    </message>
    <message>
        <source>To return unrepaired</source>
        <translation>待退回(未维修)</translation>
    </message>
    <message>
        <source>allocate</source>
        <translation>分配</translation>
    </message>
    <message>
        <source>start repair</source>
        <translation>开始维修</translation>
    </message>
    <message>
        <source>wait for parts</source>
        <translation>转待料</translation>
    </message>
    <message>
        <source>parts arrived</source>
        <translation>到料</translation>
    </message>
    <message>
        <source>propose a charge</source>
        <translation>提出收费</translation>
    </message>
    <message>
        <source>charge accepted</source>
        <translation>客户同意收费</translation>
    </message>
    <message>
        <source>charge refused</source>
        <translation>客户拒绝收费</translation>
    </message>
    <message>
        <source>finish repair</source>
        <translation>完成维修</translation>
    </message>
    <message>
        <source>start QC aging</source>
        <translation>开始QC老化</translation>
    </message>
    <message>
        <source>pass QC</source>
        <translation>QC合格</translation>
    </message>
    <message>
        <source>fail QC</source>
        <translation>QC不合格</translation>
    </message>
    <message>
        <source>ship</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>request special handling</source>
        <translation>申请特殊处理</translation>
    </message>
    <message>
        <source>approve special handling</source>
        <translation>批准特殊处理</translation>
    </message>
    <message>
        <source>reject special handling</source>
        <translation>驳回特殊处理</translation>
    </message>
    <message>
        <source>return unrepaired</source>
        <translation>不维修退回</translation>
    </message>
    <message>
        <source>Cannot &quot;{action}&quot; an order that is &quot;{state}&quot;; only from: {allowed}.</source>
        <translation>状态为“{state}”的维修单不能“{action}”;只有以下状态可以:{allowed}。</translation>
    </message>
    <message>
        <source>&quot;{action}&quot; cannot lead to &quot;{state}&quot;.</source>
        <translation>“{action}”不能转到“{state}”。</translation>
    </message>
    <message>
        <source>Condition recorded</source>
        <translation>已登记外观</translation>
    </message>
    <message>
        <source>Photo attached</source>
        <translation>已附照片</translation>
    </message>
    <message>
        <source>Allocated to a technician</source>
        <translation>已分配维修员</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>已改派</translation>
    </message>
    <message>
        <source>Repair started</source>
        <translation>开始维修</translation>
    </message>
    <message>
        <source>Repair recorded</source>
        <translation>已登记维修记录</translation>
    </message>
    <message>
        <source>Parts arrived</source>
        <translation>物料已到</translation>
    </message>
    <message>
        <source>Part issued</source>
        <translation>已发料</translation>
    </message>
    <message>
        <source>Charge proposed</source>
        <translation>已提出收费</translation>
    </message>
    <message>
        <source>Charge accepted by the customer</source>
        <translation>客户同意收费</translation>
    </message>
    <message>
        <source>Charge refused by the customer</source>
        <translation>客户拒绝收费</translation>
    </message>
    <message>
        <source>Repair finished</source>
        <translation>维修完成</translation>
    </message>
    <message>
        <source>QC aging started</source>
        <translation>开始QC老化</translation>
    </message>
    <message>
        <source>QC aging cut short by a supervisor</source>
        <translation>主管提前结束老化</translation>
    </message>
    <message>
        <source>QC failed</source>
        <translation>QC不合格</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>已装箱</translation>
    </message>
    <message>
        <source>Taken out of the parcel</source>
        <translation>已从包裹取出</translation>
    </message>
    <message>
        <source>Special handling requested</source>
        <translation>申请特殊处理</translation>
    </message>
    <message>
        <source>Special handling approved</source>
        <translation>特殊处理已批准</translation>
    </message>
    <message>
        <source>Special handling rejected</source>
        <translation>特殊处理被驳回</translation>
    </message>
    <message>
        <source>To be returned unrepaired</source>
        <translation>未修退回</translation>
    </message>
    <message>
        <source>Serial swapped</source>
        <translation>已更换序列号</translation>
    </message>
    <message>
        <source>Complaint registered</source>
        <translation>已登记投诉</translation>
    </message>
    <message>
        <source>Complaint: customer contacted</source>
        <translation>投诉:已联系客户</translation>
    </message>
    <message>
        <source>Complaint answered</source>
        <translation>投诉已答复</translation>
    </message>
    <message>
        <source>QC aging run</source>
        <translation>QC老化记录</translation>
    </message>
    <message>
        <source>Shipment</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>Follow-up call</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>serial {value}</source>
        <translation>序列号 {value}</translation>
    </message>
    <message>
        <source>model {value}</source>
        <translation>机型 {value}</translation>
    </message>
    <message>
        <source>fault {value}</source>
        <translation>故障 {value}</translation>
    </message>
    <message>
        <source>cause: {value}</source>
        <translation>原因:{value}</translation>
    </message>
    <message>
        <source>action: {value}</source>
        <translation>处理:{value}</translation>
    </message>
    <message>
        <source>waybill {value}</source>
        <translation>运单号 {value}</translation>
    </message>
    <message>
        <source>carrier {value}</source>
        <translation>快递 {value}</translation>
    </message>
    <message>
        <source>photo {value}</source>
        <translation>照片 {value}</translation>
    </message>
    <message>
        <source>{value} minutes early</source>
        <translation>提前 {value} 分钟</translation>
    </message>
    <message>
        <source>Repair order {order_id} does not exist.</source>
        <translation>维修单 {order_id} 不存在。</translation>
    </message>
    <message>
        <source>state: {before} → {after}</source>
        <translation>状态:{before} → {after}</translation>
    </message>
    <message>
        <source>technician {value}</source>
        <translation>维修员 {value}</translation>
    </message>
    <message>
        <source>serial {old} → {new}</source>
        <translation>序列号 {old} → {new}</translation>
    </message>
    <message>
        <source>slot {slot}, {hours} h required</source>
        <translation>架位 {slot},需老化 {hours} 小时</translation>
    </message>
    <message>
        <source>repeat repair</source>
        <translation>返修</translation>
    </message>
    <message>
        <source>rework within 90 days</source>
        <translation>90天内返修(返工)</translation>
    </message>
    <message>
        <source>Out of warranty</source>
        <translation>保外</translation>
    </message>
    <message>
        <source>Customer {customer_id} does not exist.</source>
        <translation>客户 {customer_id} 不存在。</translation>
    </message>
    <message>
        <source>Repair order {order_no}: timeline</source>
        <translation>维修单 {order_no} 维修履历</translation>
    </message>
    <message>
        <source>result: {value}</source>
        <translation>结果:{value}</translation>
    </message>
    <message>
        <source>{shipment_no}: {carrier} {waybill} to {receiver}</source>
        <translation>{shipment_no}:{carrier} {waybill} 寄给 {receiver}</translation>
    </message>
    <message>
        <source>{complaint_no} grade {grade}, {status}: {description}</source>
        <translation>{complaint_no} {grade}级,{status}:{description}</translation>
    </message>
    <message>
        <source>due {due}</source>
        <translation>应于 {due}</translation>
    </message>
    <message>
        <source>reached: {reached}, satisfied: {satisfied}</source>
        <translation>已联系:{reached},满意:{satisfied}</translation>
    </message>
    <message>
        <source>Order {order_no}, {state}</source>
        <translation>维修单 {order_no},{state}</translation>
    </message>
    <message>
        <source>Serial {serial}, model {model}</source>
        <translation>序列号 {serial},机型 {model}</translation>
    </message>
    <message>
        <source>Customer {customer}, phone {phone}</source>
        <translation>客户 {customer},电话 {phone}</translation>
    </message>
    <message>
        <source>Swapped out: {serials}</source>
        <translation>已换下序列号:{serials}</translation>
    </message>
    <message>
        <source>In warranty until {date}</source>
        <translation>保内,保修至 {date}</translation>
    </message>
    <message>
        <source>Fault: {fault}</source>
        <translation>故障:{fault}</translation>
    </message>
    <message>
        <source>Repair-order label size (mm, width x height)</source>
        <translation>维修单标签尺寸(毫米,宽x高)</translation>
    </message>
    <message>
        <source>The working day must end after it starts ({start} to {end}).</source>
        <translation>下班时间必须晚于上班时间({start} 至 {end})。</translation>
    </message>
    <message>
        <source>{label}: at most {count} characters.</source>
        <translation>{label}:最多 {count} 个字符。</translation>
    </message>
    <message>
        <source>{label} must be between {minimum} and {maximum}.</source>
        <translation>{label}必须在 {minimum} 到 {maximum} 之间。</translation>
    </message>
    <message>
        <source>{label}: {value} is not one of the choices.</source>
        <translation>{label}:{value} 不是可选的值。</translation>
    </message>
    <message>
        <source>{label}: write the time as HH:MM, e.g. 08:30 (not {value}).</source>
        <translation>{label}:请按 时:分 填写,例如 08:30(不是 {value})。</translation>
    </message>
    <message>
        <source>carries on from the old unit&apos;s purchase</source>
        <translation>沿用原机的购买日期</translation>
    </message>
    <message>
        <source>starts again on the day of the swap</source>
        <translation>自换机之日重新起算</translation>
    </message>
    <message>
        <source>{label}: write width x height in mm, e.g. 60x40 (not {value}).</source>
        <translation>{label}:请按 宽x高(毫米)填写,例如 60x40(不是 {value})。</translation>
    </message>
    <message>
        <source>The password must have at least {count} characters.</source>
        <translation>密码至少需要 {count} 个字符。</translation>
    </message>
    <message>
        <source>Give the user at least one role.</source>
        <translation>请至少给用户分配一个角色。</translation>
    </message>
    <message>
        <source>The user name &quot;{username}&quot; is taken.</source>
        <translation>用户名“{username}”已被占用。</translation>
    </message>
    <message>
        <source>The badge code &quot;{badge}&quot; is taken.</source>
        <translation>工牌码“{badge}”已被占用。</translation>
    </message>
    <message>
        <source>Unknown user.</source>
        <translation>未知用户。</translation>
    </message>
    <message>
        <source>No active user {username}. Run `repairfloor init` first.</source>
        <translation>没有在用的用户 {username}。请先运行 `repairfloor init`。</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>Monthly report</source>
        <translation>质量月报</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>机型</translation>
    </message>
    <message>
        <source>Month (YYYY-MM)</source>
        <translation>月份(年-月)</translation>
    </message>
    <message>
        <source>Folder for the report</source>
        <translation>月报保存文件夹</translation>
    </message>
    <message>
        <source>Early-warning alarm</source>
        <translation>质量预警</translation>
    </message>
    <message>
        <source>Corrective action</source>
        <translation>纠正措施</translation>
    </message>
    <message>
        <source>Does the action work?</source>
        <translation>措施是否有效?</translation>
    </message>
    <message>
        <source>Export the knowledge base</source>
        <translation>导出故障知识库</translation>
    </message>
    <message>
        <source>Export the month to Excel</source>
        <translation>导出本月到 Excel</translation>
    </message>
    <message>
        <source>Save the daily report</source>
        <translation>保存日报</translation>
    </message>
</context>
</TS>
