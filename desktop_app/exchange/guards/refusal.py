"""What every check raises, and the budget of cells a whole file may keep in memory."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.exchange.limits import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
)

MSG_DAMAGED = (
    "文件已损坏或不是Excel表格，无法读取。请用Excel或WPS打开这个文件，"
    "另存为“Excel工作簿(*.xlsx)”后再导入；如果打不开，请向发文件的人重新要一份。"
)
MSG_PASSWORD = "文件设置了打开密码，无法读取。请在Excel或WPS中取消密码、保存后再导入。"
MSG_CRAFTED = (
    "文件内容异常（{what}），不像是Excel或WPS保存的表格，可能已损坏，也可能是恶意文件，"
    "为安全起见不予读取。请向发文件的人重新要一份，或用Excel/WPS打开后另存为新文件再导入。"
)


def msg_too_large(what: str) -> str:
    return (
        f"表格太大，无法一次导入：{what}。"
        "请在Excel或WPS中把它分成几个文件（例如每个村或每10万行一个文件），再分别导入。"
    )


class Refusal(Exception):
    """The file must not be handed to calamine: ``code`` and a Chinese ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def crafted(what: str) -> Refusal:
    return Refusal("damaged", MSG_CRAFTED.format(what=what))


def _cells_text(count: int) -> str:
    return f"约{count / 10_000:,.0f}万个单元格" if count >= 100_000 else f"{count:,}个单元格"


@dataclass
class Budget:
    """Cells the whole file would keep in memory, summed over its sheets."""

    cells: int = 0
    shared: int = 0
    parts: list[str] = field(default_factory=list)

    def add_shared(self, count: int) -> None:
        self.shared += count
        if self.shared > MAX_CELLS:
            raise Refusal("too_large", msg_too_large(
                f"共享字符串表有{_cells_text(self.shared)}，本程序一次最多读取{_cells_text(MAX_CELLS)}"))

    def add_sheet(self, rows: int, columns: int) -> None:
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            where = f"第{rows:,}行" if rows > MAX_ROWS else f"第{columns:,}列"
            raise crafted(f"有单元格位于{where}，超出了Excel表格的最大范围{MAX_ROWS:,}行×{MAX_COLUMNS:,}列")
        self.add(rows * columns, f"{rows:,}行×{columns:,}列")

    def add(self, cells: int, what: str) -> None:
        self.cells += cells
        self.parts.append(what)
        if self.cells > MAX_CELLS:
            raise Refusal(
                "too_large",
                msg_too_large(f"按已用范围计算共有{_cells_text(self.cells)}（{'，'.join(self.parts[-3:])}），"
                              f"本程序一次最多读取{_cells_text(MAX_CELLS)}"),
            )
