from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.accounts import selectors as account_selectors

from .. import selectors
from .serializers import EventSerializer, TimelineQuerySerializer, TimelineSerializer


class AccountTimelineView(APIView):
    """The account's relationship timeline, newest first, 50 events a page: revenue per month
    and large orders (from the sales history), activities, nominations and key-account types,
    handovers, team changes, stakeholders starting and leaving positions (and, where those
    apps are installed, tenders and plan reviews). 404 for an account you may not see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind", str, many=True, enum=[k for k, _ in selectors.events.EventKind.choices]
            ),
            OpenApiParameter("page", int),
        ],
        responses=TimelineSerializer,
    )
    def get(self, request, pk: int):
        account = account_selectors.account_detail(user=request.user, pk=pk)
        if account is None:
            raise NotFound
        query = TimelineQuerySerializer(
            data={
                "kind": request.query_params.getlist("kind"),
                **(
                    {"page": request.query_params["page"]} if "page" in request.query_params else {}
                ),
            }
        )
        query.is_valid(raise_exception=True)
        timeline = selectors.account_timeline(
            account, kinds=query.validated_data.get("kind", []), page=query.validated_data["page"]
        )
        return Response(
            {
                "account": account.pk,
                "page": timeline.number,
                "has_next": timeline.has_next,
                "kinds": timeline.kinds,
                "results": EventSerializer([vars(e) for e in timeline.events], many=True).data,
            }
        )
