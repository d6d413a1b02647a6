"""Forms of the 助千家 pairing pages. They only parse input: every rule of a pairing (the registry number's shape,
duplicates, the area, the count, the kinds of help, the dates, the guardian's consent) lives in ``services``, which
reports all unmet rules at once with stable codes; so the fields are not required here (a required field would
stop the form before the service could list the other problems), and dates and counts arrive as text for the
service to read. The help texts say what must NOT be entered: the pairing keeps the minimum (PIPL art. 6)."""

from django import forms
from django.utils import timezone

from wenminghao.core.forms import style_form

from .enums import HelpKind, IncomeTrend, PairingOutcome
from .models import NOTE_MAX_CHARS
from .services import AREA_MAX_CHARS

FAMILY_REF_MAX_CHARS = 32


def _date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _today() -> str:
    return timezone.localdate().isoformat()


class PairingForm(forms.Form):
    """A new pairing: the minimum the notice's indicators need, and the guardian's consent on file."""

    family_ref = forms.CharField(
        label="建档立卡编号", required=False, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text",
                                      "maxlength": FAMILY_REF_MAX_CHARS + 8}),
        help_text="扶贫部门建档立卡系统中该家庭的编号（6至32位数字、字母或连字符）。请勿填写孩子或家长的姓名、"
                  "身份证号码。该编号只在本结对家庭的页面完整显示（每次查看都会记录），其他页面只显示末4位。",
    )
    area = forms.CharField(
        label="所在乡镇（街道）", required=False, strip=True,
        widget=forms.TextInput(attrs={"maxlength": AREA_MAX_CHARS, "placeholder": "如 环翠楼街道"}),
        help_text="只填乡镇或街道的名称。请勿填写村（社区）、小区、门牌号等详细地址。",
    )
    youth_count = forms.CharField(
        label="帮扶青少年人数", required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 20, "step": 1, "inputmode": "numeric"}),
        help_text="该家庭中接受帮扶的青少年人数（1至20人）。只填人数，请勿填写孩子的姓名、年龄或学校。",
    )
    help_kinds = forms.MultipleChoiceField(
        label="帮扶方式", required=False, choices=HelpKind.choices, widget=forms.CheckboxSelectMultiple,
        help_text="可多选，至少选择一项。",
    )
    started = forms.CharField(label="结对日期", required=False, widget=_date_input(),
                              help_text="结对帮扶开始的日期，不能晚于今天。")
    consent = forms.BooleanField(
        label="已取得监护人书面同意并存档", required=False,
        help_text="必须先由监护人签署书面同意书，才能登记结对。同意书原件由本集体妥善保管，请勿上传到平台"
                  "（同意书上有姓名和签名）。",
    )
    consent_date = forms.CharField(label="监护人同意日期", required=False, widget=_date_input(),
                                   help_text="监护人签署同意书的日期，不能晚于今天。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"consent_date": _today()})
        super().__init__(*args, **kwargs)
        style_form(self)

    def service_data(self) -> dict:
        """The values as ``services.create_pairing`` takes them (its API field names)."""
        data = self.cleaned_data
        return {name: data.get(name) for name in
                ("family_ref", "area", "youth_count", "help_kinds", "started", "consent", "consent_date")}


class PairingReviewForm(forms.Form):
    """A 回头看: when, the outcome, the income trend, a short note."""

    date = forms.CharField(label="回头看日期", required=False, widget=_date_input())
    outcome = forms.ChoiceField(label="帮扶成效", required=False,
                                choices=[("", "请选择"), *PairingOutcome.choices])
    income_trend = forms.ChoiceField(label="收入变化", required=False,
                                     choices=[("", "请选择"), *IncomeTrend.choices])
    note = forms.CharField(
        label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX_CHARS}),
        help_text=f"不超过{NOTE_MAX_CHARS}字。写家庭的变化和下一步帮扶即可；请勿写孩子的姓名、身份证号码、"
                  "住址或建档立卡编号。",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": _today()})
        super().__init__(*args, **kwargs)
        style_form(self)

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("date", "outcome", "income_trend", "note")}


class EndPairingForm(forms.Form):
    """帮扶结束: the pairing ends on a date; its data stays."""

    ended = forms.DateField(label="结束日期", required=False, widget=_date_input(),
                            help_text="不填则为今天；应在结对日期与今天之间。",
                            error_messages={"invalid": "结束日期不是有效日期，请按2018-06-01的格式填写"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"ended": _today()})
        super().__init__(*args, **kwargs)
        style_form(self)


WITHDRAW_CONFIRMATION = (
    "我确认监护人已撤回同意：将删除该家庭的建档立卡编号、所在乡镇（街道）以及全部走访记录中的照片和文档，"
    "且不可恢复；结对随即结束。帮扶青少年人数、帮扶方式和走访、回头看的次数保留，用于统计。"
)


class WithdrawConsentForm(forms.Form):
    """The guardian withdrew consent: an explicit confirmation of what will be erased and what stays."""

    confirm = forms.BooleanField(label=WITHDRAW_CONFIRMATION, required=True,
                                 error_messages={"required": "请先勾选确认，了解将删除哪些信息后再提交"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
