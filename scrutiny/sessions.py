"""Django's database sessions (SESSION_ENGINE), their read made once a process (issue 19).

Every signed-in request reads its session first. Django's store compiles that one-table query
each time, which on the bench's machine costs about as much CPU as PostgreSQL's whole answer
(bench/RESULTS.md). This store reads the same row with SQL made once (`scrutiny.prepared`) and
leaves everything else to Django's: the table, the cookie, saving, expiry and clearing are its
own, so sessions made before and after a deploy are the same sessions.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from scrutiny.prepared import Prepared


def _session(session_key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key)


# Django's own read filters by expiry in SQL; this one compares it here, so that its SQL takes
# the key alone.
_SESSION = Prepared(_session, session_key=Session._meta.pk)


class SessionStore(DatabaseStore):
    """`django.contrib.sessions.backends.db`'s store; only its read of the row is prepared."""

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        found = None
        if key is not None:
            found = _SESSION.one(session_key=key, using=router.db_for_read(Session))
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
