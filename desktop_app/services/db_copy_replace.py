"""``db copy --replace``: clearing a township from a county database so that its file is copied in again.

A township copied into the county database and then worked on offline (its laptop kept the file,
or it was taken out with ``db copy --township``) comes back different; a plain copy refuses it
(:mod:`desktop_app.services.db_copy`: which side wins is for people to decide). ``--replace`` is
that decision written down: the file wins. Inside the copy's one transaction the township's
households, persons, categories, enrollments and payments are deleted from the database, and
the villages the file no longer holds (made on the server, and empty now); the township's own
region and the villages the file holds stay, ids kept: a county clerk is bound to villages by
their ids (``operator.villages``, no foreign key), and would otherwise be left bound to none.
Then the file's rows are copied in and verified as for a first copy; any refusal rolls the
deletion back too.

**Payments are never deleted in this ledger, only reversed**, and every payment keeps its uid
through every copy. So a payment of the township that the database holds and the file lacks
was recorded on the server after the township came in (a clerk at the county took money): the
replacement would lose it. That is refused, naming how many and whose, unless ``force`` (the
command line's ``--force``) says those payments are to be dropped (each is then written into the
audit entry, so what was dropped stays on record).

Who may: the administrator. In the window that is the logged-in administrator
(:func:`desktop_app.services.access.require_admin`); on the command line, as for ``db copy``
itself, whoever holds the database's password. One audit entry ``replace`` names the township,
what was removed, and any payment dropped by ``force``.
"""

from __future__ import annotations

import sqlite3

from desktop_app.services import access
from desktop_app.services.db_copy_rows import TownshipRows, columns
from desktop_app.store.models import Payment, Region

#: Payments named in a refusal, at most.
SHOWN = 10

_PERSONS_OF_TOWN = ("SELECT x.id FROM person x JOIN household h ON h.id = x.household_id"
                    " JOIN region v ON v.id = h.village_id WHERE v.parent_id = ?")


def hold_tables(conn: object) -> None:
    """PostgreSQL: the township's tables locked against other writers before the payments are
    compared, so that no clerk's payment lands between the comparison and the deletion (readers go
    on; the copy takes the same locks for its inserts in the same order)."""
    if isinstance(conn, sqlite3.Connection):
        return  # one writer at a time already
    for table in ("household", "person", "category_membership", "enrollment", "payment"):
        conn.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')


def lost_payments(conn: object, town_id: int, incoming: TownshipRows) -> list[tuple]:
    """(uid, ID number, name, year, amount_fen, paid_on) of the township's payments on the server
    that the incoming file does not hold: recorded on the server after the copy-in."""
    at = columns(Payment).index("uid")
    theirs = {record[at] for record in incoming.payments}
    rows = conn.execute(
        "SELECT pay.uid, p.id_number, p.name, pay.year, pay.amount_fen, pay.paid_on FROM payment pay"
        f" JOIN person p ON p.id = pay.person_id WHERE pay.person_id IN ({_PERSONS_OF_TOWN}) ORDER BY pay.id",
        (town_id,)).fetchall()
    return [tuple(row) for row in rows if row[0] not in theirs]


def clear_township(conn: object, town_id: int, incoming: TownshipRows) -> dict[str, int]:
    """Delete the township's rows (the caller's transaction); returns how many of each went. Its
    villages that ``incoming`` holds (by code, else by name, as the copy finds them) are kept."""
    access.require_admin("替换县里数据库中的乡镇", table="region", record_id=town_id)
    persons = _PERSONS_OF_TOWN
    removed: dict[str, int] = {}

    def delete(table: str, sql: str) -> None:
        removed[table] = removed.get(table, 0) + conn.execute(sql, (town_id,)).rowcount

    # a reversal names the payment it reverses (RESTRICT): reversals first
    delete("payment", f"DELETE FROM payment WHERE reverses_id IS NOT NULL AND person_id IN ({persons})")
    delete("payment", f"DELETE FROM payment WHERE person_id IN ({persons})")
    delete("enrollment", f"DELETE FROM enrollment WHERE person_id IN ({persons})")
    delete("category_membership", f"DELETE FROM category_membership WHERE person_id IN ({persons})")
    delete("person", f"DELETE FROM person WHERE id IN ({persons})")
    delete("household", "DELETE FROM household WHERE village_id IN"
                        " (SELECT id FROM region WHERE parent_id = ? AND level = 'village')")
    names = columns(Region)
    kept = {(v[names.index("code")] or None, v[names.index("name")]) for v in incoming.villages}
    codes = {code for code, _name in kept if code}  # the copy finds a village by its code, else by name
    uncoded = {name for code, name in kept if not code}
    gone = [vid for vid, code, name in conn.execute(
        "SELECT id, code, name FROM region WHERE parent_id = ? AND level = 'village'", (town_id,)).fetchall()
        if code not in codes and name not in uncoded]  # what the copy would not find again
    for vid in gone:  # made on the server and not in the file: empty now (or still used: kept)
        removed["region"] = removed.get("region", 0) + conn.execute(
            "DELETE FROM region WHERE id = ? AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.village_id = region.id)"
            " AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = region.id)", (vid,)).rowcount
    removed.setdefault("region", 0)
    return removed


def refusal(code: str, target: str, lost: list[tuple]) -> str:
    shown = "；".join(f"{name}（{number}）{year}年度{amount / 100:.2f}元 {paid_on}"
                     for _uid, number, name, year, amount, paid_on in lost[:SHOWN])
    more = f"等{len(lost)}笔" if len(lost) > SHOWN else f"共{len(lost)}笔"
    return (f"“{target}”里乡镇{code}有在服务器上登记、要迁入的文件里没有的缴费：{shown}，{more}。"
            "替换会丢掉这些缴费，所以没有替换，什么都没改。请先把这些缴费也登记到乡镇的台账文件里"
            "（或先用 db copy --township 迁出服务器上的这一份再核对），确实不要它们时再加 --force")
