"""What the supplier sells. Filled by the sales-history imports, editable in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.core.models import TimeStampedModel


class ProductCategory(TimeStampedModel):
    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(_("code"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "parent"],
                name="category_unique_name_in_parent",
                violation_error_message=_("A category of this name already exists here."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="category_unique_top_level_name",
                violation_error_message=_("A top-level category of this name already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(TimeStampedModel):
    code = models.CharField(
        _("product code"),
        max_length=64,
        unique=True,
        help_text=_("The SKU or stock code in your ERP; imports match order lines by it."),
    )
    name = models.CharField(_("name"), max_length=250)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
