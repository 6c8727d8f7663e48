from rest_framework import serializers


class DigestQuerySerializer(serializers.Serializer):
    user = serializers.CharField(
        required=False,
        max_length=150,
        help_text="Whose digest (a username); yours by default. Others' for directors only.",
    )
    as_of = serializers.DateField(required=False, help_text="The digest's date (default: today).")


class ItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text="The page to act on it (a path; prefix KAM_BASE_URL).")
    detail = serializers.CharField(help_text="One line in the user's language.")
    account = serializers.CharField()
    account_url = serializers.CharField()
    data = serializers.DictField(help_text="The raw values behind the line.")


class CellSerializer(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField()
    status = serializers.CharField(
        help_text="Against its target: ok, low, high or unknown; empty without a target."
    )
    value = serializers.JSONField(allow_null=True, help_text="The raw value.")


class SectionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=[
            "alerts", "nothing_late", "overdue", "commitments", "requests", "actions",
            "meetings", "silent", "portfolio", "kams", "risks",
        ]
    )  # fmt: skip
    title = serializers.CharField()
    audience = serializers.ChoiceField(choices=["kam", "director"])
    total = serializers.IntegerField(help_text="How many there are in all.")
    more = serializers.IntegerField(help_text="How many are not listed in `items`.")
    more_url = serializers.CharField()
    note = serializers.CharField()
    items = ItemSerializer(many=True)
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=CellSerializer(many=True), help_text="A table's rows.")


class DigestSerializer(serializers.Serializer):
    user = serializers.CharField(source="user.username")
    email = serializers.CharField(source="user.email")
    language = serializers.CharField()
    as_of = serializers.DateField()
    week_start = serializers.DateField()
    week_end = serializers.DateField()
    snapshot_as_of = serializers.DateField(allow_null=True)
    is_director = serializers.BooleanField()
    empty = serializers.BooleanField(help_text="Nothing to say: no e-mail is sent.")
    subject = serializers.CharField()
    sections = SectionSerializer(many=True)
