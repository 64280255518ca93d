"""The fields a column of an exchange file can hold, and the header texts that name them.

Synonyms are those of DOMAIN.md section 8, plus our own export headers of section 9 (so our
exports re-import), plus a few spellings seen in county and tax-bureau files (marked below).
Header texts are compared after :func:`desktop_app.exchange.headers.normalize_header`, so
full-width brackets, spaces, line breaks, a trailing ``*`` or ``：`` do not matter here.
"""

from __future__ import annotations

from desktop_app.domain.vocabulary import Worded


class Field(Worded):
    """A column's meaning. The value is the stable key used in mappings and remembered layouts;
    ``chinese`` is the name shown when a person corrects a column mapping."""

    SEQ = "seq", "序号"  # recognised so it counts towards finding the header, never imported
    ID_NUMBER = "id_number", "公民身份号码"
    NAME = "name", "姓名"
    HOUSEHOLD_NUMBER = "household_number", "户编号"
    HEAD_ID_NUMBER = "head_id_number", "户主身份证号"  # a household keyed by its head
    HEAD_NAME = "head_name", "户主姓名"
    RELATION = "relation", "与户主关系"
    VILLAGE = "village", "村(社区)"
    TOWNSHIP = "township", "乡镇(街道)"
    ADDRESS = "address", "家庭住址"
    SEX = "sex", "性别"
    BIRTH_DATE = "birth_date", "出生日期"
    PHONE = "phone", "联系电话"
    CATEGORY = "category", "资助类别"
    IDENTIFIED_DATE = "identified_date", "认定日期"
    ENDED_DATE = "ended_date", "退出日期"
    STATUS = "status", "参保状态"
    STANDARD = "standard", "个人缴费标准"
    SUBSIDY = "subsidy", "资助金额"
    AMOUNT_DUE = "amount_due", "个人应缴金额"
    AMOUNT_PAID = "amount_paid", "已缴金额"
    COLLECTION_MODE = "collection_mode", "征缴方式"
    PAYMENT_DATE = "payment_date", "缴费日期"
    PAYMENT_CHANNEL = "payment_channel", "缴费渠道"
    VOUCHER = "voucher", "缴费凭证号"
    YEAR = "year", "缴费年度"  # a payments row's year, when it is not the import's (补缴 of a missed year)
    DEADLINE = "deadline", "参保截止日期"
    GUARDIAN_NAME = "guardian_name", "监护人姓名"
    REMARK = "remark", "备注"

    @property
    def label(self) -> str:
        """The name shown when a person corrects a column mapping (what the import speaks of)."""
        return self.chinese

#: Header spellings per field, as written (normalised when the lookup table is built).
HEADER_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.SEQ: ("序号", "序"),
    Field.ID_NUMBER: (
        "公民身份号码",
        "身份证号码",
        "身份证号",
        "证件号码",
        "身份证",
        # seen in county and tax files
        "身份证件号码",
        "证件号",
        "公民身份证号码",
        "参保人身份证号码",
        "参保人身份证号",
    ),
    Field.NAME: ("姓名", "参保人姓名", "人员姓名", "参保人员姓名", "缴费人姓名", "成员姓名"),
    Field.HOUSEHOLD_NUMBER: ("户编号", "户号", "家庭编号", "户编码"),
    Field.HEAD_ID_NUMBER: ("户主身份证号", "户主身份证号码", "户主公民身份号码", "户主证件号码"),
    Field.HEAD_NAME: ("户主姓名", "户主"),
    Field.RELATION: ("与户主关系", "关系", "与户主的关系", "家庭关系"),
    Field.VILLAGE: (
        "村(社区)",
        "行政村",
        "村名",
        "所属村",
        "村",
        "村(居)",
        "村居",
        "村(居)委会",
        "社区",
        "村(社区)名称",
    ),
    Field.TOWNSHIP: ("乡镇(街道)", "乡镇", "镇", "乡(镇)", "乡镇街道", "街道", "乡镇(街道)名称"),
    Field.ADDRESS: ("家庭住址", "住址", "家庭地址", "户籍地址", "地址"),
    Field.SEX: ("性别",),
    Field.BIRTH_DATE: ("出生日期", "出生年月"),
    Field.PHONE: ("联系电话", "手机号码", "电话", "手机号", "手机", "联系方式", "电话号码"),
    Field.CATEGORY: (
        "人员类别",
        "资助类别",
        "困难类别",
        "身份类别",
        "人员身份",
        "资助身份",
        "人员类型",
        "困难类型",
    ),
    Field.IDENTIFIED_DATE: ("认定日期", "认定时间", "纳入日期", "纳入时间"),
    Field.ENDED_DATE: ("退出日期", "退出时间", "取消日期", "终止日期"),
    Field.STATUS: ("参保状态",),
    Field.STANDARD: ("个人缴费标准", "缴费标准"),
    Field.SUBSIDY: ("资助金额", "资助标准"),
    Field.AMOUNT_DUE: ("个人应缴金额", "应缴金额"),
    Field.AMOUNT_PAID: ("缴费金额", "实缴金额", "个人缴费", "已缴金额", "个人缴费金额"),
    Field.COLLECTION_MODE: ("征缴方式",),
    Field.PAYMENT_DATE: ("缴费日期", "缴费时间"),
    Field.PAYMENT_CHANNEL: ("缴费渠道", "缴费方式"),
    Field.VOUCHER: ("缴费凭证号", "凭证号", "票据号", "票据号码", "凭证号码"),
    Field.YEAR: ("缴费年度", "参保年度", "所属年度", "补缴年度", "年度"),
    Field.DEADLINE: ("参保截止日期",),
    Field.GUARDIAN_NAME: ("监护人姓名", "监护人"),
    Field.REMARK: ("备注", "说明"),
}
