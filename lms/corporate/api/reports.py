"""HR reports API: dashboard, assignment rows (per-course report), transcripts, streamed exports."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.services import audit
from lib.api import request_user
from lib.errors import DomainError

from ..services import exports, people, reports
from .base import HRView

REPORT_FILTERS = [
    OpenApiParameter(name, str, required=False)
    for name in ("department", "group", "course", "manager", "status", "required", "include_deactivated")
]


class DashboardView(HRView):
    """Completion rate, overdue count, by department, by course, weekly trend, seats."""

    @extend_schema(parameters=REPORT_FILTERS, responses={200: dict})
    def get(self, request: Request) -> Response:
        data = reports.dashboard(request.query_params)
        data["seats"] = people.seat_usage().as_dict()
        return Response(data)


class AssignmentReportView(HRView):
    """The rows behind the per-course report and the exports, paged (`page`, `page_size` ≤ 200)."""

    @extend_schema(parameters=REPORT_FILTERS, responses={200: dict})
    def get(self, request: Request) -> Response:
        try:
            page = max(1, int(request.query_params.get("page", 1)))
            size = min(200, max(1, int(request.query_params.get("page_size", 50))))
        except ValueError:
            raise DomainError("page and page_size are numbers.", code="invalid_filter") from None
        total, rows = reports.assignment_rows(request.query_params, limit=size, offset=(page - 1) * size)
        return Response({"count": total, "page": page, "page_size": size, "results": rows})


class TranscriptView(HRView):
    @extend_schema(responses={200: dict})
    def get(self, request: Request, employee_id: int) -> Response:
        employee = people.get_employee(employee_id)
        return Response(
            {
                "employee": {"id": employee.pk, "email": employee.user.email, "name": employee.user.full_name},
                **reports.transcript(employee),
            }
        )


class ExportView(HRView):
    """`?file=csv` (default) or `?file=xlsx`, with the report filters. Streamed: the download
    starts at once and memory stays flat whatever the row count."""

    @extend_schema(
        parameters=[*REPORT_FILTERS, OpenApiParameter("file", str, required=False, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): bytes},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        kind = request.query_params.get("file", "csv")
        if kind not in ("csv", "xlsx"):
            raise DomainError("file is csv or xlsx.", code="invalid_filter", fields={"file": ["csv or xlsx"]})
        language = translation.get_language() or "ru"
        language = "en" if language.startswith("en") else "ru"
        reports.Filters.parse(request.query_params)  # validate before the stream starts (errors stay JSON)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        audit.record(
            "report.exported",
            actor=request_user(request),
            target=kind,
            request=request._request,
            filters={k: v for k, v in request.query_params.items() if k != "file"},
        )
        if kind == "csv":
            response = StreamingHttpResponse(
                exports.csv_stream(request.query_params.copy(), language=language),
                content_type="text/csv; charset=utf-8",
            )
        else:
            response = StreamingHttpResponse(
                exports.assignment_xlsx(request.query_params.copy(), language=language),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="assignments-{stamp}.{kind}"'
        response["Cache-Control"] = "no-store"
        return response
