from django.urls import path

from .views import feedback, pages, showcase, showcase_stories

app_name = "public"
urlpatterns: list = []

# the showcase (优秀作品展示) and its works' public files
urlpatterns += [
    path("showcase/", showcase.showcase_list, name="showcase"),
    path("showcase/<int:pk>/", showcase.showcase_work, name="showcase_work"),
    path("showcase/<int:pk>/essay.txt", showcase.showcase_essay, name="showcase_essay"),
    path("showcase/<int:pk>/files/<int:file_id>/", showcase.showcase_file, name="showcase_file"),
]

# the showcase's good practices and typical stories (好做法与典型事迹), promoted by the city office, and their photos
urlpatterns += [
    path("showcase/stories/", showcase_stories.showcase_stories, name="showcase_stories"),
    path("showcase/stories/<int:pk>/", showcase_stories.showcase_story, name="showcase_story"),
    path("showcase/stories/<int:pk>/photos/<int:photo_id>/", showcase_stories.showcase_story_photo,
         name="showcase_story_photo"),
]

# identity pages (亮身份、亮形象、亮承诺), their QR codes, photos and plaques, the public list of posts
urlpatterns += [
    path("posts/", pages.posts, name="posts"),
    path("posts/<int:pk>/", pages.post, name="post"),
    path("posts/<int:pk>/qr.svg", pages.post_qr_svg, name="post_qr_svg"),
    path("posts/<int:pk>/qr.png", pages.post_qr_png, name="post_qr_png"),
    path("posts/<int:pk>/photos/<int:photo_pk>/", pages.post_photo, name="post_photo"),
    path("posts/<int:pk>/open-week/<int:photo_pk>/", pages.post_event_photo, name="post_event_photo"),
    path("posts/<int:pk>/plaque.pdf", pages.post_plaque, name="post_plaque"),
    path("posts/plaques/unit/<int:unit_pk>/", pages.unit_plaques, name="unit_plaques"),
    path("posts/<int:pk>/manage/", pages.manage_page, name="manage_page"),
    path("posts/<int:pk>/manage/publish/", pages.page_publish, name="page_publish"),
    path("posts/<int:pk>/manage/hide/", pages.page_hide, name="page_hide"),
    path("posts/<int:pk>/manage/photos/", pages.page_photo_add, name="page_photo_add"),
    path("posts/<int:pk>/manage/photos/<int:photo_pk>/", pages.page_photo_file, name="page_photo_file"),
    path("posts/<int:pk>/manage/photos/<int:photo_pk>/remove/", pages.page_photo_remove, name="page_photo_remove"),
]

# public supervision (公众监督): the visitor's form, receipt and follow page; the signed-in handling and statistics
urlpatterns += feedback.urlpatterns
