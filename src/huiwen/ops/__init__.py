"""Operations: what keeps a portal up once it runs in production.

- health.py: /healthz (the process answers) and /readyz (database, Redis, task queue, disk) for
  load balancers;
- metrics.py: /metrics for Prometheus (request latency per view, page-cache results, collector
  counters per source, task queue, takedown timers), readable only by allowed addresses or with a
  token (access.py);
- middleware.py: answers those three before any other middleware (no session, no page cache, no
  host check, no HTTPS redirect: a load balancer's probe must not depend on them) and times
  every other request;
- logs.py: the logging configuration, plain or JSON lines;
- backup.py: `huiwen backup` / `huiwen restore` (SQLite online backup or pg_dump, with the archive,
  media, evidence and the secret key);
- deployfiles.py: `huiwen deploy-files` (systemd units and the nginx site);
- gunicorn_conf.py: the gunicorn configuration those units use;
- routers.py: reader traffic on read replicas (HUIWEN_DATABASE_REPLICAS).
"""
