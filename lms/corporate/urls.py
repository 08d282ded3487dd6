"""Corporate API routes (mounted under /api/): HR under hr/, the manager's team, my e-mail preferences."""

from django.urls import URLPattern, path

from .api import assignments as a
from .api import people as p
from .api import reports as r

urlpatterns: list[URLPattern] = [
    path("hr/employees/", p.EmployeeListView.as_view(), name="hr-employees"),
    path("hr/employees/<int:employee_id>/", p.EmployeeView.as_view(), name="hr-employee"),
    path(
        "hr/employees/<int:employee_id>/deactivate/",
        p.EmployeeActionView.as_view(action="deactivate"),
        name="hr-employee-deactivate",
    ),
    path(
        "hr/employees/<int:employee_id>/reactivate/",
        p.EmployeeActionView.as_view(action="reactivate"),
        name="hr-employee-reactivate",
    ),
    path(
        "hr/employees/<int:employee_id>/invite/",
        p.EmployeeActionView.as_view(action="invite"),
        name="hr-employee-invite",
    ),
    path("hr/employees/<int:employee_id>/transcript/", r.TranscriptView.as_view(), name="hr-employee-transcript"),
    path("hr/seats/", p.SeatsView.as_view(), name="hr-seats"),
    path("hr/departments/", p.DepartmentListView.as_view(), name="hr-departments"),
    path("hr/departments/<int:department_id>/", p.DepartmentView.as_view(), name="hr-department"),
    path("hr/groups/", p.GroupListView.as_view(), name="hr-groups"),
    path("hr/groups/<int:group_id>/", p.GroupView.as_view(), name="hr-group"),
    path("hr/groups/<int:group_id>/members/", p.GroupMembersView.as_view(), name="hr-group-members"),
    path("hr/imports/", p.ImportListView.as_view(), name="hr-imports"),
    path("hr/imports/<int:job_id>/", p.ImportView.as_view(), name="hr-import"),
    path("hr/assignments/", a.AssignmentListView.as_view(), name="hr-assignments"),
    path("hr/assignments/bulk/", a.AssignmentBulkView.as_view(), name="hr-assignments-bulk"),
    path("hr/assignments/<int:assignment_id>/", a.AssignmentView.as_view(), name="hr-assignment"),
    path("hr/rules/", a.RuleListView.as_view(), name="hr-rules"),
    path("hr/rules/<int:rule_id>/", a.RuleView.as_view(), name="hr-rule"),
    path("hr/notification-settings/", a.NotificationSettingsView.as_view(), name="hr-notification-settings"),
    path("hr/reports/dashboard/", r.DashboardView.as_view(), name="hr-dashboard"),
    path("hr/reports/assignments/", r.AssignmentReportView.as_view(), name="hr-report-assignments"),
    path("hr/reports/export/", r.ExportView.as_view(), name="hr-report-export"),
    path("team/", a.TeamView.as_view(), name="team"),
    path("me/preferences/", a.MyPreferencesView.as_view(), name="me-preferences"),
]
