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
        <source>&amp;Ledger</source>
        <extracomment>emitted on the UI thread when background demo generation has been written and shown</extracomment>
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
</TS>
