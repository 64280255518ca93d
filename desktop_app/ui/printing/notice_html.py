"""A household's payment notice (缴费告知单) as the HTML that :mod:`.notices` lays out on A4."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from desktop_app.domain.money import format_yuan
from desktop_app.services.notices import Notice, cn_date

_NOTICE_CSS = """
body { font-size: 10.5pt; color: #000000; }
p { margin-top: 0px; margin-bottom: 2px; line-height: 122%; }
.number { font-size: 9pt; }
.title { font-size: 17pt; font-weight: bold; margin-top: 2px; margin-bottom: 6px; }
.sub { font-size: 10pt; margin-bottom: 10px; }
.indent { text-indent: 28px; }
.head { font-size: 11pt; font-weight: bold; margin-top: 8px; margin-bottom: 2px; }
th { font-size: 9pt; font-weight: bold; background-color: #e8e8e8; }
td { font-size: 9pt; }
.owed { font-size: 12pt; font-weight: bold; }
.cut { font-size: 8pt; color: #555555; margin-top: 12px; margin-bottom: 4px; }
.sign { margin-top: 8px; }
"""

_GAP = "&nbsp;" * 4

# the members table: (header, width %, right-aligned)
_MEMBER_COLUMNS = (
    ("序号", 5, False), ("姓名", 9, False), ("关系", 5, False), ("身份证<br>尾号", 9, False),
    ("资助类别", 12, False), ("参保状态", 9, False), ("缴费标准<br>(元)", 9, True),
    ("资助金额<br>(元)", 9, True), ("个人应缴<br>(元)", 9, True), ("征缴方式", 9, False),
    ("备注", 15, False),
)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=False)


def _cells(values: Sequence[str], centre: Sequence[bool] = ()) -> str:
    out = []
    for (_h, _w, right), value, middle in zip(_MEMBER_COLUMNS, values, [*centre, *[False] * 20]):
        align = "right" if right and value not in ("—", "") else ("center" if middle or value == "—" else "left")
        out.append(f'<td align="{align}">{value}</td>')
    return "".join(out)


def notice_html(notice: Notice) -> str:
    """The notice as the HTML that :func:`render_notices` lays out on one A4 page."""
    centre = (True, False, True, True, False, True, False, False, False, True)
    rows = []
    for index, m in enumerate(notice.members, start=1):
        if m.collected:
            money = [format_yuan(m.standard_fen), format_yuan(m.subsidy_fen), format_yuan(m.due_fen)]
        else:
            money = ["—"] * 3
        values = [str(index), _e(m.name), _e(m.relation), _e(m.id_tail), _e(m.categories), _e(m.status_name),
                  *money, _e(m.mode_name or "—"), _e(m.remark)]
        rows.append(f"<tr>{_cells(values, centre)}</tr>")
    subsidy = sum(m.subsidy_fen for m in notice.members if m.collected)
    rows.append(
        '<tr><td colspan="6" align="center"><b>合&nbsp;&nbsp;计</b></td><td></td>'
        f'<td align="right"><b>{format_yuan(subsidy)}</b></td>'
        f'<td align="right"><b>{format_yuan(notice.total_due_fen)}</b></td><td colspan="2"></td></tr>'
    )
    head = "".join(f'<th width="{w}%" align="center">{h}</th>' for h, w, _r in _MEMBER_COLUMNS)
    newborns = "".join(f'<p class="indent">{_e(n.sentence)}</p>' for n in notice.newborns)
    how = "".join(f'<p class="indent">{_e(line)}</p>' for line in notice.how_to_pay_lines)
    phone = _e(notice.phone) if notice.phone else "______________________"
    summary = _e(notice.summary)
    owed_words = f"还需缴纳{format_yuan(notice.owed_fen)}元"
    if notice.owed_fen:
        summary = summary.replace(owed_words, f'<span class="owed">{owed_words}</span>')
    place = _GAP.join(_e(p) for p in (notice.township + notice.village, f"户主：{notice.head_name}",
                                       f"住址：{notice.address}") if p)
    return f"""<html><head><style>{_NOTICE_CSS}</style></head><body>
<p class="number" align="right">户编号：{_e(notice.household_number)}</p>
<p class="title" align="center">{_e(notice.title)}</p>
<p class="sub" align="center">{place}</p>
<p><b>{_e(notice.addressee)}</b></p>
<p class="indent">{_e(notice.intro)}</p>
<table width="100%" border="1" cellspacing="0" cellpadding="3" style="border-collapse: collapse; border-color: #000000; margin-top: 4px; margin-bottom: 6px;">
<thead><tr>{head}</tr></thead>
{''.join(rows)}
</table>
<p class="indent">{summary}</p>
<p class="head">一、缴费期限</p>
<p class="indent">{_e(notice.deadline_sentence)}</p>
{newborns}
<p class="head">二、缴费方式</p>
{how}
<p class="head">三、咨询电话：<span style="font-weight: normal;">{phone}{_GAP}（对家庭成员、资助类别或金额有疑问的，请与村委会或乡镇医保经办人员联系核实。）</span></p>
<p align="right" class="sign">{_e(notice.issuer)}<br>{_e(cn_date(notice.issued_on))}</p>
<p class="cut" align="center">{"- " * 30}请沿此线剪下，回执交村委会{" -" * 30}</p>
<p align="center"><b>回&nbsp;&nbsp;执</b></p>
<p class="indent">户编号{_e(notice.household_number)}，户主{_e(notice.head_name)}：本户已收到{_e(notice.title)}，
知悉全户{notice.year}年度个人应缴{format_yuan(notice.total_due_fen)}元，还需缴纳{format_yuan(notice.owed_fen)}元。</p>
<p class="sign">户主（家庭成员）签字：________________{_GAP}联系电话：________________{_GAP}送达人：____________</p>
<p class="sign" align="right">日期：________年______月______日</p>
</body></html>"""
