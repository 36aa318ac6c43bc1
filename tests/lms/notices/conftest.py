from tests.chat_server import chat, chat_service, lineworks, teams  # noqa: F401
