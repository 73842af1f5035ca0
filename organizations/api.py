from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import OrganizationAPIView, OrganizationViewSet
from core.policy import AUTHENTICATED, PUBLIC
from organizations import selectors, services, two_factor
from organizations.enums import Role
from organizations.models import Membership, Territory
from organizations.selectors import user_memberships


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label="Adresse e-mail")
    password = serializers.CharField(label="Mot de passe", trim_whitespace=False, write_only=True)
    otp = serializers.CharField(
        label="Code du second facteur",
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Requis pour les comptes qui ont activé la double authentification.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class TokenView(APIView):
    """Exchange e-mail and password — and the second factor's code for accounts that have one
    — for an API token (subject to the same lockout)."""

    access_rule = PUBLIC
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        if user is None:
            return Response(
                {"non_field_errors": ["Adresse e-mail ou mot de passe incorrect."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        two_factor.api_token_check(user=user, code=data.validated_data.get("otp", ""))
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MembershipSummarySerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.slug")
    organization_name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    organization = serializers.CharField(allow_null=True)
    role = serializers.CharField(allow_null=True)
    memberships = MembershipSummarySerializer(many=True)
    allowed_actions = serializers.ListField(child=serializers.CharField())


class MeView(OrganizationAPIView):
    """The authenticated user, their current organisation and role, and what they may do."""

    access_rule = AUTHENTICATED
    permission_classes = OrganizationAPIView.permission_classes[:1]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        from core import policy

        membership = request.membership  # type: ignore[attr-defined]
        role = membership.role if membership else None
        data = {
            "email": request.user.email,
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "organization": membership.organization.slug if membership else None,
            "role": role,
            "memberships": user_memberships(user=request.user),
            "allowed_actions": sorted(a for a, roles in policy.actions().items() if role in roles),
        }
        return Response(MeSerializer(data).data)


class TerritorySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    communes = serializers.ListField(child=serializers.CharField(max_length=5), required=False)

    class Meta:
        model = Territory
        fields = ["id", "name", "communes"]


class TerritoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    model = Territory
    serializer_class = TerritorySerializer
    read_action = "organizations.view_territories"
    write_action = "organizations.manage_territories"

    def scoped_queryset(self) -> Any:
        return selectors.territory_list(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.territory_save(
            organization=self.organization,
            acting_user=self.request.user,
            name=serializer.validated_data["name"],
            communes=serializer.validated_data.get("communes", []),
        )

    def perform_update(self, serializer: Any) -> None:
        territory = serializer.instance
        serializer.instance = services.territory_save(
            organization=self.organization,
            acting_user=self.request.user,
            territory=territory,
            name=serializer.validated_data.get("name", territory.name),
            communes=serializer.validated_data.get("communes", territory.communes),
        )


class OrganizationMemberSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name", max_length=150)
    last_name = serializers.CharField(source="user.last_name", max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    territories = serializers.SlugRelatedField(
        slug_field="public_id", many=True, queryset=Territory.objects.none(), required=False
    )
    is_active = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = Membership
        fields = ["id", "email", "first_name", "last_name", "role", "territories", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(request, "organization", None)
        if organization is not None:
            self.fields["territories"].child_relation.queryset = Territory.objects.for_organization(
                organization
            )


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationViewSet,
):
    """The organisation's users and their roles (organisation admins). Creating one invites them."""

    model = Membership
    serializer_class = OrganizationMemberSerializer
    read_action = "organizations.manage_members"
    write_action = "organizations.manage_members"

    def scoped_queryset(self) -> Any:
        return selectors.organization_members(organization=self.organization)

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.user_invite(
            organization=self.organization,
            email=data["user"]["email"],
            first_name=data["user"]["first_name"],
            last_name=data["user"]["last_name"],
            role=data["role"],
            territories=data.get("territories", []),
            invited_by=self.request.user,
            base_url=self.request.build_absolute_uri("/")[:-1],
        )

    def perform_update(self, serializer: Any) -> None:
        membership = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.membership_update(
            membership=membership,
            role=data.get("role", membership.role),
            territories=data.get("territories", list(membership.territories.all())),
            is_active=data.get("is_active", membership.is_active),
            updated_by=self.request.user,
        )
