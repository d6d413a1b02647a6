"""The create form in a real browser at phone width: the "添加成员" button adds rows (Alpine, under the
site's Content-Security-Policy), and every added row is saved."""

import pytest

from wenminghao.collectives.models import Collective

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_form_adds_member_rows_on_a_phone(page, live_server, tree, users, client):
    client.force_login(users["unit_admin_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    errors: list[str] = []
    # Script errors (a CSP refusal shows here), and failed loads.
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.goto("/collectives/new/")
    page.fill("#id_name", "浏览器新建的窗口")
    page.fill("#id_host_org", "环翠区行政审批服务局")
    page.select_option("#id_unit", str(tree["sub_a"].pk))
    page.select_option("#id_sector", "service")
    page.select_option("#id_org_type", "public_institution")
    page.select_option("#id_unit_form", "window")
    page.fill("#id_contact_name", "何联系")
    page.fill("#id_contact_phone", "13700000000")
    add_member = page.get_by_role("button", name="添加成员")
    add_member.click()
    add_member.click()
    for index, (name, birth) in enumerate([("号长甲", "1986-01-02"), ("成员乙", "1995-03-04"),
                                           ("成员丙", "1997-05-06")]):
        page.fill(f"#id_members-{index}-name", name)
        page.fill(f"#id_members-{index}-birth_date", birth)
    page.check("#id_members-0-is_leader")
    page.select_option("#id_honours-0-level", "district")
    page.fill("#id_honours-0-year", "2016")
    page.fill("#id_honours-0-title", "环翠区青年文明号")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/collectives/*/")
    heading = page.text_content("h1")

    assert errors == []
    assert width <= 360  # nothing forces sideways scrolling on a phone
    assert heading == "浏览器新建的窗口"
    collective = Collective.objects.get(name="浏览器新建的窗口")
    assert collective.unit == tree["sub_a"]
    assert [(m.name, m.is_leader) for m in collective.members.all()] == [
        ("号长甲", True), ("成员乙", False), ("成员丙", False)]
    assert collective.honours.get().title == "环翠区青年文明号"
