"""Audit actions become stable keys (core/audit_actions.py): the entries written with the Chinese verbs get the
key of their verb. The mapping is frozen here as it was when the keys came in; an unknown verb is left as it is
(the page then shows it as written)."""

from django.db import migrations

LABEL_TO_KEY = {
    "创建账号": "account.create", "启用账号": "account.activate", "停用账号": "account.deactivate",
    "修改密码": "account.change_password", "重置密码": "account.reset_password", "设置通知邮箱": "account.set_email",
    "创建单位": "unit.create", "修改单位": "unit.update",
    "创建集体": "collective.create", "修改集体": "collective.update",
    "创建创建活动": "campaign.create", "修改创建活动": "campaign.update",
    "创建报备": "filing.create", "重新报备": "filing.refile", "接受报备": "filing.accept", "退回报备": "filing.return",
    "批准报送延期": "deadline.extend",
    "创建作品": "work.create", "修改作品": "work.update", "保存征文正文": "work.essay_text",
    "上传征文Word文档": "work.essay_docx",
    "上传作品图片": "work.picture_upload", "上传作品视频或动画": "work.video_upload", "上传作品H5截图": "work.screenshot_upload",
    "上传作品截图": "work.screenshot_upload", "上传作品文件": "work.file_upload",
    "删除作品图片": "work.picture_remove", "删除作品视频或动画": "work.video_remove", "删除作品H5截图": "work.screenshot_remove",
    "删除作品截图": "work.screenshot_remove", "删除作品文件": "work.file_remove",
    "调整作品文件顺序": "work.file_reorder", "修改图片说明": "work.file_caption",
    "提交作品": "work.submit", "推荐作品": "work.recommend", "退回作品": "work.return",
    "撤销推荐": "work.withdraw_recommendation", "作品入围": "work.shortlist", "撤销入围": "work.withdraw_shortlist",
    "评为优秀展示": "work.showcase", "撤销优秀展示": "work.withdraw_showcase", "推报团省委": "work.forward",
    "撤销推报团省委": "work.withdraw_forward", "调整推荐顺序": "work.reorder_recommended",
    "上传盖章汇总表": "report.upload_scan",
    "开设评审轮次": "round.create", "设置评分标准": "round.rubric", "选择评委": "round.judges",
    "分配评审作品": "round.assign", "结束评审轮次": "round.close", "评委打分": "assignment.score",
    "申请导出": "export.request",
}


def to_keys(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for label, key in LABEL_TO_KEY.items():
        AuditEntry.objects.filter(action=label).update(action=key)


def to_labels(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    key_to_label = {}
    for label, key in LABEL_TO_KEY.items():
        key_to_label.setdefault(key, label)
    for key, label in key_to_label.items():
        AuditEntry.objects.filter(action=key).update(action=label)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_notification"),
        ("works", "0004_backfill_submission_decisions"),  # which reads the submissions by their verb first
    ]

    operations = [migrations.RunPython(to_keys, to_labels)]
