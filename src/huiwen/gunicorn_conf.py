"""gunicorn settings for huiwen: `gunicorn -c python:huiwen.gunicorn_conf huiwen.wsgi`.

`huiwen demo` / `huiwen serve` use the same values (huiwen.serve), so the demo runs as deployed.

limit_request_line: gunicorn's default (4,094 bytes) answers a long search with its own bare
English "414 URI Too Long" before huiwen sees it. A CJK character is nine bytes once
percent-encoded, so that default cut a query at about 450 characters. 8,190 is gunicorn's
largest bounded value (0 would mean unlimited): queries up to about 900 CJK characters reach the
application, which enforces its own documented limit in characters (reader.search, 200
characters) with a page in the site's language.
"""

limit_request_line = 8190
# Header fields stay at gunicorn's default (8,190 bytes each, 100 fields).
