"""GET forms of the pages: they render labelled fields and validate filters (Arabic text is valid input)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from archive.entities.models import Meeting, Official
from archive.web.presenters import official_name


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        return official_name(obj)


class MeetingFilterForm(forms.Form):
    """Filters of the meetings list; invalid values are dropped rather than failing the page."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    official = OfficialChoiceField(
        label=_("Participant"),
        queryset=Official.objects.none(),
        required=False,
        empty_label=pgettext_lazy("any participant", "Any"),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, officials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = officials if officials is not None else Official.objects.listed()
        self.fields["kind"].choices = [("", pgettext_lazy("any kind", "Any")), *Meeting.Kind.choices]


class OfficialFilterForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
