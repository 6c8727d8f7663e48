"""The words people read for the values the analytics engine writes as codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# openkam.analytics.metrics.rhythm writes these; AnalyticsConfig.rhythm_classes names them.
RHYTHM_LABELS = {
    "monthly": _("monthly"),
    "quarterly": _("quarterly"),
    "yearly": _("yearly"),
    "irregular": _("irregular"),
}


def rhythm_label(rhythm: str | None) -> str:
    """'monthly' → 'monthly' in the reader's language; an unknown code as it is."""
    if not rhythm:
        return ""
    return str(RHYTHM_LABELS.get(rhythm, rhythm))
