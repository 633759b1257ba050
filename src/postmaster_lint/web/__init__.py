"""`postmaster-lint serve`: a local page that lints a draft as it is typed (needs the `web`
extra: Starlette and uvicorn)."""
