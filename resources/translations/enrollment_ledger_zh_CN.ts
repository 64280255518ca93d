<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>The ledger file is read-only</source>
        <extracomment>Packaging checks set this: the window reports that it is shown, then quits. With SMOKE_ENV: also save a picture of the shown window to this PNG file (a packaging check on a system with no screen, e.g. the Debian 11 root, sees what the window drew). What closes the window from outside: a logout or shutdown, ``kill``, Ctrl-C in its terminal.</extracomment>
        <translation>台账文件是只读的</translation>
    </message>
    <message>
        <source>It is opened read-only: you can look, not change anything.</source>
        <translation>现在以只读方式打开：只能查看，不能修改。</translation>
    </message>
    <message>
        <source>The ledger is in use</source>
        <translation>台账正在使用中</translation>
    </message>
    <message>
        <source>Open it read-only, to look without changing anything?</source>
        <translation>以只读方式打开，只查看不修改吗？</translation>
    </message>
    <message>
        <source>Take over…</source>
        <translation>接管…</translation>
    </message>
    <message>
        <source>Open read-only</source>
        <translation>只读打开</translation>
    </message>
    <message>
        <source>Take over the ledger</source>
        <translation>接管台账</translation>
    </message>
    <message>
        <source>Take over the ledger from %1?

Only when the program on that computer is closed: two computers changing the ledger at once overwrite each other&apos;s work. The take-over is written to the audit trail.</source>
        <translation>从%1手里接管台账吗？

只有在那台电脑上的程序已经关闭时才能接管：两台电脑同时修改台账，会互相覆盖对方的工作。接管会记入操作日志。</translation>
    </message>
    <message>
        <source>Cannot open the ledger</source>
        <translation>无法打开台账</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>Audit trail</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>%1 entries. The trail is written by the program and cannot be changed here.</source>
        <translation>共%1条。操作日志由程序自动记录，不能修改。</translation>
    </message>
    <message>
        <source>Export the whole trail…</source>
        <translation>导出全部操作日志…</translation>
    </message>
    <message>
        <source>Export the trail</source>
        <translation>导出操作日志</translation>
    </message>
    <message>
        <source>%1 entries written to %2</source>
        <translation>已将%1条记录写入 %2</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Whom</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>BackPaymentDialog</name>
    <message>
        <source>Back-payment for %1</source>
        <translation>%1补缴</translation>
    </message>
    <message>
        <source>A back-payment repairs a missed year: it counts towards the years insured in a row and shortens the waiting period by a month, but is not an enrollment of that year.</source>
        <translation>补缴可以修复断保的年度：计入连续参保年数，变动等待期减少一个月，但不算作那一年已参保。</translation>
    </message>
    <message>
        <source>receipt or tax voucher number</source>
        <translation>收据号或税票号</translation>
    </message>
    <message>
        <source>Missed year</source>
        <translation>断保年度</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>缴费渠道</translation>
    </message>
    <message>
        <source>Voucher no.</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Date paid</source>
        <translation>缴费日期</translation>
    </message>
    <message>
        <source>%1 (owes %2 yuan)</source>
        <translation>%1年度（应补缴%2元）</translation>
    </message>
    <message>
        <source>This person has no missed year to pay back.</source>
        <translation>此人没有可以补缴的断保年度。</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Back up the ledger</source>
        <translation>备份台账</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>required for a USB stick: a lost stick must not leak ID numbers</source>
        <translation>备份到U盘时必须设密码：U盘丢了也不能泄露身份证号</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再输一次密码</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>备份到</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
    <message>
        <source>A copy outside the backups folder needs a password.</source>
        <translation>备份到备份文件夹以外的地方（如U盘）时必须设密码。</translation>
    </message>
    <message>
        <source>Copying…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Copy written: %1 (%2 MB%3)</source>
        <translation>备份已写入：%1（%2 MB%3）</translation>
    </message>
    <message>
        <source>, encrypted</source>
        <translation>，已加密</translation>
    </message>
</context>
<context>
    <name>CollectionMode</name>
    <message>
        <source>Exempt, paid by the fund</source>
        <translation>免征代缴</translation>
    </message>
    <message>
        <source>Collect the difference</source>
        <translation>差额征缴</translation>
    </message>
    <message>
        <source>Ordinary collection</source>
        <translation>正常征缴</translation>
    </message>
</context>
<context>
    <name>ColumnFilterDialog</name>
    <message>
        <source>Filter: %1</source>
        <translation>筛选：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>(blank)</source>
        <translation>（空白）</translation>
    </message>
    <message>
        <source>Tick &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Tick &amp;none</source>
        <translation>全不选(&amp;N)</translation>
    </message>
    <message>
        <source>yuan, e.g. 100 or 0.01</source>
        <translation>单位元，如 100 或 0.01</translation>
    </message>
    <message>
        <source>At &amp;least (yuan)</source>
        <translation>不少于（元）(&amp;L)</translation>
    </message>
    <message>
        <source>At &amp;most (yuan)</source>
        <translation>不多于（元）(&amp;M)</translation>
    </message>
    <message>
        <source>Only &amp;blank cells</source>
        <translation>只看空白(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Contains</source>
        <translation>包含(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;lear filter</source>
        <translation>清除筛选(&amp;L)</translation>
    </message>
</context>
<context>
    <name>ConflictTable</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Township&apos;s value</source>
        <translation>乡镇的值</translation>
    </message>
    <message>
        <source>Village&apos;s value</source>
        <translation>村里的值</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Township&apos;s</source>
        <translation>以乡镇为准</translation>
    </message>
    <message>
        <source>Village&apos;s</source>
        <translation>以村里为准</translation>
    </message>
</context>
<context>
    <name>CorrectIdDialog</name>
    <message>
        <source>Correct the ID number of %1</source>
        <translation>更正%1的身份证号</translation>
    </message>
    <message>
        <source>the right 18-character ID number</source>
        <translation>正确的18位身份证号</translation>
    </message>
    <message>
        <source>why, e.g. as on the household register</source>
        <translation>原因，例如按户口本更正</translation>
    </message>
    <message>
        <source>ID number now</source>
        <translation>现在的身份证号</translation>
    </message>
    <message>
        <source>Right ID number</source>
        <translation>正确的身份证号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Sex and birth date follow the new number; the old number stays in the person&apos;s change history.</source>
        <translation>性别和出生日期按新号码更正；原号码保留在此人的修改记录里。</translation>
    </message>
    <message>
        <source>Type the right ID number.</source>
        <translation>请填写正确的身份证号。</translation>
    </message>
</context>
<context>
    <name>CorrectionsMenu</name>
    <message>
        <source>Correct the ID number…</source>
        <translation>更正身份证号…</translation>
    </message>
    <message>
        <source>Merge with another record of this person…</source>
        <translation>与此人的另一条记录合并…</translation>
    </message>
    <message>
        <source>Remove a person entered by mistake…</source>
        <translation>删除误录的人员…</translation>
    </message>
    <message>
        <source>Reverse a whole household&apos;s payment…</source>
        <translation>全户缴费冲正…</translation>
    </message>
    <message>
        <source>Refund paid out…</source>
        <translation>登记已退款…</translation>
    </message>
</context>
<context>
    <name>DashboardModel</name>
    <message>
        <source>Choose a year to see its figures.</source>
        <translation>请选择年度查看统计。</translation>
    </message>
    <message>
        <source>No enrollment year yet: load a policy or import a roster.</source>
        <translation>还没有参保年度：请先载入年度政策或导入参保名单。</translation>
    </message>
    <message>
        <source>Reading the figures of %1…</source>
        <translation>正在读取%1年度的统计数据…</translation>
    </message>
    <message>
        <source>Could not read the figures: %1</source>
        <translation>统计数据读取失败：%1</translation>
    </message>
    <message>
        <source>Figures of the year</source>
        <translation>年度统计</translation>
    </message>
    <message>
        <source>Enrollment rate by village</source>
        <translation>各村参保率</translation>
    </message>
    <message>
        <source>Collection progress by village</source>
        <translation>各村征缴进度</translation>
    </message>
    <message>
        <source>Newborns enrolled in their birth year</source>
        <translation>新生儿出生当年参保</translation>
    </message>
    <message>
        <source>Persons and subsidy by category</source>
        <translation>各类别人数与资助金额</translation>
    </message>
    <message>
        <source>Figures of %1: %2 persons registered in %3 villages</source>
        <translation>%1年度统计：%3个村(社区)共登记%2人</translation>
    </message>
    <message>
        <source>Nobody is registered for this year yet.</source>
        <translation>这一年度还没有人员参保登记。</translation>
    </message>
    <message>
        <source>At or above target</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>Below target</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>Target %1%</source>
        <translation>目标%1%</translation>
    </message>
    <message>
        <source>%1: enrollment rate %2 (%3 insured of %4 expected); target %5%; %6 of %7 townships reach it</source>
        <translation>%1参保率%2（应参保%4人，已参保%3人），目标%5%；%7个乡镇中%6个达标</translation>
    </message>
    <message>
        <source>Township: enrollment rate %1 (%2 insured of %3 expected); target %4%; %5 of %6 villages reach it</source>
        <translation>全镇参保率%1（应参保%3人，已参保%2人），目标%4%；%6个村中%5个达标</translation>
    </message>
    <message>
        <source>%1: enrollment rate %2 (%3 insured of %4 expected); target %5%; %6 of %7 villages reach it</source>
        <translation>%1参保率%2（应参保%4人，已参保%3人），目标%5%；%7个村中%6个达标</translation>
    </message>
    <message>
        <source>Enrollment rate by township (target %1%)</source>
        <translation>各乡镇参保率（目标%1%）</translation>
    </message>
    <message>
        <source>Enrollment rate by village (target %1%)</source>
        <translation>各村参保率（目标%1%）</translation>
    </message>
    <message>
        <source>10,000 yuan</source>
        <translation>万元</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>Collected</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Whole county</source>
        <extracomment>Above this (100,000 yuan) money axes count in 万元. The rate axes run 0 %, 20 %, … 100 %. A line of the numbers under a chart: a sentence, or entries (one per village or category) that wrap between entries, never inside one.</extracomment>
        <translation>全县</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>未缴</translation>
    </message>
    <message>
        <source>Due %1; collected %2 (%3); outstanding %4 from %5 unpaid persons</source>
        <translation>个人应缴%1，已收%2（%3），未缴%4（未缴费%5人）</translation>
    </message>
    <message>
        <source>Amount paid %1, of which %2 is owed back (subsidy after payment)</source>
        <translation>已缴金额%1，其中应退%2（事后资助）</translation>
    </message>
    <message>
        <source>Collection progress by township: %1 collected</source>
        <translation>各乡镇征缴进度：已收%1</translation>
    </message>
    <message>
        <source>Collection progress by village: %1 collected</source>
        <translation>各村征缴进度：已收%1</translation>
    </message>
    <message>
        <source>Born in %1: %2; enrolled in the birth year: %3 (%4); target %5%</source>
        <translation>%1年出生%2人，当年参保%3人（%4），目标%5%</translation>
    </message>
    <message>
        <source>; %1 not counted (deceased, moved away…)</source>
        <translation>；另有%1人不计入（死亡、迁出等）</translation>
    </message>
    <message>
        <source>Newborns enrolled in their birth year (target %1%)</source>
        <translation>新生儿出生当年参保（目标%1%）</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>%1 %2 persons (%3 subsidised, %4)</source>
        <translation>%1 %2人（资助%3人，%4）</translation>
    </message>
    <message>
        <source>%1 (no category) %2 persons</source>
        <translation>%1（无资助类别）%2人</translation>
    </message>
    <message>
        <source>Total subsidy: %1 persons subsidised, %2</source>
        <translation>资助合计：%1人，%2</translation>
    </message>
    <message>
        <source>A person in several categories counts under each; the subsidy counts under the one category applied (the highest), so the subsidies add up to the total.</source>
        <translation>一人有多个资助类别的，各类别都计入人数；资助金额只计入实际资助的一个类别（就高），所以各类别资助金额之和等于资助合计。</translation>
    </message>
</context>
<context>
    <name>DashboardWidget</name>
    <message>
        <source>Township</source>
        <extracomment>emitted on the UI thread once the figures of a refresh are shown (the year, 0 for none) emitted when reading the figures failed, with the reason</extracomment>
        <translation>乡镇(街道)</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a table for the county</source>
        <translation>导出报表</translation>
    </message>
    <message>
        <source>Roster (everyone)</source>
        <translation>参保台账（全部人员）</translation>
    </message>
    <message>
        <source>Subsidised persons (for the assistance fund)</source>
        <translation>资助参保人员名单（医疗救助基金用）</translation>
    </message>
    <message>
        <source>Summary by village</source>
        <translation>参保情况汇总表（按村）</translation>
    </message>
    <message>
        <source>Unpaid persons (door-to-door list)</source>
        <translation>未缴费人员清单（上门催缴用）</translation>
    </message>
    <message>
        <source>Newborns with their deadline</source>
        <translation>新生儿参保台账（含截止日期）</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>Whole county</source>
        <translation>全县</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇</translation>
    </message>
    <message>
        <source>Save the table as</source>
        <translation>报表保存为</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Hide ID numbers, phones and birth dates (for sharing outside the office)</source>
        <translation>隐藏身份证号、电话和出生日期（发给外单位时使用）</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开所在文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>(masked)</source>
        <translation>（已隐藏）</translation>
    </message>
    <message>
        <source>No year has a policy yet: nothing to export.</source>
        <translation>还没有任何年度的政策，没有可导出的数据。</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
</context>
<context>
    <name>FileJobDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>已取消，没有生成文件。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>FirstAdministratorDialog</name>
    <message>
        <source>Create the administrator</source>
        <translation>创建管理员账号</translation>
    </message>
    <message>
        <source>This ledger has no operators yet. Create the administrator&apos;s account: the administrator loads policies, imports files, restores backups and adds staff.</source>
        <translation>这个台账还没有操作员。请先创建管理员账号：管理员负责载入年度政策、导入县里的表格、恢复备份和添加工作人员。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再输一次密码</translation>
    </message>
    <message>
        <source>On a village doctor&apos;s laptop: open the work package the township gave you.</source>
        <translation>在村医的电脑上：打开乡镇给您的工作包。</translation>
    </message>
    <message>
        <source>Open a &amp;work package…</source>
        <translation>打开工作包(&amp;W)…</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>Follow-up lists, %1</source>
        <translation>%1年度跟进名单</translation>
    </message>
    <message>
        <source>Name</source>
        <extracomment>each tab&apos;s list: its key in followup_export.SHEETS, its view and its service rows</extracomment>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>参保截止日期</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Paid on</source>
        <translation>缴费日期</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Newborns (%1, %2 overdue, %3 near the deadline)</source>
        <translation>新生儿（%1人，%2人已逾期，%3人临近截止）</translation>
    </message>
    <message>
        <source>Red: unpaid newborns past their 90-day deadline; orange: within %1 days of it. Double-click a row to open its household. The unpaid list is the person table with “Unpaid” ticked.</source>
        <translation>红色：已过90天参保截止日、尚未缴费的新生儿（已逾期）；橙色：离截止日不足%1天、尚未缴费（临近截止）。双击一行可在主窗口打开这一户。未缴费人员名单：在人员表中勾选“未缴费”。</translation>
    </message>
    <message>
        <source>overdue %1 days</source>
        <translation>已逾期%1天</translation>
    </message>
    <message>
        <source>Years of break</source>
        <translation>断保年数</translation>
    </message>
    <message>
        <source>Waiting months</source>
        <translation>等待期（月）</translation>
    </message>
    <message>
        <source>Years paid back</source>
        <translation>补缴年数</translation>
    </message>
    <message>
        <source>Waiting before repair</source>
        <translation>补缴前等待期（月）</translation>
    </message>
    <message>
        <source>Benefits from</source>
        <translation>待遇起始日</translation>
    </message>
    <message>
        <source>Late enrollers (%1)</source>
        <translation>逾期参保（%1）</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴金额</translation>
    </message>
    <message>
        <source>Refund owed</source>
        <translation>应退金额</translation>
    </message>
    <message>
        <source>%1 (near the deadline)</source>
        <translation>%1（临近截止）</translation>
    </message>
    <message>
        <source>Hide part of ID numbers and phones</source>
        <translation>隐藏部分身份证号和电话</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出Excel…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Open the household</source>
        <translation>打开这一户</translation>
    </message>
    <message>
        <source>Refund paid out…</source>
        <translation>登记已退款…</translation>
    </message>
    <message>
        <source>Refunds owed (%1)</source>
        <translation>应退费（%1）</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>导出名单</translation>
    </message>
    <message>
        <source>%1 rows written to %2</source>
        <translation>已把%1行写入%2</translation>
    </message>
    <message>
        <source>ID numbers and phones partly hidden</source>
        <translation>身份证号、电话已部分隐藏</translation>
    </message>
    <message>
        <source>Choose a person in the list first.</source>
        <translation>请先在名单里选一个人。</translation>
    </message>
    <message>
        <source>%1 is not in the person table.</source>
        <translation>人员表里找不到%1。</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>户编号</translation>
    </message>
    <message>
        <source>Years insured in a row</source>
        <translation>已连续参保年数</translation>
    </message>
    <message>
        <source>Still owed</source>
        <translation>本年还需缴纳</translation>
    </message>
    <message>
        <source>Long runs at risk (%1)</source>
        <translation>连续参保将中断（%1）</translation>
    </message>
    <message>
        <source>Statuses to confirm (%1)</source>
        <translation>待确认参保状态（%1）</translation>
    </message>
</context>
<context>
    <name>HandOutDialog</name>
    <message>
        <source>Hand out a village work package</source>
        <translation>派发村级工作包</translation>
    </message>
    <message>
        <source>A password I give the village doctor</source>
        <translation>我告诉村医的密码</translation>
    </message>
    <message>
        <source>Print a pairing code</source>
        <translation>打印配对码</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Protect with</source>
        <translation>保护方式</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再输一次密码</translation>
    </message>
    <message>
        <source>&amp;Write the package</source>
        <translation>生成工作包(&amp;W)</translation>
    </message>
    <message>
        <source>Save the package as</source>
        <translation>工作包保存为</translation>
    </message>
    <message>
        <source>Tick the villages the package is for.</source>
        <translation>请勾选这个工作包包含的村。</translation>
    </message>
    <message>
        <source>Choose the year.</source>
        <translation>请选择年度。</translation>
    </message>
    <message>
        <source>Choose where to save the package.</source>
        <translation>请选择工作包保存的位置。</translation>
    </message>
    <message>
        <source>Enter the password, or choose a pairing code.</source>
        <translation>请输入密码，或选择打印配对码。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一样。</translation>
    </message>
    <message>
        <source>Writing the package…</source>
        <translation>正在生成工作包…</translation>
    </message>
    <message>
        <source>Package written: %1 (%2 households, %3 persons).</source>
        <translation>工作包已生成：%1（%2户，%3人）。</translation>
    </message>
</context>
<context>
    <name>HouseholdCount</name>
    <message>
        <source>%1 households shown</source>
        <translation>显示%1户</translation>
    </message>
    <message>
        <source>At least %1 households</source>
        <translation>至少%1户</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>New household</source>
        <translation>新增户</translation>
    </message>
    <message>
        <source>leave empty to number it automatically</source>
        <translation>不填则自动编号</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>核对</translation>
    </message>
    <message>
        <source>Add another member</source>
        <translation>再加一名成员</translation>
    </message>
    <message>
        <source>Throw away the members typed? The household is not saved.</source>
        <translation>放弃已填写的成员？这一户不会保存。</translation>
    </message>
</context>
<context>
    <name>HouseholdPanel</name>
    <message>
        <source>Household pays…</source>
        <extracomment>the ledger changed here (a payment, a status, a member): the window refreshes</extracomment>
        <translation>全户缴费…</translation>
    </message>
    <message>
        <source>This person pays…</source>
        <translation>此人缴费…</translation>
    </message>
    <message>
        <source>Payments and reversal…</source>
        <translation>缴费记录与冲正…</translation>
    </message>
    <message>
        <source>Mark status…</source>
        <translation>标记参保状态…</translation>
    </message>
    <message>
        <source>Add member…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>Move to household…</source>
        <translation>迁入其他户…</translation>
    </message>
    <message>
        <source>Print notice…</source>
        <translation>打印缴费告知单…</translation>
    </message>
    <message>
        <source>Change history…</source>
        <translation>修改记录…</translation>
    </message>
    <message>
        <source>Back-payment of a missed year…</source>
        <translation>补缴断保年度…</translation>
    </message>
    <message>
        <source>Correct a mistake…</source>
        <translation>更正错误…</translation>
    </message>
    <message>
        <source>Double-click a member to edit</source>
        <translation>双击成员可修改</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主
关系</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资助类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>个人应缴</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴金额</translation>
    </message>
    <message>
        <source>Years insured</source>
        <translation>连续参保
年数</translation>
    </message>
    <message>
        <source>Choose a household or a person</source>
        <translation>请选择一户或一个人</translation>
    </message>
    <message>
        <source>Household %1 · head %2</source>
        <translation>户编号 %1 · 户主 %2</translation>
    </message>
    <message>
        <source>Ordinary resident</source>
        <translation>普通居民</translation>
    </message>
    <message>
        <source>%1 year: household due %2, still owed %3</source>
        <translation>%1年度：全户应缴%2，尚欠%3</translation>
    </message>
    <message>
        <source>%1 · incentive</source>
        <translation>%1 · 享受激励</translation>
    </message>
    <message>
        <source>years paid back: %1</source>
        <translation>已补缴年度：%1</translation>
    </message>
    <message>
        <source>Change history of %1</source>
        <translation>%1的修改记录</translation>
    </message>
</context>
<context>
    <name>HouseholdReversalDialog</name>
    <message>
        <source>Reverse a payment of household %1</source>
        <translation>冲正户%1的缴费</translation>
    </message>
    <message>
        <source>why is it wrong?</source>
        <translation>为什么错了？</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Date of the reversal</source>
        <translation>冲正日期</translation>
    </message>
    <message>
        <source>This household has no payment to reverse this year.</source>
        <translation>这一户本年度没有可以冲正的缴费。</translation>
    </message>
    <message>
        <source>Write why the payment is wrong.</source>
        <translation>请写明这笔缴费错在哪里。</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Household no.</source>
        <extracomment>column → the service&apos;s sort key (a column not listed sorts by itself)</extracomment>
        <translation>户编号</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主姓名</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
</context>
<context>
    <name>ImportChoosePage</name>
    <message>
        <source>Roster (households and persons)</source>
        <translation>花名册（户和人员）</translation>
    </message>
    <message>
        <source>Category list (低保, 特困, 监测对象…)</source>
        <translation>资助身份名单（低保、特困、监测对象…）</translation>
    </message>
    <message>
        <source>Payment feedback from the tax bureau</source>
        <translation>税务缴费信息回传</translation>
    </message>
    <message>
        <source>Excel or CSV file sent by the county</source>
        <translation>县里发来的Excel或CSV文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>e.g. 低保 — only when the file has no category column</source>
        <translation>例如“低保”——仅当表中没有人员类别列时填写</translation>
    </message>
    <message>
        <source>This is the full list: end the category for persons not in it</source>
        <translation>这是全量名单：名单中没有的人，取消其该类身份</translation>
    </message>
    <message>
        <source>What is in the file</source>
        <translation>文件内容</translation>
    </message>
    <message>
        <source>Township the roster is of</source>
        <translation>花名册所属乡镇</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Whole file is category</source>
        <translation>整个文件的类别</translation>
    </message>
    <message>
        <source>File to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Spreadsheets (%1)</source>
        <translation>表格文件 (%1)</translation>
    </message>
</context>
<context>
    <name>ImportColumnsPage</name>
    <message>
        <source>Header is in row</source>
        <translation>表头在第几行</translation>
    </message>
    <message>
        <source>(ignore)</source>
        <translation>（不导入）</translation>
    </message>
    <message>
        <source>column %1</source>
        <translation>第%1列</translation>
    </message>
    <message>
        <source>Sheet “%1”: the header was found in row %2 (%3 sheets read). Correct any column read wrongly; the correction is remembered for files laid out the same way.</source>
        <translation>工作表“%1”：表头在第%2行（共读取%3个工作表）。如有列识别错误请改正，改正会被记住，下次同样格式的表格自动使用。</translation>
    </message>
    <message>
        <source>No header was recognised. Say which row holds the column names and what each column holds; at least the ID number column is needed.</source>
        <translation>没有识别出表头。请指出列名在第几行，以及每一列的含义；至少要有身份证号这一列。</translation>
    </message>
</context>
<context>
    <name>ImportPreviewPage</name>
    <message>
        <source>Only the first %1 rows of %2 are shown.</source>
        <translation>只列出前%1行，共%2行。</translation>
    </message>
    <message>
        <source> · %1 warnings</source>
        <translation> · 提醒 %1</translation>
    </message>
    <message>
        <source>%1 new · %2 updated · %3 unchanged · %4 rejected · %5 unmatched · %6 warnings</source>
        <translation>新增 %1 · 更新 %2 · 未变 %3 · 拒绝 %4 · 未匹配 %5 · 提醒 %6</translation>
    </message>
    <message>
        <source>New (%1)</source>
        <translation>新增（%1）</translation>
    </message>
    <message>
        <source>Updated (%1)</source>
        <translation>更新（%1）</translation>
    </message>
    <message>
        <source>Rejected (%1)</source>
        <translation>拒绝（%1）</translation>
    </message>
    <message>
        <source>Unmatched (%1)</source>
        <translation>未匹配（%1）</translation>
    </message>
    <message>
        <source>Warnings (%1)</source>
        <translation>提醒（%1）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>ID number as in the file</source>
        <translation>文件中的身份证号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ImportResultPage</name>
    <message>
        <source>Imported the list: %1 joined, %2 changed, %3 left; %4 rejected and %5 unmatched rows were not imported.</source>
        <translation>名单导入完成：新增%1人，变更%2人，取消%3人；%4行被拒绝、%5行未匹配，未导入。</translation>
    </message>
    <message>
        <source>Imported: %1 new, %2 updated; %3 rejected and %4 unmatched rows were not imported.</source>
        <translation>导入完成：新增%1人，更新%2人；%3行被拒绝、%4行未匹配，未导入。</translation>
    </message>
    <message>
        <source>%1 charges recomputed.</source>
        <translation>已重新计算%1人的应缴金额。</translation>
    </message>
</context>
<context>
    <name>ImportTabs</name>
    <message>
        <source>%1 joined · %2 changed · %3 left · %4 unchanged · %5 rejected · %6 unmatched</source>
        <translation>新增 %1 · 变更 %2 · 取消 %3 · 未变 %4 · 拒绝 %5 · 未匹配 %6</translation>
    </message>
    <message>
        <source>Save the list changes and the rejected rows…</source>
        <translation>保存名单变动和未导入的行…</translation>
    </message>
    <message>
        <source>Save the rejected rows…</source>
        <translation>保存未导入的行…</translation>
    </message>
    <message>
        <source>Joined (%1)</source>
        <translation>新增（%1）</translation>
    </message>
    <message>
        <source>Changed (%1)</source>
        <translation>变更（%1）</translation>
    </message>
    <message>
        <source>Left (%1)</source>
        <translation>取消（%1）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Category before</source>
        <translation>原类别</translation>
    </message>
    <message>
        <source>Category now</source>
        <translation>现类别</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import a file from the county</source>
        <translation>导入县里发来的表格</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose the file to import first.</source>
        <translation>请先选择要导入的文件。</translation>
    </message>
    <message>
        <source>Cancelling… nothing will be written.</source>
        <translation>正在取消…不会写入任何数据。</translation>
    </message>
    <message>
        <source>Reading and checking every row…</source>
        <translation>正在读取并逐行检查…</translation>
    </message>
    <message>
        <source>Check what each column holds, then Next.</source>
        <translation>请核对每一列的含义，然后点“下一步”。</translation>
    </message>
    <message>
        <source>Save the rejected rows</source>
        <translation>保存未导入的行</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>未能保存</translation>
    </message>
    <message>
        <source>%1 rows saved to %2</source>
        <translation>已将%1行保存到 %2</translation>
    </message>
    <message>
        <source>Importing… (all rows or none)</source>
        <translation>正在导入…（要么全部写入，要么都不写入）</translation>
    </message>
    <message>
        <source>Cancelled: nothing was written.</source>
        <translation>已取消：没有写入任何数据。</translation>
    </message>
    <message>
        <source>Nothing was written: %1</source>
        <translation>没有写入任何数据：%1</translation>
    </message>
</context>
<context>
    <name>ListExportDialog</name>
    <message>
        <source>Export the list shown</source>
        <translation>导出当前名单</translation>
    </message>
    <message>
        <source>%1: %2 persons, %3 columns</source>
        <translation>%1：%2人，%3列</translation>
    </message>
    <message>
        <source>Hide ID numbers, phones and birth dates (for sharing outside the office)</source>
        <translation>隐藏身份证号、电话和出生日期（发给外单位时用）</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>List</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>%1: at least %2 persons (counting the rest…), %3 columns</source>
        <translation>%1：至少%2人（正在清点其余人数…），%3列</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
    </message>
    <message>
        <source>Save the list as</source>
        <translation>名单保存为</translation>
    </message>
</context>
<context>
    <name>ListHeader</name>
    <message>
        <source>Sort &amp;ascending</source>
        <translation>升序排列(&amp;A)</translation>
    </message>
    <message>
        <source>Sort &amp;descending</source>
        <translation>降序排列(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Filter this column…</source>
        <translation>筛选此列(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Clear this column&apos;s filter</source>
        <translation>清除此列的筛选(&amp;C)</translation>
    </message>
    <message>
        <source>Clear &amp;every column filter</source>
        <translation>清除全部筛选(&amp;E)</translation>
    </message>
    <message>
        <source>C&amp;olumns shown</source>
        <translation>显示的列(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Default columns</source>
        <translation>恢复默认的列(&amp;R)</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>The ledger is locked. Enter your password to go on.</source>
        <translation>台账已锁定，请输入密码后继续。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Locked — enter your password</source>
        <translation>已锁定——请输入密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Quit the program</source>
        <translation>退出程序</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Name, initials (zs), ID, phone, household no.</source>
        <translation>姓名/拼音首字母/身份证号/电话/户编号</translation>
    </message>
    <message>
        <source>Search as you type: part of a name, pinyin initials (zs finds 张三), any part of an ID number, a phone or a household number. Ctrl+F</source>
        <translation>边输入边查找：姓名的一部分、拼音首字母（输入zs可找到张三）、身份证号的任意一段、电话或户编号。快捷键Ctrl+F</translation>
    </message>
    <message>
        <source>Township not set</source>
        <translation>未设置乡镇</translation>
    </message>
    <message>
        <source>Enrollment Ledger — %1</source>
        <translation>参保台账 — %1</translation>
    </message>
    <message>
        <source>%1 villages · %2 households · %3 persons</source>
        <translation>%1个村 · %2户 · %3人</translation>
    </message>
    <message>
        <source>Township</source>
        <extracomment>emitted on the UI thread when background demo generation has been written and shown emitted after anything changed the ledger (payment, import, status…) emitted when the villages&apos; enrollment rates (read in the background) are on the list</extracomment>
        <translation>乡镇(街道)</translation>
    </message>
    <message>
        <source>Persons</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>户</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>统计图表</translation>
    </message>
    <message>
        <source>Office server: %1</source>
        <translation>单位服务器：%1</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Newborns</source>
        <translation>新生儿</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>未缴费</translation>
    </message>
    <message>
        <source> — operator: %1</source>
        <translation> — 操作员：%1</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Ordinary residents</source>
        <translation>普通居民</translation>
    </message>
    <message>
        <source>Nobody found in this village: at least %1 found in all villages, show them</source>
        <translation>本村没有找到；全部村中至少找到%1人，点此显示</translation>
    </message>
    <message>
        <source> · filtered: %1</source>
        <translation> · 筛选：%1</translation>
    </message>
    <message>
        <source>Nobody found in this village: %1 found in all villages, show them</source>
        <translation>本村没有找到；全部村中找到%1人，点此显示</translation>
    </message>
</context>
<context>
    <name>MainWindowActions</name>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New household…</source>
        <translation>新增户(&amp;N)…</translation>
    </message>
    <message>
        <source>Record &amp;payment…</source>
        <translation>登记缴费(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Policy of the year…</source>
        <translation>年度政策(&amp;P)…</translation>
    </message>
    <message>
        <source>P&amp;rint notice…</source>
        <translation>打印告知单(&amp;R)…</translation>
    </message>
    <message>
        <source>Follow-&amp;up lists…</source>
        <translation>跟进名单(&amp;U)…</translation>
    </message>
    <message>
        <source>Print a &amp;village&apos;s notices…</source>
        <translation>打印全村缴费告知单(&amp;V)…</translation>
    </message>
    <message>
        <source>Print the &amp;list shown…</source>
        <translation>打印当前列表(&amp;L)…</translation>
    </message>
    <message>
        <source>Print the list shown, IDs and phones &amp;hidden…</source>
        <translation>打印当前名单（隐藏身份证号、电话）(&amp;H)…</translation>
    </message>
    <message>
        <source>Export the list &amp;shown…</source>
        <translation>导出当前名单(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Operators…</source>
        <translation>操作员管理(&amp;O)…</translation>
    </message>
    <message>
        <source>Audit &amp;trail…</source>
        <translation>操作日志(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore a backup…</source>
        <translation>恢复备份(&amp;R)…</translation>
    </message>
    <message>
        <source>Fill with &amp;demo data…</source>
        <translation>放入演示数据(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Hand out village work packages…</source>
        <translation>派发村级工作包(&amp;H)…</translation>
    </message>
    <message>
        <source>&amp;Merge a package returned by a village…</source>
        <translation>合并村里交回的工作包(&amp;M)…</translation>
    </message>
    <message>
        <source>Return the &amp;work package…</source>
        <translation>交回工作包(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Update from a new work package…</source>
        <translation>用新工作包更新(&amp;U)…</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Year </source>
        <translation>年度 </translation>
    </message>
    <message>
        <source>&amp;Ledger</source>
        <translation>台账(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>业务(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>The list has more than %1 rows. Narrow it with the search and filters first, or export it and print the workbook.</source>
        <translation>列表超过%1行。请先用搜索和筛选缩小范围，或者导出为表格后再打印。</translation>
    </message>
    <message>
        <source>Print the list</source>
        <translation>打印列表</translation>
    </message>
    <message>
        <source>The list has %1 rows. Narrow it with the search and filters first, or export it and print the workbook.</source>
        <translation>列表共有%1行。请先用搜索和筛选缩小范围，或者导出为表格后再打印。</translation>
    </message>
    <message>
        <source>%1 year — %2</source>
        <translation>%1年度 — %2</translation>
    </message>
    <message>
        <source> (search “%1”)</source>
        <translation>（搜索“%1”）</translation>
    </message>
    <message>
        <source>ID numbers and phones partly hidden</source>
        <translation>身份证号、电话已部分隐藏</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Demo data can only go into an empty ledger.</source>
        <translation>演示数据只能放进空台账。</translation>
    </message>
    <message>
        <source>Empty ledger</source>
        <translation>台账是空的</translation>
    </message>
    <message>
        <source>This ledger is empty. Fill it with a made-up township of 2,000 persons to try the program?</source>
        <translation>这个台账还没有数据。要放入一个2000人的虚构乡镇，先试用一下吗？</translation>
    </message>
    <message>
        <source>Making the demo township…</source>
        <translation>正在生成演示乡镇…</translation>
    </message>
    <message>
        <source>About Enrollment Ledger</source>
        <translation>关于参保台账</translation>
    </message>
    <message>
        <source>Enrollment Ledger %1

Ledger file: %2</source>
        <translation>参保台账 %1

台账文件：%2</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <source>Edit member</source>
        <translation>修改成员信息</translation>
    </message>
    <message>
        <source>Add a member to household %1</source>
        <translation>为户%1添加成员</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
</context>
<context>
    <name>MergeChoosePage</name>
    <message>
        <source>Choose the file a village doctor brought back, and its password. You will see everything it would change, and every conflict, before anything is written.</source>
        <translation>请选择村医交回的文件，并输入密码。写入之前会先列出它要做的全部修改和每一处冲突。</translation>
    </message>
    <message>
        <source>Return file</source>
        <translation>交回的文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge two records of %1</source>
        <translation>合并%1的两条记录</translation>
    </message>
    <message>
        <source>ID number of the other record</source>
        <translation>另一条记录的身份证号</translation>
    </message>
    <message>
        <source>This record (%1)</source>
        <translation>这一条（%1）</translation>
    </message>
    <message>
        <source>The other record</source>
        <translation>另一条</translation>
    </message>
    <message>
        <source>why, e.g. entered twice</source>
        <translation>原因，例如同一人登记了两次</translation>
    </message>
    <message>
        <source>Other record</source>
        <translation>另一条记录</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The record not kept is deleted: its payments, categories and years move to the one kept (a year both have counts the payments of both), and every field of it stays in the audit trail.</source>
        <translation>不保留的那条记录会被删除：它的缴费、资助类别和各年度登记并入保留的记录（两条都有的年度，缴费合计），它的全部内容留在操作日志里。</translation>
    </message>
    <message>
        <source>Nobody in the ledger has this ID number.</source>
        <translation>台账里没有人用这个身份证号。</translation>
    </message>
    <message>
        <source>Type the ID number of the other record of this person.</source>
        <translation>请填写此人另一条记录的身份证号。</translation>
    </message>
    <message>
        <source>That is this same record.</source>
        <translation>这就是同一条记录。</translation>
    </message>
    <message>
        <source>Merge a village&apos;s returned work package</source>
        <translation>合并村里交回的工作包</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>合并(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Preview &gt;</source>
        <translation>预览(&amp;P) &gt;</translation>
    </message>
    <message>
        <source>Choose the return file and enter its password.</source>
        <translation>请选择交回的文件并输入密码。</translation>
    </message>
    <message>
        <source>Reading the return file…</source>
        <translation>正在读取交回的文件…</translation>
    </message>
    <message>
        <source>Nothing is written before “Merge”.</source>
        <translation>点“合并”之前不会写入任何内容。</translation>
    </message>
    <message>
        <source>Choose for each conflict whose value to keep (%1 left), or keep one side for all.</source>
        <translation>请为每一处冲突选择保留哪一方的值（还有%1处），或全部以一方为准。</translation>
    </message>
    <message>
        <source>Merging…</source>
        <translation>正在合并…</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <source>Merged package %1. Written: %2. Left as they were: %3.</source>
        <translation>工作包%1已合并。写入：%2。保持原样：%3项。</translation>
    </message>
</context>
<context>
    <name>MergePreviewPage</name>
    <message>
        <source>Keep the &amp;township&apos;s for all</source>
        <translation>全部以乡镇为准(&amp;T)</translation>
    </message>
    <message>
        <source>Keep the &amp;village&apos;s for all</source>
        <translation>全部以村里为准(&amp;V)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>payments</source>
        <translation>笔缴费</translation>
    </message>
    <message>
        <source>reversals</source>
        <translation>笔冲正</translation>
    </message>
    <message>
        <source>statuses</source>
        <translation>个参保状态</translation>
    </message>
    <message>
        <source>new persons</source>
        <translation>名新增人员</translation>
    </message>
    <message>
        <source>edits</source>
        <translation>处信息修改</translation>
    </message>
    <message>
        <source>new households</source>
        <translation>个新增户</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>冲正</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>新增人员</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>信息修改</translation>
    </message>
    <message>
        <source>New household</source>
        <translation>新增户</translation>
    </message>
    <message>
        <source>Returned by %1 on %2 from %3 · %4</source>
        <translation>%1于%2交回 · %3 · %4年度</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1%2</translation>
    </message>
    <message>
        <source>%1 conflicts</source>
        <translation>%1处冲突</translation>
    </message>
    <message>
        <source>This return was merged before: merging it again changes nothing.</source>
        <translation>这个文件以前已经合并过：再合并一次不会有任何改变。</translation>
    </message>
    <message>
        <source>In conflict: see the Conflicts tab</source>
        <translation>有冲突：请看“冲突”页</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>冲突（%1）</translation>
    </message>
    <message>
        <source>Changes (%1)</source>
        <translation>全部修改（%1）</translation>
    </message>
    <message>
        <source>%1 conflicts left to choose</source>
        <translation>还有%1处冲突没有选择</translation>
    </message>
    <message>
        <source>Every conflict has its choice.</source>
        <translation>每一处冲突都已选择。</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>¥%1</source>
        <translation>%1元</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <source>Move %1 to another household</source>
        <translation>将%1迁入其他户</translation>
    </message>
    <message>
        <source>household no. or head&apos;s name</source>
        <translation>户编号或户主姓名</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>户</translation>
    </message>
    <message>
        <source>Relation there</source>
        <translation>在新户中的关系</translation>
    </message>
    <message>
        <source>Find and choose the household first.</source>
        <translation>请先查找并选中要迁入的户。</translation>
    </message>
</context>
<context>
    <name>NextYearPolicyDialog</name>
    <message>
        <source>Full subsidy</source>
        <translation>全额资助</translation>
    </message>
    <message>
        <source>Fixed amount</source>
        <translation>定额资助</translation>
    </message>
    <message>
        <source>Share of the standard</source>
        <translation>按比例资助</translation>
    </message>
    <message>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>Next year&apos;s policy</source>
        <translation>下一年度政策</translation>
    </message>
    <message>
        <source>the national notice and its number, e.g. 医保发〔2025〕…号</source>
        <translation>国家年度通知及文号，例如 医保发〔2025〕…号</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Policy document</source>
        <translation>政策依据文件</translation>
    </message>
    <message>
        <source>Personal contribution (yuan)</source>
        <translation>个人缴费标准（元）</translation>
    </message>
    <message>
        <source>Collection period from</source>
        <translation>集中征缴期自</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资助类别</translation>
    </message>
    <message>
        <source>Subsidy</source>
        <translation>资助方式</translation>
    </message>
    <message>
        <source>Amount or share</source>
        <translation>金额或比例</translation>
    </message>
    <message>
        <source>Categories and their subsidy</source>
        <translation>资助类别及资助方式</translation>
    </message>
    <message>
        <source>Fixed waiting period (months)</source>
        <translation>固定等待期（月）</translation>
    </message>
    <message>
        <source>Extra months per year of break beyond the first</source>
        <translation>断保超过1年的，每多断1年增加（月）</translation>
    </message>
    <message>
        <source>Months repaired per year paid back</source>
        <translation>每补缴1年减少（月）</translation>
    </message>
    <message>
        <source>After a break of this many years…</source>
        <translation>断保达到（年）…</translation>
    </message>
    <message>
        <source>…the waiting period stays at least (months)</source>
        <translation>…补缴后等待期仍不少于（月）</translation>
    </message>
    <message>
        <source>Waiting periods</source>
        <translation>待遇等待期</translation>
    </message>
    <message>
        <source>Copied from the policy of %1; change what the new year&apos;s notice changes.</source>
        <translation>已照%1年度政策填好，请按新年度通知修改有变化的项。</translation>
    </message>
    <message>
        <source>Name the national document this year&apos;s policy follows (the notice and its number).</source>
        <translation>请填写本年度政策依据的文件（通知名称及文号）。</translation>
    </message>
    <message>
        <source>The policy of %1 is loaded already. Replace it with this one?</source>
        <translation>%1年度政策已经载入。要用这份替换吗？</translation>
    </message>
</context>
<context>
    <name>NoticeBatchDialog</name>
    <message>
        <source>Print payment notices</source>
        <translation>打印缴费告知单</translation>
    </message>
    <message>
        <source>Only households that still owe money</source>
        <translation>只打印还有未缴费人员的户</translation>
    </message>
    <message>
        <source>Save PDF as</source>
        <translation>PDF保存为</translation>
    </message>
    <message>
        <source>&amp;Print to PDF</source>
        <translation>打印为PDF(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Open PDF</source>
        <translation>打开PDF(&amp;O)</translation>
    </message>
    <message>
        <source>No year has a policy yet: nothing to print.</source>
        <translation>还没有任何年度的政策，没有可打印的告知单。</translation>
    </message>
    <message>
        <source>Printing %1…</source>
        <translation>正在打印 %1…</translation>
    </message>
    <message>
        <source>Notice %1 of %2</source>
        <translation>第%1份，共%2份</translation>
    </message>
    <message>
        <source>No household to print.</source>
        <translation>没有需要打印的户。</translation>
    </message>
    <message>
        <source>Written: %1 (%2 notices, %3 pages)</source>
        <translation>已生成：%1（%2份告知单，共%3页）</translation>
    </message>
    <message>
        <source>Save the notices as</source>
        <translation>告知单保存为</translation>
    </message>
    <message>
        <source>Not printed: %1</source>
        <translation>没有打印：%1</translation>
    </message>
</context>
<context>
    <name>OpenPackageDialog</name>
    <message>
        <source>Open a work package</source>
        <extracomment>The window&apos;s actions and the services&apos; name of each (as :func:`access.require_admin` is asked): those the services keep to the township&apos;s ledger are disabled in a work copy.</extracomment>
        <translation>打开工作包</translation>
    </message>
    <message>
        <source>The township gave you a work package file (….ledgerpack) and a password or a pairing code on paper. Opening it makes this laptop&apos;s work copy of your villages.</source>
        <translation>乡镇给了您一个工作包文件（….ledgerpack）和一个密码或写在纸上的配对码。打开后，这台电脑上就有了本村的工作副本。</translation>
    </message>
    <message>
        <source>password or pairing code</source>
        <translation>密码或配对码</translation>
    </message>
    <message>
        <source>Package file</source>
        <translation>工作包文件</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Choose the package file and enter its password or pairing code.</source>
        <translation>请选择工作包文件，并输入密码或配对码。</translation>
    </message>
</context>
<context>
    <name>Operation</name>
    <message>
        <source>Could not finish</source>
        <translation>未能完成</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>程序出了意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that the program did not expect, and this work was not finished. Please pass the details below to whoever looks after the program.</source>
        <translation>程序遇到了没有预料到的问题，这项工作没有完成。请把下面的详细信息转给负责维护本程序的人。</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <source>Operators</source>
        <translation>操作员管理</translation>
    </message>
    <message>
        <source>Clerk (payments and edits in their villages)</source>
        <translation>经办员（负责村的缴费和修改）</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>添加操作员</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <source>Stop / restart account</source>
        <translation>停用/启用账号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Villages</source>
        <translation>负责的村</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Stop account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Stop the account of %1? %1 can no longer log in until an administrator restarts the account.</source>
        <translation>停用%1的账号吗？停用后%1不能再登录，直到管理员重新启用。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>New password for %1</source>
        <translation>%1的新密码</translation>
    </message>
</context>
<context>
    <name>PairingCodeDialog</name>
    <message>
        <source>Pairing code</source>
        <translation>配对码</translation>
    </message>
    <message>
        <source>Copy this code onto paper and give it to the village doctor with the package %1. Without it the package cannot be opened; it is not shown again.</source>
        <translation>请把这个配对码抄在纸上，和工作包%1一起交给村医。没有它打不开工作包；关闭后不再显示。</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Record a payment</source>
        <translation>登记缴费</translation>
    </message>
    <message>
        <source>Household %1 — unpaid members: %2</source>
        <translation>户%1——未缴费成员：%2</translation>
    </message>
    <message>
        <source>%1 pays: %2</source>
        <translation>%1缴费：%2</translation>
    </message>
    <message>
        <source>receipt or tax voucher number</source>
        <translation>收据号或税票号</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>缴费渠道</translation>
    </message>
    <message>
        <source>Voucher no.</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Date paid</source>
        <translation>缴费日期</translation>
    </message>
    <message>
        <source>The amount must be money, like 180 or 180.50.</source>
        <translation>金额要写成钱数，例如180或180.50。</translation>
    </message>
    <message>
        <source>This person is exempt (fully subsidised) and has nothing to pay; record the payment anyway?</source>
        <translation>此人免征代缴，无需缴费；仍要登记吗？</translation>
    </message>
</context>
<context>
    <name>PaymentHistoryDialog</name>
    <message>
        <source>Payments of %1</source>
        <translation>%1的缴费记录</translation>
    </message>
    <message>
        <source>Reverse the selected payment…</source>
        <translation>冲正选中的缴费…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>缴费渠道</translation>
    </message>
    <message>
        <source>Voucher</source>
        <translation>凭证号</translation>
    </message>
    <message>
        <source>Reversal of</source>
        <translation>冲正的记录</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Choose the payment to reverse.</source>
        <translation>请选择要冲正的缴费记录。</translation>
    </message>
    <message>
        <source>Reverse a payment</source>
        <translation>冲正缴费</translation>
    </message>
    <message>
        <source>Why is it wrong?</source>
        <translation>为什么要冲正？</translation>
    </message>
</context>
<context>
    <name>PersonList</name>
    <message>
        <source>&amp;Copy rows</source>
        <extracomment>the person list&apos;s default layout: the columns a clerk reads first (name, ID, status, what is still owed, phone) fit a 1366-pixel screen beside the village list and the household panel Count a capped list exactly in the background after each new query (tests of the capped state turn it off to look at &quot;至少…人&quot; before the count lands)</extracomment>
        <translation>复制选中的行(&amp;C)</translation>
    </message>
    <message>
        <source>Count all</source>
        <translation>全部计数</translation>
    </message>
    <message>
        <source>Count every person this list finds; the window stays usable meanwhile</source>
        <translation>统计此列表找到的全部人数；统计期间窗口照常可用</translation>
    </message>
    <message>
        <source>%1 persons shown</source>
        <translation>显示%1人</translation>
    </message>
    <message>
        <source>At least %1 persons</source>
        <translation>至少%1人</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在计数…</translation>
    </message>
    <message>
        <source>Selected %1 of the rows shown so far (the list has more) · due %2 · paid %3 · owed %4</source>
        <translation>已选 %1 人（只是已显示的行，名单还有更多）· 应缴 %2 · 已缴 %3 · 尚欠 %4</translation>
    </message>
    <message>
        <source>Selected %1 · due %2 · paid %3 · owed %4</source>
        <translation>已选 %1 人 · 应缴 %2 · 已缴 %3 · 尚欠 %4</translation>
    </message>
    <message>
        <source>Copied the first %1 of %2 rows; export the list to have them all.</source>
        <translation>只复制了%2行中的前%1行；要全部，请导出名单。</translation>
    </message>
    <message>
        <source>Copied %1 rows, those shown so far: the list has more; export the list to have them all.</source>
        <translation>已复制已显示的%1行，名单还有更多；要全部，请导出名单。</translation>
    </message>
    <message>
        <source>Copied %1 rows: paste them into WPS or Excel.</source>
        <translation>已复制%1行，可粘贴到WPS或Excel。</translation>
    </message>
</context>
<context>
    <name>PersonTableModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
    </message>
    <message>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资助类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>尚欠金额</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>个人应缴</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴金额</translation>
    </message>
</context>
<context>
    <name>PolicyDialog</name>
    <message>
        <source>Policy of the year</source>
        <translation>年度政策</translation>
    </message>
    <message>
        <source>Load a policy file…</source>
        <translation>载入政策文件…</translation>
    </message>
    <message>
        <source>Next year&apos;s policy…</source>
        <translation>下一年度政策…</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>资助类别</translation>
    </message>
    <message>
        <source>Subsidy rule</source>
        <translation>资助规则</translation>
    </message>
    <message>
        <source>Subsidy</source>
        <translation>资助金额</translation>
    </message>
    <message>
        <source>Personal due</source>
        <translation>个人应缴</translation>
    </message>
    <message>
        <source>Collection mode</source>
        <translation>征缴方式</translation>
    </message>
    <message>
        <source>No policy loaded yet. Load the year&apos;s policy file.</source>
        <translation>还没有载入这一年度的政策，请载入年度政策文件。</translation>
    </message>
    <message>
        <source>Standard personal contribution %1 per person; collection period %2 to %3</source>
        <translation>个人缴费标准每人%1；集中征缴期 %2 至 %3</translation>
    </message>
    <message>
        <source>Policy file</source>
        <translation>政策文件</translation>
    </message>
    <message>
        <source>Policy files (*.toml)</source>
        <translation>政策文件 (*.toml)</translation>
    </message>
    <message>
        <source>Policy loaded with a warning</source>
        <translation>政策已载入，但有需要注意的地方</translation>
    </message>
    <message>
        <source>Policy file refused</source>
        <translation>政策文件有误，未载入</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>Cannot write to the printer or the PDF file.</source>
        <translation>无法写入打印机或PDF文件。</translation>
    </message>
    <message>
        <source>Page %1 of %2</source>
        <translation>第%1页，共%2页</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <source>Print notice</source>
        <translation>打印缴费告知单</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RefreshDialog</name>
    <message>
        <source>Update from a newer package</source>
        <translation>用新工作包更新</translation>
    </message>
    <message>
        <source>the new package&apos;s password or pairing code</source>
        <translation>新工作包的密码或配对码</translation>
    </message>
    <message>
        <source>The township&apos;s newer package replaces what this copy was based on; what was typed here and not yet returned is kept on top of it.</source>
        <translation>乡镇新派发的工作包会替换本副本原来依据的台账；在这里录入、还没交回的内容都会保留。</translation>
    </message>
    <message>
        <source>Package file</source>
        <translation>工作包文件</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>更新(&amp;U)</translation>
    </message>
    <message>
        <source>Choose the package file and enter its password.</source>
        <translation>请选择工作包文件并输入密码。</translation>
    </message>
    <message>
        <source>Updating the work copy…</source>
        <translation>正在更新工作副本…</translation>
    </message>
    <message>
        <source>Updated. What was typed here and not yet returned is kept. Now: %1</source>
        <translation>已更新，在这里录入、还没交回的内容都已保留。现在是：%1</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund paid out to %1</source>
        <translation>登记给%1的退款</translation>
    </message>
    <message>
        <source>e.g. identified as 低保 after paying</source>
        <translation>例如缴费后认定为低保</translation>
    </message>
    <message>
        <source>Refund owed</source>
        <translation>应退金额</translation>
    </message>
    <message>
        <source>Paid out by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Date paid out</source>
        <translation>退款日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>RemovePersonDialog</name>
    <message>
        <source>Remove %1 entered by mistake</source>
        <translation>删除误录的%1</translation>
    </message>
    <message>
        <source>why, e.g. not a member of this household</source>
        <translation>原因，例如不是本户成员</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>A person with payments cannot be removed: reverse them first, or merge when the person was entered twice. Everything about the person stays in the audit trail.</source>
        <translation>有缴费记录的人不能删除：请先冲正；同一人登记了两次的，请用“合并”。此人的全部内容都留在操作日志里。</translation>
    </message>
    <message>
        <source>Write why the person is removed.</source>
        <translation>请写明删除的原因。</translation>
    </message>
    <message>
        <source>Remove %1 from the ledger?</source>
        <translation>从台账中删除%1吗？</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Check the copy</source>
        <translation>检查备份</translation>
    </message>
    <message>
        <source>Replace the ledger with it</source>
        <translation>用它替换当前台账</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>Password (if encrypted)</source>
        <translation>密码（加密的备份才需要）</translation>
    </message>
    <message>
        <source>The copy is sound: %1, %2 persons in %3 households, years %4; last change %5.</source>
        <translation>备份完好：%1，%3户%2人，年度%4，最后修改于%5。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Replace the ledger with this copy? The ledger now in use is kept as a backup.</source>
        <translation>用这个备份替换当前台账吗？当前台账会另存为一份备份。</translation>
    </message>
    <message>
        <source>Restored. The replaced ledger was kept as %1</source>
        <translation>已恢复。被替换的台账已保存为 %1</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return the work package</source>
        <translation>交回工作包</translation>
    </message>
    <message>
        <source>the township enters it to merge (the package&apos;s own is simplest)</source>
        <translation>乡镇合并时要输入（用工作包原来的密码最简单）</translation>
    </message>
    <message>
        <source>The changes made here since the package (%1) are written to one file for the township. Nothing here is changed.</source>
        <translation>把收到工作包（%1）以来在这里做的修改写成一个文件交给乡镇。这里的内容不会改变。</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>&amp;Write the return file</source>
        <translation>生成交回文件(&amp;W)</translation>
    </message>
    <message>
        <source>Save the return file as</source>
        <translation>交回文件保存为</translation>
    </message>
    <message>
        <source>Choose where to save the file and enter the password.</source>
        <translation>请选择文件保存的位置并输入密码。</translation>
    </message>
    <message>
        <source>Writing the return file…</source>
        <translation>正在生成交回文件…</translation>
    </message>
    <message>
        <source>Return file written: %1 (%2 changes). Take it to the township.</source>
        <translation>交回文件已生成：%1（%2处修改）。请把它交给乡镇。</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Connect to the office server</source>
        <translation>连接单位服务器</translation>
    </message>
    <message>
        <source>Several clerks of a township office or a county work in one ledger on a server. Its administrator gives you the address, the database, your user name and password.</source>
        <translation>乡镇办公室或县里的几位经办人在服务器上共用一个台账。服务器地址、数据库、您的用户名和密码由服务器管理员提供。</translation>
    </message>
    <message>
        <source>e.g. 10.0.0.5</source>
        <translation>例如 10.0.0.5</translation>
    </message>
    <message>
        <source>e.g. county</source>
        <translation>例如 county</translation>
    </message>
    <message>
        <source>e.g. ledger</source>
        <translation>例如 ledger</translation>
    </message>
    <message>
        <source>e.g. %1</source>
        <translation>例如 %1</translation>
    </message>
    <message>
        <source>not saved; empty when it is in your .pgpass file</source>
        <translation>不会保存；已写在 .pgpass 文件里时可以不填</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>or the address as a URL</source>
        <translation>或整个地址（URL）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>A server address as a URL begins with postgresql://</source>
        <translation>服务器地址（URL）要以 postgresql:// 开头</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address and the database (or the whole address as a URL).</source>
        <translation>请填写服务器地址和数据库（或者填写整个地址 URL）。</translation>
    </message>
    <message>
        <source>Connect to the office &amp;server…</source>
        <translation>连接单位服务器(&amp;S)…</translation>
    </message>
    <message>
        <source>This computer&apos;s ledger &amp;file</source>
        <translation>本机的台账文件(&amp;F)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>9 digits, e.g. 431199101</source>
        <translation>9位数字，例如431199101</translation>
    </message>
    <message>
        <source>The newest year</source>
        <translation>最新年度</translation>
    </message>
    <message>
        <source>e.g. 0731-84123456 or 13812345678</source>
        <translation>如 0731-84123456 或 13812345678</translation>
    </message>
    <message>
        <source>Only an administrator can change the township, its code, the default year and the phone on the notices.</source>
        <translation>乡镇名称、乡镇代码、默认年度和告知单上的咨询电话只有管理员可以修改。</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>乡镇(街道)</translation>
    </message>
    <message>
        <source>Township code</source>
        <translation>乡镇代码</translation>
    </message>
    <message>
        <source>Default year</source>
        <translation>默认年度</translation>
    </message>
    <message>
        <source>Phone on payment notices (咨询电话)</source>
        <translation>告知单咨询电话</translation>
    </message>
    <message>
        <source>Language (after restart)</source>
        <translation>界面语言（重启后生效）</translation>
    </message>
    <message>
        <source>Ledger file</source>
        <translation>台账文件</translation>
    </message>
</context>
<context>
    <name>StandardLabel</name>
    <message>
        <source>No %1 policy was loaded: charges use the program&apos;s national default for %1 (personal contribution %2 yuan). Load the county&apos;s policy file for its own amounts.</source>
        <translation>%1年度没有载入政策：按程序自带的%1年度全国默认政策计算应缴金额（个人缴费标准%2元）。要用本县的金额，请先载入本县的政策文件。</translation>
    </message>
    <message>
        <source>Charges use the %1 policy loaded in the ledger (personal contribution %2 yuan).</source>
        <translation>按台账里已载入的%1年度政策计算应缴金额（个人缴费标准%2元）。</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Unpaid</source>
        <translation>未缴费</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>已缴费</translation>
    </message>
    <message>
        <source>Fully subsidised</source>
        <translation>全额资助代缴</translation>
    </message>
    <message>
        <source>Employee insurance</source>
        <translation>参加职工医保</translation>
    </message>
    <message>
        <source>Insured elsewhere</source>
        <translation>异地参保</translation>
    </message>
    <message>
        <source>Deceased</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>Moved away</source>
        <translation>迁出</translation>
    </message>
    <message>
        <source>Military service</source>
        <translation>服兵役</translation>
    </message>
    <message>
        <source>Other, need not enrol</source>
        <translation>其他不需参保</translation>
    </message>
    <message>
        <source>Not registered this year</source>
        <translation>本年度未登记</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>Status of %1 in %2</source>
        <translation>%1的%2年度参保状态</translation>
    </message>
    <message>
        <source>Follows the payment (unpaid / paid / fully subsidised)</source>
        <translation>按缴费情况自动确定（未缴费/已缴费/全额资助）</translation>
    </message>
    <message>
        <source>reason, e.g. the employer, the place, the date</source>
        <translation>原因，例如工作单位、参保地、日期</translation>
    </message>
    <message>
        <source>Recorded in %1 and carried into %2: confirm it for %2, or clear it.</source>
        <translation>%1年登记，已沿用到%2年：请确认%2年仍是这样，或清除。</translation>
    </message>
    <message>
        <source>Confirm for %1</source>
        <translation>确认%1年仍是这样</translation>
    </message>
    <message>
        <source>Clear this status</source>
        <translation>清除这个参保状态</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ToConfirmTab</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>Household no.</source>
        <translation>户编号</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>户主姓名</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Recorded in</source>
        <translation>登记年度</translation>
    </message>
    <message>
        <source>Confirm for %1</source>
        <translation>确认%1年仍是这样</translation>
    </message>
    <message>
        <source>Clear status</source>
        <translation>清除参保状态</translation>
    </message>
    <message>
        <source>Choose one or more persons in the list first.</source>
        <translation>请先在名单里选中一人或几人。</translation>
    </message>
</context>
<context>
    <name>VillageList</name>
    <message>
        <source>All villages (%1 households)</source>
        <translation>全部村（%1户）</translation>
    </message>
    <message>
        <source>%1 (%2 households, %3 persons)</source>
        <translation>%1（%2户，%3人）</translation>
    </message>
    <message>
        <source>enrolled %1</source>
        <translation>参保率 %1</translation>
    </message>
    <message>
        <source>Below the %1% target</source>
        <translation>低于%1%的目标</translation>
    </message>
</context>
<context>
    <name>VillagePicker</name>
    <message>
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
</context>
<context>
    <name>WorkCopy</name>
    <message>
        <source>Not in a village work copy: %1 is done on the township&apos;s ledger.</source>
        <translation>村级工作副本里不能%1：这要在乡镇的台账上做。</translation>
    </message>
    <message>
        <source>What is changed here goes back to the township as a return file (Ledger → Return the work package…).</source>
        <translation>在这里做的修改通过交回文件回到乡镇（台账 → 交回工作包…）。</translation>
    </message>
</context>
<context>
    <name>WorkbookJobDialog</name>
    <message>
        <source>All %1 rows written; finishing the file…</source>
        <translation>%1 行已全部写入，正在完成文件…</translation>
    </message>
    <message>
        <source>Row %1 of %2</source>
        <translation>正在写入第 %1 行，共 %2 行</translation>
    </message>
    <message>
        <source>Written: %1 (%2 rows)</source>
        <translation>已导出：%1（%2行）</translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation>未能导出：%1</translation>
    </message>
</context>
<context>
    <name>YearPicker</name>
    <message>
        <source>%1 year</source>
        <translation>%1年度</translation>
    </message>
</context>
<context>
    <name>_FileJobDialog</name>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
</TS>
