"""A service's refusal shown on the form that asked for it.

A project-level module that imports only Django: every app's views may use it.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError


def form_errors_add(form, error: ValidationError, *, renamed: Mapping[str, str | None] | None = None) -> None:
    """Add ``error``'s messages to ``form``: those of a field the form has go to that field, the rest
    (another field of the model, a message not tied to a field) to the form's non-field errors.

    ``renamed`` maps the service's field names to the form's where they differ; a name mapped to None is
    shown above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        if renamed is not None and field in renamed:
            field = renamed[field]
        form.add_error(field if field in form.fields else None, messages)
