"""The audit log's actions: one stable key each (``work.recommend``), with the Chinese label people read, in one
place. Services write the key (``record_audit(action="work.recommend", …)``); the audit page shows the label and
filters by the key, so a label can be reworded without touching stored entries. ``record_audit`` refuses a key
that is not listed here. (The keys name the apps' objects as plain strings: core imports none of them.)"""

ACTIONS: dict[str, str] = {
    # accounts
    "account.create": "创建账号",
    "account.activate": "启用账号",
    "account.deactivate": "停用账号",
    "account.change_password": "修改密码",
    "account.reset_password": "重置密码",
    "account.set_email": "设置通知邮箱",
    "account.enable_two_factor": "启用两步验证",
    "account.disable_two_factor": "关闭两步验证",
    "account.reset_two_factor": "移除他人的两步验证",
    # the unit tree
    "unit.create": "创建单位",
    "unit.update": "修改单位",
    # collectives
    "collective.create": "创建集体",
    "collective.update": "修改集体",
    # campaigns, filings and deadlines
    "campaign.create": "创建创建活动",
    "campaign.update": "修改创建活动",
    "filing.create": "创建报备",
    "filing.refile": "重新报备",
    "filing.accept": "接受报备",
    "filing.return": "退回报备",
    "deadline.extend": "批准报送延期",
    # works and their files
    "work.create": "创建作品",
    "work.update": "修改作品",
    "work.essay_text": "保存征文正文",
    "work.essay_docx": "上传征文Word文档",
    "work.picture_upload": "上传作品图片",
    "work.video_upload": "上传作品视频或动画",
    "work.screenshot_upload": "上传作品截图",
    "work.file_upload": "上传作品文件",
    "work.picture_remove": "删除作品图片",
    "work.video_remove": "删除作品视频或动画",
    "work.screenshot_remove": "删除作品截图",
    "work.file_remove": "删除作品文件",
    "work.file_reorder": "调整作品文件顺序",
    "work.file_caption": "修改图片说明",
    # a work's life (works/transitions.py)
    "work.submit": "提交作品",
    "work.recommend": "推荐作品",
    "work.return": "退回作品",
    "work.withdraw_recommendation": "撤销推荐",
    "work.shortlist": "作品入围",
    "work.withdraw_shortlist": "撤销入围",
    "work.showcase": "评为优秀展示",
    "work.withdraw_showcase": "撤销优秀展示",
    "work.forward": "推报团省委",
    "work.withdraw_forward": "撤销推报团省委",
    "work.reorder_recommended": "调整推荐顺序",
    # reports and central review
    "report.upload_scan": "上传盖章汇总表",
    "round.create": "开设评审轮次",
    "round.rubric": "设置评分标准",
    "round.judges": "选择评委",
    "round.assign": "分配评审作品",
    "round.close": "结束评审轮次",
    "assignment.score": "评委打分",
    # the ledger (台账) and the 助千家 pairings
    "notice.publish": "发布通知",
    "notice.forward": "转发通知",
    "notice.read": "确认已读通知",
    "notice.remind": "提醒未读通知的集体",
    "notice.reply": "回复通知",
    # execution norms (执行规范)
    "norm.publish": "发布执行规范",
    # good practices and typical stories (好做法、典型事迹)
    "story.create": "撰写好做法或典型事迹",
    "story.update": "修改好做法或典型事迹",
    "story.photo_add": "上传事迹照片",
    "story.photo_remove": "删除事迹照片",
    "story.submit": "报送好做法或典型事迹",
    "story.forward": "报送团市委好做法或典型事迹",
    "story.return": "退回好做法或典型事迹",
    "story.promote": "推广好做法或典型事迹",
    "story.unpromote": "取消推广好做法或典型事迹",
    # joint projects (联创项目)
    "project.create": "创建联创项目",
    "project.update": "修改联创项目",
    "project.partner_add": "添加联创项目参与集体",
    "project.partner_remove": "移除联创项目参与集体",
    "project.progress": "记录联创项目进展",
    "project.visit": "登记互学互访",
    "project.finish": "联创项目结项",
    "ledger.entry_create": "记录台账",
    "ledger.entry_update": "修改台账记录",
    "ledger.entry_delete": "删除台账记录",
    "ledger.file_upload": "上传台账附件",
    "ledger.file_remove": "删除台账附件",
    "ledger.comment": "评阅台账",
    "ledger.comment_resolve": "处理台账评阅意见",
    "ledger.export": "导出台账",
    "pairing.create": "登记结对家庭",
    "pairing.view": "查看结对家庭完整编号",
    "pairing.review": "登记回头看",
    "pairing.end": "结束结对帮扶",
    "pairing.withdraw_consent": "监护人撤回同意",
    # exports
    "export.request": "申请导出",
    # evaluation (issue 11): dashboards and reminders
    "evaluation.indicators_export": "导出创建指标",
    "reminder.send": "发送催办提醒",
    # evaluation: field inspections
    "inspection.create": "登记实地考察",
    "inspection.respond": "反馈整改情况",
    "inspection.photo_upload": "上传整改照片",
    "inspection.photo_remove": "删除整改照片",
    "inspection.accept": "整改验收通过",
    "inspection.reopen": "要求再次整改",
    # evaluation: the central evaluation
    "assessment.weights": "设置集中评议权重",
    "assessment.score": "集中评议打分",
    # evaluation: training, exchange visits, new-and-old pairs
    "training.create": "登记号长培训",
    "training.attendance": "登记参训号长",
    "exchange.create": "登记交流观摩",
    "mentor_pair.create": "登记新老号结对",
    "mentor_pair.delete": "解除新老号结对",
    # evaluation: naming and titles
    "naming.create": "命名青年文明号",
    "naming.export": "导出命名名单",
    "honour.review": "称号年度复核",
    "honour.warn": "称号警告提醒",
    "honour.revoke": "撤销称号",
    # public: supervision (公众监督)
    "feedback.create": "公众提交意见",
    "feedback.answer": "答复公众意见",
    "feedback.close": "办结公众意见",
    "feedback.verify": "核实公众投诉",
    # public: identity pages
    "public.page_update": "修改公开身份页",
    "public.page_publish": "公开身份页",
    "public.page_unpublish": "撤回公开身份页",
    "public.page_hide": "隐藏公开身份页",
    "public.page_show": "恢复显示公开身份页",
    "public.photo_upload": "上传工作场所照片",
    "public.photo_remove": "删除工作场所照片",
}


def action_label(key: str) -> str:
    """The Chinese label of an action key (an unknown key, e.g. of a retired action, shows as itself)."""
    return ACTIONS.get(key, key)
