from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "wenminghao.public"
    label = "public"
    verbose_name = "公开页面"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from wenminghao.collectives.panels import CollectivePanel, register_panel

        from .views import feedback, pages

        # public supervision: the collective's feedback summary and its verified complaints (title management)
        register_panel(CollectivePanel(key="public_feedback", slot="side", order=40,
                                       template="public/feedback_panel.html", context=feedback.collective_panel))
        # identity pages: the page's state and its links (manage, open, QR code, plaque)
        register_panel(CollectivePanel(key="public_page", slot="side", order=35,
                                       template="public/manage/panel.html", context=pages.collective_panel))
