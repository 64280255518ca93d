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
