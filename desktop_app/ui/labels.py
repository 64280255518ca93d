"""Display names of the ledger's codes, through Qt's translation (zh_CN gives DOMAIN.md's words)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_app.domain.money import format_yuan
from desktop_app.ui.text import fill


def status_label(code: str | None) -> str:
    labels = {
        "unpaid": QCoreApplication.translate("Status", "Unpaid"),
        "paid": QCoreApplication.translate("Status", "Paid"),
        "exempt": QCoreApplication.translate("Status", "Fully subsidised"),
        "employee": QCoreApplication.translate("Status", "Employee insurance"),
        "elsewhere": QCoreApplication.translate("Status", "Insured elsewhere"),
        "deceased": QCoreApplication.translate("Status", "Deceased"),
        "moved": QCoreApplication.translate("Status", "Moved away"),
        "military": QCoreApplication.translate("Status", "Military service"),
        "other": QCoreApplication.translate("Status", "Other, need not enrol"),
    }
    if code is None:
        return QCoreApplication.translate("Status", "Not registered this year")
    return labels.get(code, code)


def mode_label(code: str) -> str:
    return {
        "exempt": QCoreApplication.translate("CollectionMode", "Exempt, paid by the fund"),
        "difference": QCoreApplication.translate("CollectionMode", "Collect the difference"),
        "ordinary": QCoreApplication.translate("CollectionMode", "Ordinary collection"),
    }.get(code, code)


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and the unit: 18000 -> '180.00元' (English: '¥180.00')."""
    return fill(QCoreApplication.translate("Money", "¥%1"), format_yuan(fen))
