"""Remember the language a member signs in with, so reminders reach them in it."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from actions.models import LanguagePreference


@receiver(user_logged_in, dispatch_uid="actions_record_language")
def record_language(sender, request, user, **kwargs) -> None:
    language = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    if language in dict(settings.LANGUAGES):
        LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})
