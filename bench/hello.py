"""The yardstick: a bare Flask route, served by gunicorn exactly as the portal is."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
