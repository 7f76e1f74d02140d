"""Django's admin messages that name a model, for our catalogue to say in correct Dutch.

Django's own Dutch reads "De {name} ‘{obj}’ is met succes gewijzigd": "de" for every model, so
"De criterium", and formal "U kunt" where Groeipad says "je". Listing the messages here puts
them in our catalogue (locale/nl_BE), which Django reads before its own (LOCALE_PATHS), so the
translations there win: "{name} “{obj}” is gewijzigd", with no article to get wrong.
"""

from django.utils.translation import gettext_noop

ADMIN_MESSAGES = (
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
)
