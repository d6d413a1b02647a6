"""The demo's leader training, exchange visits and new-and-old pairs (demo/evaluation_development.py), loaded after the
demo through the services: two thirds of the city's creating collectives trained, a 环翠区 training, two visits,
two pairs; a second run makes nothing."""

import pytest
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.demo import evaluation_development
from wenminghao.demo.management.commands.load_demo_data import Loader
from wenminghao.evaluation.models import ExchangeVisit, MentorPair, TrainingSession
from wenminghao.evaluation.selectors.development import development_summary

pytestmark = pytest.mark.django_db


def _loader() -> Loader:
    loader = Loader(timezone.localdate())
    loader.run()  # the demo is there already: this only finds its units, collectives and campaigns
    return loader


def test_the_demo_trains_two_thirds_of_the_leaders_and_pairs_jt_1lu(loaded):  # noqa: F811
    loader = _loader()
    assert not any(evaluation_development.load(loader).values())  # load_demo_data made them; a second run none
    campaign = loader.campaigns["current_city"]
    city = development_summary(loader.units["city"], campaign)
    assert TrainingSession.objects.count() == 2 and ExchangeVisit.objects.count() == 2
    assert MentorPair.objects.count() == 2
    at_city = set(TrainingSession.objects.get(unit=loader.units["city"]).attendances
                  .values_list("collective__name", flat=True))
    at_huancui = set(TrainingSession.objects.get(unit=loader.units["huancui"]).attendances
                     .values_list("collective__name", flat=True))
    assert city.creating == 15 and len(at_city) == 10  # two thirds
    assert at_huancui - at_city, "one of 环翠区's trainees missed the city's training"
    assert city.trained == len(at_city | at_huancui) < city.creating  # some are left to follow up
    assert city.exchange_visits == 2 and city.mentor_pairs == 2
    assert MentorPair.objects.filter(mentor=loader.collectives["jt_1lu"], mentee=loader.collectives["wd_sbdt"]).exists()
    assert ExchangeVisit.objects.get(host=loader.collectives["hc_zwfw"]).visitors.count() == 4
    assert not any(evaluation_development.load(loader).values())
