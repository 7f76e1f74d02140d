"""The database session store, its read on every request prepared once (maturity.prepared).

Sessions stay in Django's table, so switching SESSION_ENGINE to this module keeps everyone
signed in. Only the read differs: by key, its expiry compared here instead of in SQL (a
prepared read takes ints and strings; a time is written differently for each database).
The asynchronous read is Django's: nothing here runs under ASGI.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from maturity.prepared import PreparedRead

_SESSION = PreparedRead(lambda session_key: Session.objects.filter(session_key=session_key))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _SESSION(session_key=self.session_key)
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
