"""The web app: server-rendered pages for people, in the same FastAPI app as the API.

Thin like the API: a route parses the form, checks the signed-in user's role
(`services.users.authorize_user`), calls one service and renders a Jinja2 template; no
business rule lives in a route or a template. Static assets (our CSS, htmx, the API docs'
Swagger UI and Redoc) are vendored under `static/` with their licences: nothing is loaded
from another host, so the app and the docs work on a network without internet.
"""
