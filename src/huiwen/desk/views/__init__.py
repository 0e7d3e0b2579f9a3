"""The back office's views: server-rendered pages, POST forms, no JavaScript needed anywhere."""
