<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Cannot open the ledger</source>
        <translation>无法打开台账</translation>
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
        <source>All villages</source>
        <translation>全部村</translation>
    </message>
    <message>
        <source>Hide the middle of ID numbers and phones (for sharing outside the office)</source>
        <translation>隐藏身份证号和电话的中间几位（发给外单位时使用）</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>选择(&amp;C)…</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>报表</translation>
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
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>打开所在文件夹(&amp;O)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>(masked)</source>
        <translation>（已隐藏）</translation>
    </message>
    <message>
        <source>Save the table as</source>
        <translation>报表保存为</translation>
    </message>
    <message>
        <source>No year has a policy yet: nothing to export.</source>
        <translation>还没有任何年度的政策，没有可导出的数据。</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>正在写入 %1…</translation>
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
    <name>HouseholdPanel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与户主关系</translation>
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
        <source>Choose a household on the left</source>
        <translation>请在左边选择一户</translation>
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
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Household no.</source>
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
        <source>Header is in row</source>
        <translation>表头在第几行</translation>
    </message>
    <message>
        <source>Save the rejected rows…</source>
        <translation>保存未导入的行…</translation>
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
        <source>File to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Spreadsheets (%1)</source>
        <translation>表格文件 (%1)</translation>
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
        <source>Category ended</source>
        <translation>取消的类别</translation>
    </message>
    <message>
        <source>Ended (%1)</source>
        <translation>取消（%1）</translation>
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
        <source>Reason</source>
        <translation>原因</translation>
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
        <source>Imported: %1 new, %2 updated; %3 rejected and %4 unmatched rows were not imported.</source>
        <translation>导入完成：新增%1人，更新%2人；%3行被拒绝、%4行未匹配，未导入。</translation>
    </message>
    <message>
        <source>%1 charges recomputed.</source>
        <translation>已重新计算%1人的应缴金额。</translation>
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
    <name>MainWindow</name>
    <message>
        <source>Main</source>
        <extracomment>emitted on the UI thread when background demo generation has been written and shown</extracomment>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Year </source>
        <translation>年度 </translation>
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
        <source>&amp;Ledger</source>
        <translation>台账(&amp;L)</translation>
    </message>
    <message>
        <source>Fill with &amp;demo data…</source>
        <translation>放入演示数据(&amp;D)…</translation>
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
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
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
        <source>All villages (%1 households)</source>
        <translation>全部村（%1户）</translation>
    </message>
    <message>
        <source>%1 (%2 households, %3 persons)</source>
        <translation>%1（%2户，%3人）</translation>
    </message>
    <message>
        <source>%1 year</source>
        <translation>%1年度</translation>
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
        <source>Could not finish</source>
        <translation>未能完成</translation>
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
    <name>Money</name>
    <message>
        <source>¥%1</source>
        <translation>%1元</translation>
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
        <source>Policy file refused</source>
        <translation>政策文件有误，未载入</translation>
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
</TS>
