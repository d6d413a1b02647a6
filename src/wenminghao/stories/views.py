"""The stories' pages (好做法与典型事迹): the list (filters by status, kind and activity, search by title), writing
one up with photos, its page (submit, forward to the city, return with a reason, promote and withdraw the
promotion), changing a draft or returned one, its photos.

Views stay thin: every story comes through ``selectors.get_story_for`` (invisible answers 404; judges see no page of
this section), every action names a permission of ``rules`` (403 when the user sees the story but may not do it),
every change goes through ``services`` and a refusal shows all the service's messages at once (422). Photos arrive
through the one upload intake (``core.uploads.receive_streamed_upload``) and leave through
``core.files.stored_file_response``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.core.errors import RuleViolationError
from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, paginate, require_perm
from wenminghao.core.uploads import UploadTooLarge, megabytes, receive_streamed_upload
from wenminghao.works.uploads import attachment_max_bytes

from . import selectors, services
from .forms import ReturnForm, StoryFilterForm, StoryForm
from .models import EDITABLE, MAX_PHOTOS, TEXT_MAX_CHARS, StoryPhoto, StoryStatus

PER_PAGE = 20
ACCEPTED_PHOTOS = ".jpg,.jpeg,.png,image/jpeg,image/png"
NOT_A_WRITER = "只有集体账号和团委管理员可以撰写好做法和典型事迹。"


def _require_section(user) -> None:
    """Stories are for the units' admins and the collectives' accounts: anyone else (judges) sees no such page."""
    if not (user.is_admin and user.unit_id) and not user.collective_id:
        raise Http404("未找到该页面，或您无权查看。")


def _story_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    _require_section(user)
    return selectors.get_story_for(user, pk, perm, denied=denied)


def _upload_facts() -> dict:
    return {"upload_limit": megabytes(attachment_max_bytes()), "max_photos": MAX_PHOTOS,
            "accepted_photos": ACCEPTED_PHOTOS, "text_limit": TEXT_MAX_CHARS}


@login_required
@require_GET
def story_list(request):
    user = request.user
    _require_section(user)
    form = StoryFilterForm(request.GET or None)
    filters = form.filters()
    return render(request, "stories/list.html", {
        "form": form,
        "filtered": any(filters.values()),
        "is_collective": bool(user.collective_id) and not user.is_admin,
        "can_create": user.has_perm("stories.create_story"),
        **paginate(request, selectors.story_list(user, **filters), per_page=PER_PAGE),
    })


def _render_form(request, form, *, story=None, violations=(), status=200):
    return render(request, "stories/form.html", {"form": form, "story": story, "violations": list(violations),
                                                 **_upload_facts()}, status=status)


def _collective_of(user):
    return user.collective if user.collective_id and not user.is_admin else None


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
def story_create(request):
    """GET: the form; POST: ``services.create_story`` with the photos (multipart field ``photos``), then the new
    story's page. A refusal (422), or photos too large (413), draws the form again with every reason."""
    user = request.user
    _require_section(user)
    require_perm(user, "stories.create_story", denied=NOT_A_WRITER)
    collective = _collective_of(user)
    if request.method != "POST":
        return _render_form(request, StoryForm(collective=collective))
    intake = receive_streamed_upload(request, limit=attachment_max_bytes(), field="photos", max_files=MAX_PHOTOS)
    if intake.csrf_failure is not None:
        return intake.csrf_failure
    if intake.too_large is not None:
        return _render_form(request, StoryForm(collective=collective), violations=[intake.too_large], status=413)
    photos = request.FILES.getlist("photos")
    form = StoryForm(request.POST, collective=collective)
    try:
        if not form.is_valid():
            return _render_form(request, form, status=422)
        try:
            story = services.create_story(actor=user, photos=photos, ip_address=client_ip(request),
                                          **form.story_data())
        except UploadTooLarge as error:
            return _render_form(request, form, violations=error.violations, status=413)
        except RuleViolationError as error:
            violations_into_form(form, error)
            return _render_form(request, form, violations=error.violations, status=422)
    finally:
        for upload in photos:
            upload.close()
    messages.success(request, f"已保存草稿“{story.title}”。确认无误后请点击“报送”。")
    return redirect("stories:detail", story.pk)


@login_required
def story_edit(request, pk: int):
    user = request.user
    story = _story_for(user, pk, "stories.change_story", denied="只有撰写该篇的集体或单位可以修改。")
    if story.status not in EDITABLE:
        messages.error(request, f"该篇已{story.get_status_display()}，不能再修改；被退回后可以修改。")
        return redirect("stories:detail", story.pk)
    initial = {"kind": story.kind, "title": story.title, "text": story.text, "activity": story.activity,
               "entries": list(story.entries.all())}
    if request.method != "POST":
        return _render_form(request, StoryForm(initial=initial, collective=story.collective), story=story)
    form = StoryForm(request.POST, initial=initial, collective=story.collective)
    if not form.is_valid():
        return _render_form(request, form, story=story, status=422)
    try:
        services.update_story(actor=user, story=story, ip_address=client_ip(request), **form.story_data())
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _render_form(request, form, story=story, violations=error.violations, status=422)
    messages.success(request, "已保存修改。")
    return redirect("stories:detail", story.pk)


def detail_context(request, story, **extra) -> dict:
    user = request.user
    editable = story.status in EDITABLE
    context = {
        "story": story,
        "photos": list(story.photos.all()),
        "entries": list(story.entries.select_related("campaign")),
        "paragraphs": [line for line in story.text.splitlines() if line.strip()],
        "can_change": editable and user.has_perm("stories.change_story", story),
        "can_submit": editable and user.has_perm("stories.submit_story", story),
        "can_forward": story.status == StoryStatus.SUBMITTED and user.has_perm("stories.forward_story", story),
        "can_return": (story.status in (StoryStatus.SUBMITTED, StoryStatus.FORWARDED)
                       and user.has_perm("stories.return_story", story)),
        "can_promote": story.status == StoryStatus.FORWARDED and user.has_perm("stories.promote_story", story),
        "can_unpromote": story.status == StoryStatus.PROMOTED and user.has_perm("stories.promote_story", story),
        "return_form": ReturnForm(),
        "violations": [],
        **_upload_facts(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def story_detail(request, pk: int):
    story = _story_for(request.user, pk)
    return render(request, "stories/detail.html", detail_context(request, story))


def _step(request, pk: int, perm: str, denied: str, act, done: str, **form_fields):
    user = request.user
    story = _story_for(user, pk, perm, denied=denied)
    try:
        act(actor=user, story=story, ip_address=client_ip(request), **form_fields)
    except RuleViolationError as error:
        extra = {}
        if "reason" in form_fields:
            form = ReturnForm(request.POST)
            violations_into_form(form, error)
            extra["return_form"] = form
        return render(request, "stories/detail.html", detail_context(
            request, story, violations=error.violations, violations_title="未能完成：", **extra), status=422)
    messages.success(request, done)
    return redirect("stories:detail", story.pk)


@login_required
@require_POST
def story_submit(request, pk: int):
    return _step(request, pk, "stories.submit_story", "只有撰写该篇的集体或单位可以报送。", services.submit_story,
                 "已报送，上级团委审阅后会报送团市委或退回修改。")


@login_required
@require_POST
def story_forward(request, pk: int):
    return _step(request, pk, "stories.forward_story", "只有收到报送的单位及其上级单位可以报送团市委。",
                 services.forward_story, "已报送团市委。")


@login_required
@require_POST
def story_return(request, pk: int):
    return _step(request, pk, "stories.return_story", "只有收到报送的单位可以退回。", services.return_story,
                 "已退回，撰写人可以修改后再次报送。", reason=request.POST.get("reason", ""))


@login_required
@require_POST
def story_promote(request, pk: int):
    return _step(request, pk, "stories.promote_story", "只有团市委可以推广好做法和典型事迹。", services.promote_story,
                 "已推广，这一篇已在公开的“优秀作品展示”页面上展示。")


@login_required
@require_POST
def story_unpromote(request, pk: int):
    return _step(request, pk, "stories.promote_story", "只有团市委可以取消推广。", services.unpromote_story,
                 "已取消推广，这一篇不再公开展示。")


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def photo_add(request, pk: int):
    """One photo (multipart field ``file``)."""
    user = request.user
    story = _story_for(user, pk, "stories.change_story", denied="只有撰写该篇的集体或单位可以上传照片。")
    intake = receive_streamed_upload(request, limit=attachment_max_bytes())
    if intake.csrf_failure is not None:
        return intake.csrf_failure
    if intake.too_large is not None:
        return render(request, "stories/detail.html", detail_context(
            request, story, violations=[intake.too_large], violations_title="未能上传照片："), status=413)
    upload = intake.file
    try:
        services.add_photo(actor=user, story=story, upload=upload, ip_address=client_ip(request))
    except RuleViolationError as error:
        status = 413 if isinstance(error, UploadTooLarge) else 422
        return render(request, "stories/detail.html", detail_context(
            request, story, violations=error.violations, violations_title="未能上传照片："), status=status)
    finally:
        if upload is not None:
            upload.close()
    messages.success(request, "已上传照片。")
    return redirect("stories:detail", story.pk)


@login_required
@require_POST
def photo_remove(request, pk: int, photo_id: int):
    user = request.user
    story = _story_for(user, pk, "stories.change_story", denied="只有撰写该篇的集体或单位可以删除照片。")
    photo = StoryPhoto.objects.filter(pk=photo_id, story=story).first()
    if photo is None:
        raise Http404(FILE_NOT_FOUND)
    try:
        services.remove_photo(actor=user, story=story, photo=photo, ip_address=client_ip(request))
    except RuleViolationError as error:
        return render(request, "stories/detail.html", detail_context(
            request, story, violations=error.violations, violations_title="未能删除照片："), status=422)
    messages.success(request, f"已删除照片“{photo.original_name}”。")
    return redirect("stories:detail", story.pk)


@login_required
@require_GET
def photo_file(request, pk: int, photo_id: int):
    """A photo of the story, to anyone who sees the story."""
    story = _story_for(request.user, pk)
    photo = StoryPhoto.objects.filter(pk=photo_id, story=story).first()
    if photo is None:
        raise Http404(FILE_NOT_FOUND)
    return stored_file_response(request, photo.original.name, content_type=photo.content_type,
                                filename=photo.original_name, as_attachment=request.GET.get("download") == "1")


