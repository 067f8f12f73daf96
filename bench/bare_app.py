"""The baseline: a Bolt app that only acks and answers, served like `lom-bot serve --http`.

`python -m bench.bare_app --port N --workers W --threads T`. Its answers reach the stand-in the
same way the bot's do (response URL, views.open, chat.postMessage), so the bot's latency can be
read as a ratio of the least any Bolt app on this machine can do.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from slack_bolt import App

TRIAGE = "C0TRIAGE"
VIEW = {
    "type": "modal",
    "callback_id": "bench",
    "title": {"type": "plain_text", "text": "Log a contact"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Bench form"}}],
}


def build_bare() -> App:
    from slack_bolt import Ack, App, Respond
    from slack_sdk import WebClient

    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
        process_before_response=False,
    )

    @app.command("/lom")
    def command(ack: Ack, respond: Respond, body: dict[str, Any]) -> None:
        ack()
        respond(text=f"You asked: {body.get('text', '')}", response_type="ephemeral")

    @app.action(re.compile(".*"))
    def button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=VIEW)

    @app.event("message")
    def message(event: dict[str, Any], client: WebClient) -> None:
        client.chat_postMessage(channel=TRIAGE, text=f"Report: {event.get('text', '')}")

    return app


class BareWsgi:
    """POST /slack/events to Bolt; GET /health answers ok."""

    def __init__(self) -> None:
        from slack_bolt.adapter.wsgi import SlackRequestHandler

        self.slack = SlackRequestHandler(build_bare(), path="/slack/events")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/health":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return self.slack(environ, start_response)


def main() -> None:
    from gunicorn.app.base import BaseApplication

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    class Server(BaseApplication):  # type: ignore[misc]
        # The same options as lom_bot.wsgi.run_gunicorn, so only the app differs.
        def load_config(self) -> None:
            options = {
                "bind": f"127.0.0.1:{args.port}",
                "workers": args.workers,
                "worker_class": "gthread",
                "threads": args.threads,
                "timeout": 30,
                "graceful_timeout": 10,
                "proc_name": "lom-bench-bare",
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> BareWsgi:
            return BareWsgi()

    Server().run()


if __name__ == "__main__":
    main()
