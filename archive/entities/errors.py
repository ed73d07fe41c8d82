"""The one error a bad request parameter raises, in every layer that reads parameters."""


class ParamError(ValueError):
    """A parameter that cannot be used; `param` names it, `message` says what is wrong (shown to the user)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message
