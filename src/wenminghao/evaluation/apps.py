from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "wenminghao.evaluation"
    label = "evaluation"
    verbose_name = "评价与命名"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from wenminghao.collectives.panels import CollectivePanel, register_honour_link, register_panel

        from .views import inspections
        from .views.development import development_panel
        from .views.naming import title_link

        # field inspections: the collective's inspections, with a link to record one for the admins above it
        register_panel(CollectivePanel(key="inspections", slot="side", order=30,
                                       template="evaluation/panels/inspections.html",
                                       context=inspections.collective_panel))

        # training, exchange visits and new-and-old pairs the collective took part in
        register_panel(CollectivePanel(key="development", slot="bottom", order=30,
                                       template="evaluation/panels/development.html", context=development_panel))

        # naming and titles: each title on a collective's page links to its title page
        register_honour_link("evaluation", title_link)
