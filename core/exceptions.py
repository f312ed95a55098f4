"""The one shape every refused action takes, whatever app refuses it."""

from dataclasses import dataclass


@dataclass
class Refused(Exception):
    """An action the rules do not allow, with the reason to show the person (in Chinese) and the
    HTTP status a page or the API answers with. Services raise subclasses of it; views and the
    API turn it into a message and a 4xx, never a 500."""

    message: str
    status: int = 409

    def __str__(self) -> str:
        return self.message
