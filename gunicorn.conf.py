"""gunicorn reads this file from the folder it starts in (docker-compose.yml, .ci/run).

The access log keeps what running the service needs (when, what was asked, the answer) and no
more: no client address, no referrer and no browser. An anonymous survey's personal link is
exchanged for a cookie on its first request; without the address or browser, nothing in the
log ties that request to the later ones that carry the answers (docs/surveys.md, "What
anonymous means"; docs/production.md says the same of a proxy in front).
"""

access_log_format = '%(t)s "%(r)s" %(s)s %(b)s'
