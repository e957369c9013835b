"""gunicorn reads this file from the folder it starts in (docker-compose.yml, .ci/run).

The access log keeps what running the service needs (when, what was asked, the status) and no
more: no client address, no referrer and no browser. An anonymous survey's personal link is
exchanged for a cookie on its first request; without the address or browser, nothing in the
log ties that request to the later ones that carry the answers (docs/surveys.md, "What
anonymous means"; docs/production.md says the same of a proxy in front).

Nor the size of the response (`%(b)s`, `%(B)s`) or the time it took (`%(D)s`, `%(L)s`,
`%(M)s`, `%(T)s`): the check-your-answers page grows by exactly the length of a respondent's
written answers, so its size in the log, beside the answers in the database, would say whose
visit was whose.
"""

access_log_format = '%(t)s "%(r)s" %(s)s'


def post_worker_init(worker: object) -> None:
    """Once the worker has loaded the application, its objects (modules, settings, templates,
    URL patterns) live as long as it does: `gc.freeze` moves them out of the cyclic garbage
    collector's reach, so that a full collection during a request scans only what requests
    made, not the whole application again (Python's documentation of `gc.freeze`)."""
    import gc

    gc.freeze()
