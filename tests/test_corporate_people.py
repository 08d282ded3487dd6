"""Employee directory, departments, groups, seats and roles (HR API)."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import User
from lms.corporate.models import Department, Employee, Membership
from lms.learning.models import Enrolment
from tenants.models import Tenant
from tests.conftest import PASSWORD, HostClient, error_code
from tests.corporate_fixtures import employee_pk, in_tenant

pytestmark = pytest.mark.django_db


def _create(client, email, **extra):
    return client.post("/api/hr/employees/", {"email": email, "first_name": "Ольга", **extra}, format="json")


def test_every_tenant_user_has_an_employee_profile(acme):
    with schema_context("acme"):
        assert Employee.objects.count() == User.objects.count() >= 4
    with schema_context("public"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('public.corporate_employee')")
            assert cursor.fetchone()[0] is None  # corporate tables live in tenant schemas only


def test_create_employee_invites_takes_a_seat_and_lists(hr, django_capture_on_commit_callbacks):
    before = hr.get("/api/hr/seats/").json()
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(hr, "Olga@Acme.test", last_name="Смирнова", employee_id="A-100", title="Продавец")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "olga@acme.test" and body["status"] == "invited" and body["role"] == "learner"
    after = hr.get("/api/hr/seats/").json()
    assert after["used"] == before["used"] + 1 and after["limit"] == before["limit"]
    assert any("olga@acme.test" in m.to for m in mail.outbox)  # the invitation
    listed = hr.get("/api/hr/employees/", {"search": "смирнова"}).json()
    assert [e["email"] for e in listed["results"]] == ["olga@acme.test"]
    assert hr.get("/api/hr/employees/", {"status": "invited"}).json()["count"] >= 1
    assert _create(hr, "olga@acme.test").status_code == 409
    dup_id = _create(hr, "other@acme.test", employee_id="A-100")
    assert dup_id.status_code == 409 and error_code(dup_id) == "employee_id_taken"


def test_seat_limit_gives_409_with_usage(hr, acme):
    used = hr.get("/api/hr/seats/").json()["used"]
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used)
    response = _create(hr, "nobody@acme.test")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "seat_limit_reached"
    assert error["details"] == {"used": used, "limit": used, "available": 0, "requested": 1}
    assert f"{used} of {used}" in error["message"]
    with schema_context("acme"):
        assert not User.objects.filter(email="nobody@acme.test").exists()  # nothing half-made


def test_deactivate_frees_the_seat_keeps_records_and_blocks_sign_in(hr, acme, course_a):
    anna = employee_pk("anna@acme.test")
    with in_tenant("acme"):
        from lms.learning.services.enrolment import enrol

        enrol(User.objects.get(email="anna@acme.test"), course_a, source="admin")
    used = hr.get("/api/hr/seats/").json()["used"]
    response = hr.post(f"/api/hr/employees/{anna}/deactivate/")
    assert response.status_code == 200 and response.json()["status"] == "deactivated"
    assert hr.get("/api/hr/seats/").json()["used"] == used - 1
    with schema_context("acme"):
        assert Enrolment.objects.filter(user__email="anna@acme.test").count() == 1
    login = HostClient("acme.localhost").post(
        "/api/auth/token/", {"email": "anna@acme.test", "password": PASSWORD}, format="json"
    )
    assert login.status_code in (400, 401)
    # reactivation needs a free seat
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used - 1)
    refused = hr.post(f"/api/hr/employees/{anna}/reactivate/")
    assert refused.status_code == 409 and error_code(refused) == "seat_limit_reached"
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used)
    again = hr.post(f"/api/hr/employees/{anna}/reactivate/")
    assert again.status_code == 200 and again.json()["status"] == "active"


def test_roles_are_managed_by_tenant_admins_only(hr, acme_admin):
    boris = employee_pk("boris@acme.test")
    refused = hr.patch(f"/api/hr/employees/{boris}/", {"role": "hr_manager"}, format="json")
    assert refused.status_code == 403 and error_code(refused) == "role_change_forbidden"
    assert _create(hr, "x@acme.test", role="tenant_admin").status_code == 403
    ok = acme_admin.patch(f"/api/hr/employees/{boris}/", {"role": "hr_manager"}, format="json")
    assert ok.status_code == 200 and ok.json()["role"] == "hr_manager"
    admin = employee_pk("admin@acme.test")
    last = acme_admin.patch(f"/api/hr/employees/{admin}/", {"role": "learner"}, format="json")
    assert last.status_code == 409 and error_code(last) == "last_tenant_admin"
    assert acme_admin.post(f"/api/hr/employees/{admin}/deactivate/").status_code == 409


def test_manager_cycle_is_refused_and_team_view(hr, acme_client):
    anna, boris, helen = (employee_pk(e) for e in ("anna@acme.test", "boris@acme.test", "hr@acme.test"))
    assert hr.patch(f"/api/hr/employees/{anna}/", {"manager_id": boris}, format="json").status_code == 200
    assert hr.patch(f"/api/hr/employees/{boris}/", {"manager_id": helen}, format="json").status_code == 200
    cycle = hr.patch(f"/api/hr/employees/{helen}/", {"manager_id": anna}, format="json")
    assert cycle.status_code == 400 and error_code(cycle) == "manager_cycle"
    assert hr.get("/api/hr/employees/", {"manager": boris}).json()["count"] == 1
    # Boris (a learner) sees his report Anna, and nothing of HR
    boris_client = HostClient("acme.localhost").as_user("boris@acme.test")
    team = boris_client.get("/api/team/").json()["results"]
    assert [m["email"] for m in team] == ["anna@acme.test"]
    assert boris_client.get("/api/hr/employees/").status_code == 403
    # Helen sees Boris and (indirectly) Anna
    assert {m["email"] for m in hr.get("/api/team/").json()["results"]} == {"anna@acme.test", "boris@acme.test"}
    anna_client = HostClient("acme.localhost").as_user("anna@acme.test")
    assert anna_client.get("/api/team/").json()["results"] == []


def test_department_tree_rename_moves_subtree_and_filters(hr):
    retail = hr.post("/api/hr/departments/", {"name": "Розница"}, format="json").json()
    moscow = hr.post("/api/hr/departments/", {"name": "Москва", "parent_id": retail["id"]}, format="json").json()
    assert moscow["path"] == "Розница/Москва"
    store = hr.post("/api/hr/departments/", {"name": "ТЦ 1", "parent_id": moscow["id"]}, format="json").json()
    anna = employee_pk("anna@acme.test")
    hr.patch(f"/api/hr/employees/{anna}/", {"department_id": store["id"]}, format="json")
    in_retail = hr.get("/api/hr/employees/", {"department": retail["id"]}).json()
    assert [e["email"] for e in in_retail["results"]] == ["anna@acme.test"]  # sub-departments included
    renamed = hr.patch(f"/api/hr/departments/{retail['id']}/", {"name": "Retail"}, format="json")
    assert renamed.status_code == 200
    with schema_context("acme"):
        assert Department.objects.get(pk=store["id"]).path == "Retail/Москва/ТЦ 1"
    loop = hr.patch(f"/api/hr/departments/{retail['id']}/", {"name": "Retail", "parent_id": store["id"]}, format="json")
    assert loop.status_code == 400 and error_code(loop) == "department_cycle"
    bad = hr.post("/api/hr/departments/", {"name": "a/b"}, format="json")
    assert bad.status_code == 400 and error_code(bad) == "invalid_department"
    busy = hr.delete(f"/api/hr/departments/{store['id']}/")
    assert busy.status_code == 409 and error_code(busy) == "department_not_empty"
    tree = hr.get("/api/hr/departments/").json()["results"]
    assert [d["path"] for d in tree] == ["Retail", "Retail/Москва", "Retail/Москва/ТЦ 1"]
    assert tree[2]["employees"] == 1


def test_groups_and_members(hr):
    group = hr.post("/api/hr/groups/", {"name": "Новички"}, format="json")
    assert group.status_code == 201
    gid = group.json()["id"]
    assert hr.post("/api/hr/groups/", {"name": "новички"}, format="json").status_code == 409  # case-insensitive
    anna, boris = employee_pk("anna@acme.test"), employee_pk("boris@acme.test")
    changed = hr.post(f"/api/hr/groups/{gid}/members/", {"add": [anna, boris]}, format="json")
    assert changed.json() == {"added": 2, "removed": 0}
    assert hr.get(f"/api/hr/groups/{gid}/").json()["members"] == 2
    assert hr.get("/api/hr/employees/", {"group": gid}).json()["count"] == 2
    hr.post(f"/api/hr/groups/{gid}/members/", {"remove": [boris]}, format="json")
    members = hr.get(f"/api/hr/groups/{gid}/members/").json()["results"]
    assert [m["email"] for m in members] == ["anna@acme.test"]
    assert members[0]["groups"] == [{"id": gid, "name": "Новички"}]
    bad = hr.post(f"/api/hr/groups/{gid}/members/", {"add": [999999]}, format="json")
    assert bad.status_code == 400 and error_code(bad) == "invalid_employee"
    assert hr.post(f"/api/hr/groups/{gid}/members/", {"add": "x"}, format="json").status_code == 400
    assert hr.delete(f"/api/hr/groups/{gid}/").status_code == 204
    with schema_context("acme"):
        assert not Membership.objects.filter(group_id=gid).exists()


def test_bad_input_uses_the_error_shape(hr):
    response = _create(hr, "not-an-email")
    assert response.status_code == 400 and error_code(response) == "validation_error"
    assert "email" in response.json()["error"]["fields"]
    assert error_code(hr.get("/api/hr/employees/", {"status": "zombie"})) == "invalid_filter"
    assert hr.get("/api/hr/employees/999999/").status_code == 404
    assert hr.get("/api/hr/employees/", {"department": "abc"}).status_code == 400


def test_preferences_are_per_person(acme_client):
    anna = HostClient("acme.localhost").as_user("anna@acme.test")
    assert anna.get("/api/me/preferences/").json() == {"email_reminders": True, "email_digest": True}
    assert (
        anna.patch("/api/me/preferences/", {"email_reminders": False}, format="json").json()["email_reminders"] is False
    )
    with schema_context("acme"):
        assert Employee.objects.get(user__email="anna@acme.test").email_reminders is False
        assert Employee.objects.get(user__email="boris@acme.test").email_reminders is True


def test_hr_managers_cannot_act_on_admins_and_deactivation_kills_invitations(
    hr, acme_admin, django_capture_on_commit_callbacks
):
    admin = employee_pk("admin@acme.test")
    for url in (f"/api/hr/employees/{admin}/deactivate/", f"/api/hr/employees/{admin}/"):
        response = hr.post(url) if url.endswith("deactivate/") else hr.patch(url, {"title": "x"}, format="json")
        assert response.status_code == 403 and error_code(response) == "rank_forbidden"
    invited = _create(hr, "temp@acme.test").json()
    with schema_context("acme"):
        from accounts.models import Invitation

        assert Invitation.objects.filter(user__email="temp@acme.test").count() == 1
    from accounts.services.users import invite_user

    with in_tenant("acme"):
        _, token = invite_user(email="temp@acme.test", role="learner")  # a second, fresh link
    assert hr.post(f"/api/hr/employees/{invited['id']}/deactivate/").status_code == 200
    accept = HostClient("acme.localhost").post(
        f"/api/auth/invitations/{token}/accept/", {"password": "Str0ng-passw0rd-2026"}, format="json"
    )
    assert accept.status_code == 410
    again = acme_admin.post("/api/auth/invitations/", {"email": "temp@acme.test", "role": "learner"}, format="json")
    assert again.status_code == 409 and error_code(again) == "employee_deactivated"


def test_invitations_api_respects_the_seat_limit(acme_admin, acme):
    used = acme_admin.get("/api/hr/seats/").json()["used"]
    Tenant.objects.filter(pk=acme.pk).update(seat_limit=used)
    refused = acme_admin.post("/api/auth/invitations/", {"email": "extra@acme.test", "role": "learner"}, format="json")
    assert refused.status_code == 409 and error_code(refused) == "seat_limit_reached"
    admin_ok = acme_admin.post(
        "/api/auth/invitations/", {"email": "admin2@acme.test", "role": "tenant_admin"}, format="json"
    )
    assert admin_ok.status_code in (200, 201)  # the company can always get an admin
