"""The ledger's tables as peewee models (DOMAIN.md section 2).

The schema itself is created and changed only by the numbered steps in
``desktop_app.store.migrations``; these classes describe the newest schema for queries.
``tests/store/test_migrations.py`` checks that the two agree column by column.

Money columns end in ``_fen`` and hold whole fen as integers.
"""

from __future__ import annotations

import datetime as dt
import uuid

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

#: Bound to a real ``SqliteDatabase`` by :func:`desktop_app.store.db.open_database`.
db = DatabaseProxy()


def new_uid() -> str:
    """A payment's globally unique id (32 hex digits), the same in every ledger it travels to."""
    return uuid.uuid4().hex


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Setting(BaseModel):
    """Key-value facts about this ledger: township name and code, default year."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class Region(BaseModel):
    """行政区划: county (6 digits), township (9) or village (12), by 统计用区划代码."""

    code = CharField(unique=True, null=True)  # a village typed in by hand may have no code yet
    name = CharField()
    level = CharField()  # "county" | "township" | "village"
    parent = ForeignKeyField(
        "self", null=True, backref="children", on_delete="RESTRICT", index=False
    )  # covered by the (parent, name) index

    class Meta:
        table_name = "region"
        indexes = ((("parent", "name"), True),)


class Household(BaseModel):
    """户: household number unique in the ledger, village, head of household, address.

    ``head_id_number`` is the head's ID when a county file keys the household by it
    (户主身份证号): a lookup key only, never printed; the number is the household's own."""

    number = CharField(unique=True)
    head_id_number = CharField(null=True, unique=True)
    village = ForeignKeyField(Region, backref="households", on_delete="RESTRICT")
    head_name = CharField(default="")
    address = CharField(default="")
    created_at = DateTimeField(default=_now)
    # added by migration 9: bumped by the database on every update (a stale edit is refused)
    row_version = IntegerField(default=0)

    class Meta:
        table_name = "household"


class Person(BaseModel):
    """人员: ID number unique; sex and birth date derived from it."""

    id_number = CharField(unique=True)
    name = CharField(index=True)
    sex = CharField()  # "M" | "F"
    birth_date = DateField()
    relation = CharField(default="")  # 与户主关系
    phone = CharField(default="")
    household = ForeignKeyField(Household, backref="members", index=True, on_delete="RESTRICT")
    note = TextField(default="")
    created_at = DateTimeField(default=_now)
    updated_at = DateTimeField(default=_now)
    # added by migration 2: 拼音首字母 for search as you type ("zs" finds 张三)
    name_initials = CharField(default="", index=True)
    # added by migration 9: bumped by the database on every update (a stale edit is refused)
    row_version = IntegerField(default=0)

    class Meta:
        table_name = "person"


class CategoryMembership(BaseModel):
    """资助身份: a person's category in a year, with the county list it came from."""

    person = ForeignKeyField(Person, backref="categories", on_delete="CASCADE", index=False)
    year = IntegerField()
    category = CharField()  # code, e.g. "dibao"
    source = CharField(default="")
    identified_on = DateField(null=True)
    ended_on = DateField(null=True)

    class Meta:
        table_name = "category_membership"
        indexes = (
            (("person", "year", "category"), True),
            (("year", "category"), False),
        )


class PolicyYear(BaseModel):
    """年度政策: the standard, the collection period and the waiting-period numbers of a year."""

    year = IntegerField(primary_key=True)
    standard_fen = IntegerField()
    collection_start = DateField()
    collection_end = DateField()
    waiting_fixed_months = IntegerField(default=3)
    waiting_months_per_break_year = IntegerField(default=1)
    waiting_months_repaid_per_year = IntegerField(default=1)
    waiting_floor_after_years = IntegerField(default=4)
    waiting_floor_months = IntegerField(default=6)
    waiting_exempt_categories = TextField(default="")  # comma-separated codes
    source_text = TextField(default="")  # the TOML file as loaded
    loaded_at = DateTimeField(default=_now)

    class Meta:
        table_name = "policy_year"


class CategoryRule(BaseModel):
    """A category's subsidy rule in a policy year: ``full``, ``fixed`` amount or ``ratio``."""

    policy = ForeignKeyField(
        PolicyYear, backref="rules", column_name="year", on_delete="CASCADE", index=False
    )
    code = CharField()
    name = CharField()
    mode = CharField()  # "full" | "fixed" | "ratio"
    amount_fen = IntegerField(null=True)
    percent = IntegerField(null=True)
    position = IntegerField(default=0)

    class Meta:
        table_name = "category_rule"
        indexes = ((("policy", "code"), True),)


class Enrollment(BaseModel):
    """参保登记: a person in a year, with status, applied category and the computed charge.

    ``village`` is where the person was counted that year, so that a later move does not
    rewrite last year's village figures.
    """

    person = ForeignKeyField(Person, backref="enrollments", on_delete="CASCADE", index=False)
    year = IntegerField()
    village = ForeignKeyField(Region, on_delete="RESTRICT", index=False)
    status = CharField(default="unpaid")
    status_reason = CharField(default="")
    applied_category = CharField(null=True)
    standard_fen = IntegerField(default=0)
    subsidy_fen = IntegerField(default=0)
    due_fen = IntegerField(default=0)
    paid_fen = IntegerField(default=0)
    collection_mode = CharField(default="ordinary")
    enrolled_on = DateField(null=True)
    paid_on = DateField(null=True)
    updated_at = DateTimeField(default=_now)

    class Meta:
        table_name = "enrollment"
        indexes = (
            (("person", "year"), True),
            (("year", "village", "status"), False),
            (("year", "status"), False),
        )


class Operator(BaseModel):
    """操作员: who works in the ledger; an administrator, or a clerk bound to some villages.

    ``password_hash`` is ``scrypt$n$r$p$salt$hash`` (hex); a password is never stored."""

    name = CharField(unique=True)
    role = CharField(default="clerk")  # "admin" | "clerk"
    password_hash = CharField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=_now)
    # added by migration 3
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    villages = TextField(default="")  # region ids a clerk works in, comma-separated

    class Meta:
        table_name = "operator"


class Payment(BaseModel):
    """缴费记录. A wrong payment is reversed by a negative payment that names it, never deleted."""

    person = ForeignKeyField(Person, backref="payments", on_delete="RESTRICT", index=False)
    year = IntegerField()
    amount_fen = IntegerField()
    paid_on = DateField()
    channel = CharField(default="")
    voucher = CharField(default="")
    operator = ForeignKeyField(Operator, null=True, on_delete="SET NULL", index=False)
    reverses = ForeignKeyField("self", null=True, backref="reversals", on_delete="RESTRICT")
    reason = CharField(default="")
    created_at = DateTimeField(default=_now)
    # added by migration 7: "normal", or "backpay" (补缴 of a missed year: a repaired year, not an
    # enrollment; never counted in the year's amount paid). A reversal has the kind it reverses.
    kind = CharField(default="normal")
    # added by migration 8: the same payment in the township ledger and in a village work copy
    uid = CharField(null=True, unique=True, default=new_uid)

    class Meta:
        table_name = "payment"
        indexes = ((("person", "year"), False),)


class AuditEntry(BaseModel):
    """操作日志: who changed what record when, with old and new values as JSON text.

    Written only by :func:`desktop_app.services.audit.record`, which fills ``source`` and the
    hash chain (``prev_hash``, ``entry_hash``; recipe in :mod:`desktop_app.domain.audit_chain`).
    """

    at = DateTimeField(default=_now, index=True)
    operator = CharField(default="")
    action = CharField()
    table = CharField()
    record_id = CharField(default="")
    old_value = TextField(default="")
    new_value = TextField(default="")
    source = CharField(default="")  # gui | cli | "" (before schema version 5)
    prev_hash = CharField(default="")
    entry_hash = CharField(default="")

    class Meta:
        table_name = "audit_entry"
        indexes = ((("table", "record_id"), False),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Setting,
    Region,
    Household,
    Person,
    CategoryMembership,
    PolicyYear,
    CategoryRule,
    Enrollment,
    Operator,
    Payment,
    AuditEntry,
)
