from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from .serializers import MeSerializer


class MeView(APIView):
    """The logged-in user, with their roles and permissions; PATCH sets their `language`
    (empty: the browser's) and `buddhist_era` (dates shown with Buddhist-era years)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_set_preferences(
            user=request.user,
            language=serializer.validated_data.get("language"),
            buddhist_era=serializer.validated_data.get("buddhist_era"),
        )
        return Response(MeSerializer(user).data)


class TokenView(ObtainAuthToken):
    """Exchange `{"username", "password"}` for `{"token"}`; send it as `Authorization: Token
    <token>`."""
