"""The Slack adapter (slack_bolt, slack_sdk): Block Kit rendering and modals so far."""
