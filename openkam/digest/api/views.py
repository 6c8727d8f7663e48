"""/api/digest/preview/: what the weekly digest says, as the e-mail would (JSON)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from openkam.users.models import User

from .. import rendering, selectors
from .serializers import DigestQuerySerializer, DigestSerializer

SEE_OTHERS = "users.view_user"


class DigestPreviewView(APIView):
    """Your weekly digest as of a date (today by default), in your language: each section with
    its lines (a label, a link, a detail line and the raw values) or its table. Directors (who
    may see users) preview anyone's with `?user=USERNAME`, in that user's language. An empty
    digest (`empty`) is not sent."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[DigestQuerySerializer], responses=DigestSerializer)
    def get(self, request):
        query = DigestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        username = query.validated_data.get("user")
        target = request.user
        if username and username != request.user.get_username():
            if not request.user.has_perm(SEE_OTHERS):
                raise PermissionDenied(_("Only directors preview other people's digests."))
            target = User.objects.filter(username=username).first()
            if target is None:
                raise NotFound(_("No such user."))
        # your own in the language you ask for (else yours); someone else's in theirs
        language = translation.get_language() if target == request.user else None
        digest = selectors.digest_for(target, query.validated_data.get("as_of"), language=language)
        with translation.override(digest.language):
            subject = rendering.title(digest)
        data = {
            "user": digest.user,
            "language": digest.language,
            "as_of": digest.as_of,
            "week_start": digest.week_start,
            "week_end": digest.week_end,
            "snapshot_as_of": digest.snapshot_as_of,
            "is_director": digest.is_director,
            "empty": digest.empty,
            "subject": subject,
            "sections": [section.as_dict() for section in digest.sections],
        }
        return Response(DigestSerializer(data).data)
