"""Auth and account endpoints. Thin: parse, call one service function, shape the answer."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from lib.api import ScopedAPIView, ScopedGenericViewSet, request_user

from ..models import AuditEvent
from ..roles import Role
from ..services import auth as auth_service
from ..services import users as user_service
from .serializers import (
    AuditEventSerializer,
    InvitationAcceptSerializer,
    InvitationCreateSerializer,
    InvitationInfoSerializer,
    LoginSerializer,
    MeUpdateSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
    TokenResponseSerializer,
    UserSerializer,
)

REFRESH_COOKIE_PATH = "/api/auth/"


def token_response(pair: auth_service.TokenPair, request: Request, status_code: int = 200) -> Response:
    body = {
        "access": pair.access,
        "access_expires_at": pair.access_expires_at,
        "user": UserSerializer(pair.user, context={"request": request}).data,
    }
    response = Response(body, status=status_code)
    response.set_cookie(
        settings.REFRESH_COOKIE_NAME,
        pair.refresh,
        max_age=settings.REFRESH_TOKEN_TTL_SECONDS,
        path=REFRESH_COOKIE_PATH,
        secure=settings.REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    response["Cache-Control"] = "no-store"
    return response


def clear_refresh_cookie(response: Response) -> Response:
    response.delete_cookie(settings.REFRESH_COOKIE_NAME, path=REFRESH_COOKIE_PATH, samesite="Strict")
    return response


class TokenView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(
        request=LoginSerializer, responses={200: TokenResponseSerializer}, summary="Sign in with e-mail and password"
    )
    def post(self, request: Request) -> Response:
        data = LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = auth_service.login(request._request, data.validated_data["email"], data.validated_data["password"])
        return token_response(pair, request)


class RefreshView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(
        request=None,
        responses={200: TokenResponseSerializer},
        summary="Rotate the refresh cookie, get a new access token",
    )
    def post(self, request: Request) -> Response:
        try:
            pair = auth_service.refresh(request._request, request.COOKIES.get(settings.REFRESH_COOKIE_NAME))
        except auth_service.InvalidRefresh as exc:
            response = Response(
                {"error": {"code": exc.code, "message": exc.message}}, status=status.HTTP_401_UNAUTHORIZED
            )
            return clear_refresh_cookie(response)
        return token_response(pair, request)


class LogoutView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(
        request=None,
        responses={204: None, 200: dict},
        summary="Revoke this login's refresh tokens (200 with `sso_logout_url` when the IdP must be told too)",
    )
    def post(self, request: Request) -> Response:
        url = auth_service.logout(request._request, request.COOKIES.get(settings.REFRESH_COOKIE_NAME))
        if url:
            return clear_refresh_cookie(Response({"sso_logout_url": url}))
        return clear_refresh_cookie(Response(status=status.HTTP_204_NO_CONTENT))


class MeView(ScopedAPIView):
    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request_user(request)).data)

    @extend_schema(request=MeUpdateSerializer, responses={200: UserSerializer})
    def patch(self, request: Request) -> Response:
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request_user(request)
        for field, value in data.validated_data.items():
            setattr(user, field, value)
        user.save(update_fields=list(data.validated_data) or None)
        return Response(UserSerializer(user).data)


class InvitationDetailView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(
        responses={
            200: InvitationInfoSerializer,
            404: OpenApiResponse(description="Unknown"),
            410: OpenApiResponse(description="Expired or used"),
        }
    )
    def get(self, request: Request, token: str) -> Response:
        return Response(InvitationInfoSerializer(user_service.describe_invitation(token)).data)


class InvitationAcceptView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(request=InvitationAcceptSerializer, responses={200: TokenResponseSerializer})
    def post(self, request: Request, token: str) -> Response:
        data = InvitationAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = user_service.accept_invitation(token, request=request._request, **data.validated_data)
        return token_response(pair, request)


class InvitationCreateView(ScopedAPIView):
    """Tenant admins invite HR managers, learners and other admins; platform admins invite staff."""

    allowed_roles = frozenset({Role.TENANT_ADMIN, Role.PLATFORM_ADMIN})

    @extend_schema(request=InvitationCreateSerializer, responses={201: UserSerializer})
    def post(self, request: Request) -> Response:
        data = InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, _ = user_service.invite_user(
            invited_by=request_user(request), request=request._request, **data.validated_data
        )
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class PasswordResetRequestView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(request=PasswordResetRequestSerializer, responses={202: None})
    def post(self, request: Request) -> Response:
        data = PasswordResetRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user_service.request_password_reset(data.validated_data["email"], request=request._request)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(ScopedAPIView):
    public = True
    authentication_classes: list[type] = []

    @extend_schema(request=PasswordResetConfirmSerializer, responses={200: TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        data = PasswordResetConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = user_service.confirm_password_reset(
            data.validated_data["token"], data.validated_data["password"], request=request._request
        )
        return token_response(pair, request)


class AuditViewSet(mixins.ListModelMixin, ScopedGenericViewSet):
    """The audit log of the current schema, for its administrators."""

    allowed_roles = frozenset({Role.TENANT_ADMIN, Role.PLATFORM_ADMIN})
    serializer_class = AuditEventSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        qs = AuditEvent.objects.all()
        search = self.request.query_params.get("search")
        if search:
            qs = qs.filter(Q(action__icontains=search) | Q(target__icontains=search) | Q(actor_email__icontains=search))
        return qs
