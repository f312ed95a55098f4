"""Sending a form to a service, the same way in every view."""

from core.exceptions import Refused


def submit(form, action):
    """Run ``action(form.cleaned_data)`` for a valid form. Returns ``(result, None)``, or
    ``(None, status)`` when the form is invalid (400) or the action is refused, the refusal's
    reason then added to the form — for every view that sends a form to a service."""
    if not form.is_valid():
        return None, 400
    try:
        return action(form.cleaned_data), None
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None, refusal.status
