from wenminghao.campaigns.enums import FilingStatus
from wenminghao.evaluation.selectors.development import development_summary
from wenminghao.evaluation.selectors.inspections import inspection_summary


def test_the_fixtures_file_three_collectives_and_the_summaries_count_them(tree, filings, campaign):
    assert filings["collective_a"].status == FilingStatus.ACCEPTED
    summary = development_summary(tree["city"], campaign)
    assert (summary.creating, summary.trained, summary.untrained, summary.mentor_pairs) == (3, 0, 3, 0)
    assert inspection_summary(tree["area_a"], campaign).inspections == 0
