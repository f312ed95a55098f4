"""The resident's claim on a flat, as written on the door."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import Building, Household, Relation


class HouseholdClaimForm(forms.Form):
    """Which flat a resident lives in, as written on the door: building, unit, room; and how
    they live there (owner, family member, tenant), which staff confirm."""

    building = forms.ChoiceField(label=gettext_lazy("Building"))
    unit = forms.CharField(
        label=gettext_lazy("Unit"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Leave empty if your building has no units."),
    )
    room = forms.CharField(label=gettext_lazy("Room"), max_length=20)
    relation = forms.ChoiceField(
        label=gettext_lazy("You live there as"),
        choices=Relation.choices,
        initial=Relation.FAMILY,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("Only owners (业主) vote in owners' decisions."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        buildings = Building.objects.filter(households__isnull=False).distinct()
        self.fields["building"].choices = [("", "—")] + [(b.name, b.name) for b in buildings]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        household = Household.objects.filter(
            building__name=data["building"],
            unit=data.get("unit", "").strip(),
            room=data["room"].strip(),
        ).first()
        if household is None:
            raise forms.ValidationError(
                _(
                    "No such flat in the register. "
                    "Check building, unit and room, or ask the community office."
                )
            )
        data["household"] = household
        data["relation"] = data.get("relation") or Relation.FAMILY
        return data
